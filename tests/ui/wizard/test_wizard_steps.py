"""Behaviour of single steps: back, danger first, prompts, children, observers, practice, speed."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

from app.screening.enums import ChildDecision, DangerAction
from app.screening.guidance import Presence
from app.screening.protocols import Flag, protocol_set
from app.screening.session import Reply, Step
from app.settings import Settings
from app.ui.main_window import MainWindow
from app.ui.wizard import ScreeningWizard
from app.ui.wizard.asking_page import answer_keys
from tests.ui.wizard.wizard_driver import Driver, flag_path

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


def test_a_yes_to_danger_stops_the_questions_and_the_banner_stays(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    to_questions(wizard)
    protocol = wizard.session.protocol
    driver = Driver(qtbot, wizard)
    chain = ["current_violence", "immediate_danger"]
    page = wizard.pages[Step.QUESTIONS]
    while wizard.session.step is Step.QUESTIONS:
        question = wizard.session.current_question
        qtbot.waitUntil(page.question.hasFocus)
        driver.key(answer_keys()[Reply.YES if question.id in chain else Reply.NO])
    danger = wizard.pages[Step.DANGER]
    assert wizard.current_page is danger, "at once, right after the yes"
    assert wizard.session.state.answers[-1].question == "immediate_danger"
    assert len(wizard.session.state.answers) < len(protocol.all_questions())
    words = " ".join(label.text() for label in danger.findChildren(type(danger.heading)))
    assert "112" in words
    qtbot.waitUntil(danger.action_boxes[DangerAction.CALLED_112].hasFocus)
    driver.press(danger.action_boxes[DangerAction.HELPED_PERSON_CALL_112])
    qtbot.waitUntil(
        lambda: wizard.session.state.danger_actions == [DangerAction.HELPED_PERSON_CALL_112]
    )
    assert danger.resume_button.isVisible()
    driver.press(danger.on_button)
    driver.wait_step(Step.OUTCOME)
    outcome = wizard.pages[Step.OUTCOME]
    assert outcome.danger.isVisible()
    assert wizard.danger_banner.isVisible(), "the banner stays on every later step"
    assert "112" in outcome.danger_title.text()
    assert outcome.danger.lineWidth() >= 4, "a heavy frame, not colour alone"
    assert outcome.layout().itemAt(0).widget() is outcome.danger, "first, above the heading"
    outcome.immediate_danger.setChecked(False)  # the person's own yes stands
    assert outcome.immediate_danger.isChecked()
    assert outcome.problem.isVisible()
    assert wizard.session.state.immediate_danger is True
    wizard.act(lambda s: s.confirm_outcome())
    assert wizard.session.step is Step.SUPPORT
    assert wizard.danger_banner.isVisible()
    # issue 13: nothing is ticked in advance; 112 is suggested first and the handler ticks it
    support = wizard.support_page
    assert wizard.session.state.referrals == []
    first = support.referrals.item(0)
    assert first.data(Qt.ItemDataRole.UserRole) == "police_emergency", "112 suggested first"
    assert first.checkState() == Qt.CheckState.Unchecked
    driver.press(support.referrals)
    driver.wait(support.referrals.hasFocus)
    driver.key(Qt.Key.Key_Home)
    driver.key(Qt.Key.Key_Space)
    driver.wait(lambda: wizard.session.state.referrals == ["police_emergency"])
    support.save_button.setFocus()
    record = driver.save_and_wait()
    assert record.referrals == ["police_emergency"]
    assert record.immediate_danger is True
    assert record.danger_actions == [DangerAction.HELPED_PERSON_CALL_112]


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


def test_no_child_exposed_needs_a_coded_reason_chosen_by_keyboard(qtbot, wizard, store) -> None:  # type: ignore[no-untyped-def]
    to_questions(wizard)
    answer(wizard, {"current_violence", "children_in_home"})  # not seen or heard
    wizard.act(lambda s: s.confirm_outcome())
    page = wizard.pages[Step.CHILDREN]
    assert wizard.current_page is page, "children in the home with violence: the step opens"
    assert not page.next_button.isEnabled()
    assert page.problem.isVisible(), "it says why it cannot continue"
    assert not any(isinstance(w, QPlainTextEdit) for w in page.findChildren(QWidget))
    driver = Driver(qtbot, wizard)
    driver.press(page.choices[ChildDecision.NO_CHILD_EXPOSED])
    qtbot.waitUntil(page.choices[ChildDecision.NO_CHILD_EXPOSED].isChecked)
    assert not page.next_button.isEnabled(), "not without a coded reason"
    driver.press(page.reason)
    qtbot.waitUntil(page.reason.hasFocus)
    driver.key(Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: wizard.session.state.child_decision is ChildDecision.NO_CHILD_EXPOSED)
    assert page.next_button.isEnabled()
    driver.press(page.next_button)
    driver.wait_step(Step.SUPPORT)
    with qtbot.waitSignal(wizard.saved) as blocker:
        wizard.save()
    record = store.records.get(blocker.args[0].id)
    assert record.child_report is False
    assert record.child_report_decision is ChildDecision.NO_CHILD_EXPOSED
    assert (
        record.no_child_exposed_reason
        == protocol_set().latest("maintenance_support").no_child_exposed_reasons[0].id
    )
    assert record.notes is None


def test_children_affected_cannot_be_called_not_exposed(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    to_questions(wizard)
    answer(wizard, {q.id for q in flag_path(wizard.session.protocol, Flag.CHILDREN_AFFECTED)})
    wizard.act(lambda s: s.confirm_outcome())
    page = wizard.pages[Step.CHILDREN]
    assert not page.choices[ChildDecision.NO_CHILD_EXPOSED].isEnabled()


def test_the_not_asked_path_records_danger_and_children(qtbot, wizard, store) -> None:  # type: ignore[no-untyped-def]
    wizard.start_from(wizard.start_page.values() | {"benefit": "maintenance_support"})
    wizard.act(lambda s: s.set_presence(Presence.PARTNER, True))
    wizard.act(lambda s: s.decide_not_to_ask())
    page = wizard.pages[Step.NOT_ASKED]
    driver = Driver(qtbot, wizard)
    driver.press(page.spontaneous)
    qtbot.waitUntil(lambda: wizard.session.state.spontaneous_disclosure)
    driver.press(page.danger)
    driver.wait_step(Step.DANGER)
    danger = wizard.pages[Step.DANGER]
    assert not danger.resume_button.isVisible(), "no questions on this path"
    driver.press(danger.action_boxes[DangerAction.POLICE_CONTACTED])
    qtbot.waitUntil(lambda: wizard.session.state.danger_actions == [DangerAction.POLICE_CONTACTED])
    driver.press(danger.on_button)
    driver.wait_step(Step.NOT_ASKED)
    assert wizard.danger_banner.isVisible()
    driver.press(page.children_box)
    driver.wait_step(Step.CHILDREN)
    children = wizard.pages[Step.CHILDREN]
    driver.press(children.choices[ChildDecision.REPORTED_NOW])
    qtbot.waitUntil(lambda: wizard.session.state.child_decision is ChildDecision.REPORTED_NOW)
    driver.press(children.next_button)
    driver.wait_step(Step.NOT_ASKED)
    with qtbot.waitSignal(wizard.saved) as blocker:
        driver.press(page.save_button)
    record = store.records.get(blocker.args[0].id)
    assert (record.asked, record.spontaneous_disclosure) == (False, True)
    assert (record.immediate_danger, record.danger_actions) == (
        True,
        [DangerAction.POLICE_CONTACTED],
    )
    assert (record.child_report, record.child_report_decision) == (
        True,
        ChildDecision.REPORTED_NOW,
    )


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


def test_in_person_cannot_talk_freely_blocks_asking(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    wizard.start_from(
        wizard.start_page.values() | {"benefit": "maintenance_support", "contact": "in_person"}
    )
    safety = wizard.pages[Step.SAFETY]
    assert safety.talk_group.isVisible(), "asked in person too"
    assert wizard.session.can_ask, "not checked yet does not block in the room"
    Driver(qtbot, wizard).talk_freely(False)
    assert not wizard.session.can_ask
    assert not safety.ask_button.isEnabled()
    assert [b.value for b in wizard.session.guidance.blockers] == ["unsafe_to_talk"]


def test_a_multi_party_meeting_waits_and_asks_nobody_to_leave(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    wizard.start_from(
        wizard.start_page.values()
        | {"benefit": "maintenance_support", "contact": "multi_party_meeting"}
    )
    safety = wizard.pages[Step.SAFETY]
    assert not safety.ask_button.isEnabled()
    assert not safety.talk_group.isVisible()
    shown = " ".join(label.text() for label in safety.findChildren(type(safety.heading)))
    protocol = wizard.session.protocol
    assert protocol.safety.ask_to_speak_alone.sv not in shown
    assert protocol.safety.not_in_writing.sv not in shown
    Driver(qtbot, wizard).not_asked()
    assert wizard.session.state.not_asked_reason.value == "multi_party_meeting"
