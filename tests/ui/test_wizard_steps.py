"""Behaviour of single steps: back, danger first, prompts, children, observers, practice, speed."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.screening.protocols import Flag, protocol_set
from app.screening.session import Reply, Step
from app.settings import Settings
from app.ui.main_window import MainWindow
from app.ui.wizard import ScreeningWizard
from tests.ui.wizard_driver import Driver, flag_path

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def wizard(qtbot, store) -> ScreeningWizard:  # type: ignore[no-untyped-def]
    widget = ScreeningWizard(store, Settings())
    qtbot.addWidget(widget)
    widget.resize(1000, 760)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: not widget.writer.busy)
    return widget


def to_questions(wizard: ScreeningWizard, benefit: str = "maintenance_support") -> None:
    wizard.start_from(wizard.start_page.values() | {"benefit": benefit})
    wizard.act(lambda s: s.set_can_talk_freely(True))
    wizard.act(lambda s: s.begin_asking())
    wizard.act(lambda s: s.start_questions())


def answer(wizard: ScreeningWizard, yes: set[str]) -> None:
    session = wizard.session
    while session.step is Step.QUESTIONS:
        question = session.current_question
        wizard.act(lambda s, q=question: s.reply(Reply.YES if q.id in yes else Reply.NO))


def test_backspace_goes_back_one_question_and_undoes_it(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    to_questions(wizard)
    page = wizard.pages[Step.QUESTIONS]
    first = page.question.text()
    qtbot.waitUntil(page.question.hasFocus)
    qtbot.keyClick(page.question, "J")
    assert wizard.session.state.answers[-1].reply is Reply.YES
    assert page.question.text() != first
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backspace)
    assert wizard.session.state.answers == []
    assert page.question.text() == first
    assert page.position.text().startswith(("Fråga 1", "Question 1"))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backspace)
    assert wizard.session.step is Step.OPENING


def test_immediate_danger_puts_call_112_first_in_words(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    to_questions(wizard)
    chain = flag_path(wizard.session.protocol, Flag.IMMEDIATE_DANGER)
    answer(wizard, {q.id for q in chain})
    page = wizard.pages[Step.OUTCOME]
    assert wizard.current_page is page
    assert page.danger.isVisible()
    assert "112" in page.danger_title.text()
    assert page.danger.lineWidth() >= 4, "a heavy frame, not colour alone"
    outer = page.layout()
    assert outer.itemAt(0).widget() is page.danger, "first, above the heading"
    assert page.danger.geometry().bottom() <= page.heading.geometry().top()
    assert page.danger_title.font().pointSizeF() > page.heading.font().pointSizeF() * 1.2
    page.immediate_danger.setChecked(False)
    assert not page.danger.isVisible()


def test_without_danger_there_is_no_112_banner(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    to_questions(wizard)
    answer(wizard, set())
    assert not wizard.pages[Step.OUTCOME].danger.isVisible()


@pytest.mark.parametrize("benefit", protocol_set().benefits())
def test_the_benefits_consequences_are_prompted_on_the_outcome(qtbot, wizard, benefit) -> None:  # type: ignore[no-untyped-def]
    protocol = protocol_set().latest(benefit)
    values = wizard.start_page.values() | {"benefit": benefit}
    if protocol.needs_case_type:
        values["case_type"] = "return_to_work_investigation"
    wizard.start_from(values)
    wizard.act(lambda s: s.set_can_talk_freely(True))
    if wizard.session.guidance.decision != "ask":
        wizard.act(lambda s: s.set_indicator(protocol.indicators[0].id, True))
    wizard.act(lambda s: s.begin_asking())
    wizard.act(lambda s: s.start_questions())
    answer(wizard, set())
    page = wizard.pages[Step.OUTCOME]
    shown = " ".join(
        label.text()
        for label in page.consequences.findChildren(type(page.heading))
        if label.isVisible()
    )
    for consequence in protocol.consequences:
        assert consequence.text.sv in shown
    assert bool(protocol.consequences) == page.consequences.isVisible()


def test_maintenance_support_prompts_special_reasons(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    ids = [c.id for c in protocol_set().latest("maintenance_support").consequences]
    assert "special_reasons" in ids


def test_no_concern_needs_an_explanation_that_goes_to_the_notes(qtbot, wizard, store) -> None:  # type: ignore[no-untyped-def]
    to_questions(wizard)
    answer(wizard, {q.id for q in flag_path(wizard.session.protocol, Flag.CHILDREN_AFFECTED)})
    wizard.act(lambda s: s.confirm_outcome())
    page = wizard.pages[Step.CHILDREN]
    assert wizard.current_page is page
    assert not page.next_button.isEnabled()
    assert page.problem.isVisible(), "it says why it cannot continue"
    page.reason.setFocus()
    qtbot.keyClicks(page.reason, "Synthetic: the children live elsewhere.")
    assert page.no_concern.isChecked()
    assert page.next_button.isEnabled()
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    assert wizard.session.step is Step.SUPPORT
    with qtbot.waitSignal(wizard.saved) as blocker:
        wizard.save()
    record = store.records.get(blocker.args[0].id)
    assert record.child_report is False
    assert "Synthetic: the children live elsewhere." in record.notes


def test_every_step_and_answer_is_told_to_an_observer(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    actions: list[tuple[str, dict]] = []  # type: ignore[type-arg]
    wizard.action_taken.connect(lambda action, details: actions.append((action, details)))
    to_questions(wizard)
    wizard.act(lambda s: s.reply(Reply.NO))
    names = [name for name, _ in actions]
    assert names[:5] == ["start", "can_talk_freely", "opening", "questions", "answer"]
    assert actions[-1][1]["reply"] == "no"
    assert actions[-1][1]["step"] == "questions"


def test_a_practice_wizard_saves_practice_records(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    wizard = ScreeningWizard(store, Settings(), practice=True)
    qtbot.addWidget(wizard)
    wizard.start_from(wizard.start_page.values() | {"benefit": "maintenance_support"})
    wizard.act(lambda s: s.decide_not_to_ask())
    with qtbot.waitSignal(wizard.saved) as blocker:
        wizard.save()
    assert store.records.get(blocker.args[0].id).practice is True


def test_a_routine_phone_case_reaches_the_first_question_quickly_by_keyboard(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(store, Settings())
    qtbot.addWidget(window)
    window.resize(1100, 760)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    wizard = window.wizard
    assert window.tabs.currentWidget() is wizard, "the screening is the first thing shown"
    qtbot.waitUntil(wizard.start_page.start_button.hasFocus)
    driver = Driver(qtbot, wizard)
    started = time.perf_counter()
    driver.key(Qt.Key.Key_Return)  # start: the last benefit, phone
    driver.wait_step(Step.SAFETY)
    driver.talk_freely(True)
    driver.ask()  # Alt+A, then Enter on the opening
    elapsed = time.perf_counter() - started
    assert wizard.current_page is wizard.pages[Step.QUESTIONS]
    assert driver.keystrokes == 4
    assert elapsed < 5.0
