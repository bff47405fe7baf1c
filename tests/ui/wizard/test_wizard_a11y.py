"""Accessibility of the wizard: names on every input, unique mnemonics, readable at 200 %."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from app.i18n import set_language
from app.screening.enums import ChildDecision, DangerAction, Interpreter
from app.screening.protocols import Flag, protocol_set
from app.screening.session import Reply, Step
from app.settings import Settings
from app.ui.common.a11y import heard_name
from app.ui.main_window import MainWindow
from app.ui.wizard import ScreeningWizard
from app.ui.wizard.asking_page import reply_label
from tests.ui.wizard.wizard_driver import flag_path

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

INPUTS = (
    QAbstractButton,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QAbstractItemView,
    QAbstractSpinBox,
)


def inside_combo_box(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox):
            return True
        parent = parent.parentWidget()
    return False


def visit_every_step(qtbot, wizard: ScreeningWizard) -> list[QWidget]:  # type: ignore[no-untyped-def]
    """Go through every step (so the dynamic widgets exist); the pages seen, in order."""
    seen = [wizard.current_page]
    values = wizard.start_page.values() | {"benefit": "sickness_benefit"}
    wizard.start_from(values)
    session = wizard.session
    assert session is not None
    protocol = session.protocol
    wizard.act(lambda s: s.set_can_talk_freely(False))
    wizard.act(lambda s: s.set_indicator(protocol.indicators[0].id, True))
    seen.append(wizard.current_page)  # safety, waiting, with script lines
    wizard.act(lambda s: s.decide_not_to_ask())
    seen.append(wizard.current_page)
    wizard.act(lambda s: s.back())
    wizard.act(lambda s: s.set_can_talk_freely(True))
    wizard.act(lambda s: s.begin_asking())
    seen.append(wizard.current_page)
    wizard.act(lambda s: s.start_questions())
    seen.append(wizard.current_page)
    yes = {
        q.id for flag in (Flag.CHILDREN_AFFECTED, Flag.HIGH_RISK) for q in flag_path(protocol, flag)
    } | {"immediate_danger"}
    while session.step in (Step.QUESTIONS, Step.DANGER):
        if session.step is Step.DANGER:
            seen.append(wizard.current_page)
            wizard.act(lambda s: s.set_danger_action(DangerAction.HELPED_PERSON_CALL_112, True))
            wizard.act(lambda s: s.resume_questions())
            continue
        question = session.current_question
        wizard.act(lambda s, q=question: s.reply(Reply.YES if q.id in yes else Reply.NO))
    seen.append(wizard.current_page)
    wizard.act(lambda s: s.confirm_outcome())
    seen.append(wizard.current_page)
    wizard.act(lambda s: s.set_child_decision(ChildDecision.REPORTED_NOW))
    wizard.act(lambda s: s.confirm_children())
    seen.append(wizard.current_page)
    return seen


@pytest.fixture
def wizard(qtbot, store) -> ScreeningWizard:  # type: ignore[no-untyped-def]
    widget = ScreeningWizard(store, Settings())
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_every_input_of_every_step_has_an_accessible_name(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    visit_every_step(qtbot, wizard)
    checked = 0
    for widget in wizard.findChildren(QWidget):
        if inside_combo_box(widget):
            continue  # a combo box's own pop-up list is named through the combo box
        is_input = isinstance(widget, INPUTS)
        takes_focus = widget.focusPolicy() != Qt.FocusPolicy.NoFocus and not isinstance(
            widget, QLabel
        )
        if is_input or takes_focus:
            checked += 1
            assert heard_name(widget).strip(), (
                f"{type(widget).__name__} {getattr(widget, 'text', lambda: '')()!r} has no name"
            )
    assert checked > 60, "the walk reached the widgets of every step"


def mnemonics(widgets: list[QWidget]) -> list[str]:
    letters = []
    for widget in widgets:
        if not widget.isVisible():
            continue
        if isinstance(widget, QAbstractButton | QLabel):
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        else:
            continue
        letters += [m.lower() for m in re.findall(r"&([^&\s])", text.replace("&&", ""))]
    return letters


@pytest.mark.parametrize("language", ["en", "sv"])
def test_mnemonics_are_unique_on_every_step_and_leave_the_tabs_and_menu_alone(
    qtbot, store, language
) -> None:  # type: ignore[no-untyped-def]
    set_language(language)
    window = MainWindow(store, Settings())
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    reserved = [
        re.search(r"&(.)", window.tabs.tabText(i)).group(1).lower()
        for i in range(window.tabs.count())
    ]
    reserved += [
        re.search(r"&(.)", action.text()).group(1).lower() for action in window.menuBar().actions()
    ]
    wizard = window.wizard
    for page in visit_every_step(qtbot, wizard):
        wizard.stack.setCurrentWidget(page)
        header = [wizard.discard_button]
        letters = mnemonics([*page.findChildren(QWidget), *header])
        assert len(letters) == len(set(letters)), (page.title, sorted(letters))
        assert not set(letters) & set(reserved), (page.title, set(letters) & set(reserved))


def clipped(widget: QWidget) -> bool:
    if isinstance(widget, QLabel) and widget.wordWrap():
        return widget.height() + 1 < widget.heightForWidth(widget.width())
    hint = widget.minimumSizeHint()
    if isinstance(widget, QLabel | QAbstractButton):
        hint = widget.sizeHint()
    return widget.width() + 1 < hint.width() or widget.height() + 1 < hint.height()


def test_nothing_is_clipped_with_text_at_200_percent(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    original = QFont(app.font())
    doubled = QFont(original)
    doubled.setPointSizeF(original.pointSizeF() * 2)
    app.setFont(doubled)
    try:
        wizard = ScreeningWizard(store, Settings())
        qtbot.addWidget(wizard)
        wizard.resize(1280, 720)
        wizard.show()
        qtbot.waitExposed(wizard)
        for page in visit_every_step(qtbot, wizard):
            wizard.stack.setCurrentWidget(page)
            qtbot.waitUntil(page.isVisible)
            QApplication.processEvents()
            visible = [
                w
                for w in page.findChildren(QWidget)
                if w.isVisible() and isinstance(w, QLabel | QAbstractButton | QComboBox)
            ]
            assert visible
            bad = [
                w.text() if hasattr(w, "text") else type(w).__name__ for w in visible if clipped(w)
            ]
            assert not bad, (page.title, bad)
            assert page.heading.font().pointSizeF() >= doubled.pointSizeF()
    finally:
        app.setFont(original)


def test_the_questions_are_in_large_text(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    visit_every_step(qtbot, wizard)
    question = wizard.pages[Step.QUESTIONS].question
    assert question.font().pointSizeF() >= 1.7 * QApplication.font().pointSizeF()


@pytest.mark.parametrize(
    ("language", "keys", "labels"),
    [
        ("sv", ["J", "N", "V"], None),  # labels: the Swedish catalog's words for the three
        ("en", ["Y", "N", "D"], ["Yes", "No", "Does not want to answer"]),
    ],
)
def test_answer_keys_are_shown_on_the_buttons(qtbot, store, language, keys, labels) -> None:  # type: ignore[no-untyped-def]
    set_language(language)
    wizard = ScreeningWizard(store, Settings())
    qtbot.addWidget(wizard)
    buttons = wizard.pages[Step.QUESTIONS].answer_buttons
    replies = (Reply.YES, Reply.NO, Reply.DECLINED)
    texts = [buttons[reply].text().split(maxsplit=1) for reply in replies]
    assert [words[0] for words in texts] == keys
    assert [words[1] for words in texts] == (labels or [reply_label(r) for r in replies])
    if language == "sv":
        assert texts[0][1] == "Ja"
        assert texts[1][1] == "Nej"


@pytest.mark.parametrize("benefit", protocol_set().benefits())
def test_every_benefit_shows_its_script_in_the_client_language(qtbot, wizard, benefit) -> None:  # type: ignore[no-untyped-def]
    protocol = protocol_set().latest(benefit)
    values = wizard.start_page.values() | {"benefit": benefit, "language": "en"}
    if protocol.needs_case_type:
        values["case_type"] = "return_to_work_investigation"
    wizard.start_from(values)
    wizard.act(lambda s: s.set_can_talk_freely(True))
    wizard.act(lambda s: s.set_interpreter(Interpreter.PROFESSIONAL))  # English: not without one
    if not wizard.session.can_ask or wizard.session.guidance.decision.value != "ask":
        wizard.act(lambda s: s.set_indicator(protocol.indicators[0].id, True))
    wizard.act(lambda s: s.begin_asking())
    assert wizard.pages[Step.OPENING].script.text.text() == protocol.script.opening.en
