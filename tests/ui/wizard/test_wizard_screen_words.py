"""What the handler reads on each step: no internal names, counters, the question's aside,
the guidance's reasons, focus and keys, what carries over (issue 19)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QWidget

from app.i18n import set_language
from app.screening.enums import (
    Answer,
    ChildDecision,
    Contact,
    DangerAction,
    Interpreter,
    NotAskedReason,
    ViolenceForm,
)
from app.screening.guidance import Action, Blocker, Decision, Presence
from app.screening.session import Reply, Step
from app.settings import Settings
from app.ui.wizard import ScreeningWizard
from app.ui.wizard.asking_page import answer_keys
from tests.ui.wizard.test_wizard_a11y import visit_every_step
from tests.ui.wizard.wizard_driver import Driver

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

# Codes that must never be read on screen (field ids, enum values, protocol ids).
CODES = {
    str(value)
    for enum in (
        Answer,
        ChildDecision,
        Contact,
        DangerAction,
        Interpreter,
        NotAskedReason,
        ViolenceForm,
        Action,
        Blocker,
        Decision,
        Presence,
        Step,
    )
    for value in enum
    if "_" in str(value)
} | {"sickness_benefit", "maintenance_support", "activity_compensation", "= true", "= false"}
IDENTIFIER = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def visible_texts(root: QWidget) -> list[str]:
    texts = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
    return [text for text in texts if text]


def leaks(texts: list[str]) -> list[str]:
    return [
        text for text in texts if IDENTIFIER.search(text) or any(code in text for code in CODES)
    ]


def make_wizard(qtbot, store, settings: Settings | None = None, clock=None) -> ScreeningWizard:  # type: ignore[no-untyped-def]
    extra = {"clock": clock} if clock is not None else {}
    wizard = ScreeningWizard(store, settings or Settings(), **extra)
    qtbot.addWidget(wizard)
    wizard.resize(1100, 760)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitExposed(wizard)
    qtbot.waitUntil(lambda: not wizard.writer.busy)
    return wizard


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_internal_name_reaches_a_label_on_any_step(qtbot, store, language) -> None:  # type: ignore[no-untyped-def]
    set_language(language)
    clock = Clock()
    wizard = make_wizard(qtbot, store, clock=clock)
    for page in visit_every_step(qtbot, wizard):
        wizard.stack.setCurrentWidget(page)
        clock.now += timedelta(seconds=37)
        if page is not wizard.start_page:
            page.show_session(wizard.session)
        wizard._tick()
        found = leaks([*visible_texts(page), wizard.timer_label.text()])
        assert not found, (page.title, found)


def test_times_are_written_as_people_say_them(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    set_language("sv")
    clock = Clock()
    wizard = make_wizard(qtbot, store, clock=clock)
    wizard.start_from(wizard.start_page.values() | {"benefit": "maintenance_support"})
    wizard.act(lambda s: s.set_can_talk_freely(True))
    wizard.act(lambda s: s.begin_asking())
    clock.now += timedelta(seconds=37)
    wizard._tick()
    assert wizard.timer_label.text() == "Tid: 37 sekunder"
    wizard.act(lambda s: s.start_questions())
    while wizard.session.step is Step.QUESTIONS:
        wizard.act(lambda s: s.reply(Reply.NO))
    clock.now += timedelta(seconds=28)
    wizard.outcome_page.show_session(wizard.session)
    assert wizard.outcome_page.duration.text() == "Tid hittills: 1 minut 5 sekunder"
    set_language("en")
    wizard.outcome_page.show_session(wizard.session)
    assert wizard.outcome_page.duration.text() == "Time so far: 1 minute 5 seconds"


def test_the_counter_counts_main_questions_and_letters_the_follow_ups(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    set_language("sv")
    wizard = make_wizard(qtbot, store)
    driver = Driver(qtbot, wizard)
    driver.start()
    driver.talk_freely(True)
    driver.ask()
    protocol = wizard.session.protocol
    total = len(protocol.script.questions)
    page = wizard.question_page
    parent = next(q for q in protocol.script.questions if q.follow_ups)
    number = protocol.script.questions.index(parent) + 1
    for shown in range(1, number):
        assert page.position.text() == f"Fråga {shown} av {total}"
        driver.key(answer_keys()[Reply.NO])
    assert page.position.text() == f"Fråga {number} av {total}"
    driver.key(answer_keys()[Reply.YES])
    qtbot.waitUntil(lambda: page.position.text() == f"Fråga {number}a av {total}")
    if len(parent.follow_ups) > 1:
        driver.key(answer_keys()[Reply.NO])
        qtbot.waitUntil(lambda: page.position.text() == f"Fråga {number}b av {total}")


def test_the_question_page_shows_the_answers_so_far_and_the_line_to_give(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    set_language("sv")
    wizard = make_wizard(qtbot, store)
    driver = Driver(qtbot, wizard)
    driver.start()
    driver.talk_freely(True)
    driver.ask()
    aside = wizard.question_page.aside
    assert aside.isVisible()
    assert aside.answered.text() == "Inget ännu."
    assert "020-50 50 50" in aside.support.text(), "Kvinnofridslinjen, with its number"
    before = driver.keystrokes
    driver.key(answer_keys()[Reply.NO])
    qtbot.waitUntil(lambda: aside.answered.text().startswith("1 Nej – "))
    assert driver.keystrokes == before + 1, "the aside adds no key to go through"
    assert not aside.isAncestorOf(QApplication.focusWidget()), "the aside never takes the focus"


def test_on_indication_with_a_representative_the_guidance_says_why_ask_is_off(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    set_language("en")
    wizard = make_wizard(qtbot, store)
    driver = Driver(qtbot, wizard)
    driver.choose_benefit("activity_compensation")
    assert "on indication" in wizard.start_page.mode_note.text()
    driver.press(wizard.start_page.contact_buttons[Contact.IN_PERSON])
    driver.start()
    page = wizard.safety_page
    representative = page.presence_boxes[Presence.REPRESENTATIVE]
    driver.press(representative)
    qtbot.waitUntil(lambda: Presence.REPRESENTATIVE in wizard.session.state.others_present)
    assert not page.ask_button.isEnabled()
    # the panel's new lines are shown by Qt on the next turn of the event loop
    qtbot.waitUntil(lambda: "A representative" in " ".join(visible_texts(page.guidance)))
    words = " ".join(visible_texts(page.guidance))
    assert "none are ticked" in words, "on indication: no sign marked"
    assert "A representative or guardian is present." in words, "and what would still block"


def test_keys_and_focus_on_the_start_and_safety_steps(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    set_language("sv")
    wizard = make_wizard(qtbot, store)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is wizard.start_page.start_button)
    focused = wizard.start_page.start_button.grab().toImage()
    wizard.start_page.benefit.setFocus()
    qtbot.waitUntil(lambda: not wizard.start_page.start_button.hasFocus())
    assert wizard.start_page.start_button.grab().toImage() != focused, "focus is drawn"
    text = wizard.start_page.start_button.text()
    letter = re.search(r"&(.)", text).group(1)
    assert letter.lower() not in "gjpqy", "the underline is not lost in a descender"
    driver = Driver(qtbot, wizard)
    driver.start()
    page = wizard.safety_page
    for index, (who, box) in enumerate(page.presence_boxes.items(), start=1):
        assert box.text().startswith(f"&{index} ")
        qtbot.keyClick(
            driver.focus(), getattr(Qt.Key, f"Key_{index}"), Qt.KeyboardModifier.AltModifier
        )
        qtbot.waitUntil(lambda who=who: who in wizard.session.state.others_present)


def test_after_saving_benefit_and_contact_carry_over(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    set_language("en")
    settings = Settings()
    wizard = make_wizard(qtbot, store, settings)
    driver = Driver(qtbot, wizard)
    driver.choose_benefit("maintenance_support")
    driver.press(wizard.start_page.contact_buttons[Contact.VIDEO])
    driver.start()
    driver.talk_freely(False)
    driver.not_asked()
    driver.save_and_wait()
    qtbot.waitUntil(lambda: wizard.current_page is wizard.start_page)
    assert wizard.start_page.benefit.currentData() == "maintenance_support"
    assert wizard.start_page.contact_buttons[Contact.VIDEO].isChecked()


def test_a_written_contact_hides_presence_and_interpreter(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    set_language("en")
    wizard = make_wizard(qtbot, store)
    driver = Driver(qtbot, wizard)
    driver.choose_benefit("maintenance_support")
    driver.press(wizard.start_page.contact_buttons[Contact.WRITTEN])
    driver.start()
    page = wizard.safety_page
    assert not page.presence_group.isVisible()
    assert not page.interpreter_group.isVisible()
    assert not page.talk_group.isVisible()
    assert "Never ask in writing" in page.guidance.title.text()


def test_a_practice_run_leaves_the_real_start_as_it_was(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    set_language("en")
    settings = Settings()
    practice = ScreeningWizard(store, settings, practice=True)
    qtbot.addWidget(practice)
    practice.start_from(
        practice.start_page.values()
        | {"benefit": "activity_compensation", "case_type": None, "contact": Contact.IN_PERSON}
    )
    real = make_wizard(qtbot, store, settings)
    assert real.start_page.benefit.currentData() != "activity_compensation"
    assert real.start_page.contact_buttons[Contact.PHONE].isChecked()
