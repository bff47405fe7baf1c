"""The whole screening by keyboard, for every benefit, read back from the store.

Paths: ask -> disclose -> child concern -> referral -> save; wait -> not asked;
not required; written contact.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from app.referrals.suggest import Outcome, suggest
from app.screening.enums import (
    Answer,
    CaseType,
    ChildDecision,
    ClientSex,
    Contact,
    Interpreter,
    Mode,
    NotAskedReason,
)
from app.screening.guidance import Decision
from app.screening.protocols import Flag, protocol_set
from app.screening.record import ProtocolRef
from app.screening.session import Step
from app.settings import LAST_BENEFIT, Settings
from app.storage.store import Store
from app.storage.versions import RecordVersions
from app.ui.wizard import ScreeningWizard
from tests.ui.wizard.wizard_driver import Driver, flag_path

# The offscreen platform warns whenever a shown window's size hints change.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

BENEFITS = protocol_set().benefits()
ON_INDICATION_ALWAYS = [
    b
    for b in BENEFITS
    if not protocol_set().latest(b).needs_case_type
    and protocol_set().latest(b).mode_for(None) is Mode.ON_INDICATION
]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 10, 8, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def driver(qtbot, store: Store, clock: Clock) -> Driver:  # type: ignore[no-untyped-def]
    wizard = ScreeningWizard(store, Settings(), clock=clock)
    qtbot.addWidget(wizard)
    wizard.resize(1000, 760)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitExposed(wizard)
    qtbot.waitUntil(lambda: not wizard.writer.busy)
    wizard.start_page.focus_first()
    return Driver(qtbot, wizard)


def start(
    driver: Driver,
    benefit: str,
    *,
    case_type_index: int = 0,
    written: bool = False,
    woman: bool = True,
    reference: str | None = None,
) -> None:
    driver.choose_benefit(benefit)
    if protocol_set().latest(benefit).needs_case_type:
        driver.choose_case_type_index(case_type_index)
    page = driver.wizard.start_page
    if written:
        driver.press(page.contact_buttons[Contact.WRITTEN])
    if woman:
        driver.press(page.sex_buttons[ClientSex.FEMALE])
    if reference:
        driver.press(page.case_reference)
        driver.wait(page.case_reference.hasFocus)
        driver.type_text(reference)
    page = driver.wizard.start_page
    driver.wait(lambda: page.values()["contact"] is (Contact.WRITTEN if written else Contact.PHONE))
    driver.wait(
        lambda: page.values()["client_sex"] is (ClientSex.FEMALE if woman else ClientSex.UNKNOWN)
    )
    driver.start()


@pytest.mark.parametrize("benefit", BENEFITS)
def test_ask_disclose_child_concern_referral_save(
    driver: Driver, store: Store, clock: Clock, benefit: str
) -> None:
    protocol = protocol_set().latest(benefit)
    start(driver, benefit, reference="DEMO-000123")
    driver.talk_freely(True)
    indicators: list[str] = []
    if driver.session.guidance.decision is Decision.NOT_REQUIRED:
        driver.tick_first_indicator()
        indicators = [protocol.indicators[0].id]
    assert driver.session.guidance.decision is Decision.ASK
    driver.ask()
    opened = clock.now
    form_question = next(q for q in protocol.script.questions if q.form is not None)
    children = flag_path(protocol, Flag.CHILDREN_AFFECTED)
    clock.now += timedelta(seconds=125)
    driver.answer_all({form_question.id, *(q.id for q in children)})
    driver.wait_step(Step.OUTCOME)
    outcome = driver.wizard.pages[Step.OUTCOME]
    assert outcome.form_boxes[form_question.form].isChecked(), "the yes presets its form"
    assert outcome.children_buttons[True].isChecked()
    driver.key(Qt.Key.Key_Return)  # Continue has the focus
    driver.wait_step(Step.CHILDREN)
    children_page = driver.wizard.pages[Step.CHILDREN]
    assert not children_page.next_button.isEnabled(), "cannot be passed silently"
    driver.press(children_page.next_button)
    assert driver.session.step is Step.CHILDREN
    driver.press(children_page.choices[ChildDecision.REPORTED_NOW])
    driver.wait(lambda: driver.session.state.child_decision is ChildDecision.REPORTED_NOW)
    driver.press(children_page.next_button)
    driver.wait_step(Step.SUPPORT)
    support = driver.wizard.support_page
    # nothing is ticked in advance: the suggestions are listed first, the handler ticks
    assert driver.session.state.referrals == []
    assert not support.info_given.isChecked()
    suggested = [
        s.entry_id
        for s in suggest(
            Outcome(
                answer=Answer.DISCLOSED,
                violence_forms=[form_question.form],
                children_affected=True,
                client_sex=ClientSex.FEMALE,
                language="sv",
            ),
            driver.wizard.directory,
        )
    ]
    listed = [
        support.referrals.item(row).data(Qt.ItemDataRole.UserRole)
        for row in range(support.referrals.count())
    ]
    assert listed[: len(suggested)] == suggested
    assert "social_services" in suggested, "children affected: social services is suggested"
    extra_row = len(suggested)
    extra = listed[extra_row]
    driver.press(support.referrals)
    driver.wait(support.referrals.hasFocus)
    driver.key(Qt.Key.Key_Home)
    for row in range(extra_row + 1):
        if listed[row] == "social_services":
            driver.key(Qt.Key.Key_Space)
            driver.wait(lambda: "social_services" in driver.session.state.referrals)
        if row < extra_row:
            driver.key(Qt.Key.Key_Down)
    driver.key(Qt.Key.Key_Space)
    driver.wait(lambda: extra in driver.session.state.referrals)
    driver.press(support.info_given)
    driver.wait(lambda: driver.session.state.info_given)
    clock.now += timedelta(seconds=60)
    support.save_button.setFocus()
    record = driver.save_and_wait()

    stored = store.records.get(record.id)
    assert stored == record
    assert stored.recorded_at == clock.now
    assert (stored.handler, stored.team) == ("handler-1", "team-1")
    assert stored.benefit == benefit
    assert stored.case_type is (
        CaseType.RETURN_TO_WORK_INVESTIGATION if protocol.needs_case_type else None
    )
    assert stored.contact is Contact.PHONE
    assert stored.mode is protocol.mode_for(stored.case_type)
    assert stored.indications is (True if indicators else None)
    assert stored.asked is True
    assert stored.not_asked_reason is None
    assert stored.answer is Answer.DISCLOSED
    assert stored.violence_forms == [form_question.form]
    assert stored.immediate_danger is False
    assert stored.high_risk is False
    assert stored.children_affected is True
    assert stored.child_report is True
    assert stored.child_report_decision is ChildDecision.REPORTED_NOW
    assert stored.info_given is True
    assert stored.referrals == ["social_services", extra]
    assert stored.interpreter is Interpreter.NONE
    assert stored.language == "sv"
    assert stored.client_sex is ClientSex.FEMALE
    assert stored.sheltered_housing is False
    assert stored.duration_seconds == (clock.now - opened).total_seconds() == 185
    assert stored.protocol == ProtocolRef(id=protocol.id, version=protocol.version)
    assert stored.practice is False
    assert stored.case_reference == "DEMO-000123"
    assert stored.notes is None
    assert RecordVersions(store.engine).indicators(record.id) == sorted(indicators)
    assert driver.wizard.parts.drafts.get("handler-1") is None, "saving removes the draft"
    assert driver.wizard.stack.currentWidget() is driver.wizard.start_page, "a fresh start"
    assert (
        "Sparad" in driver.wizard.start_page.notice.text.text()
        or "Saved" in driver.wizard.start_page.notice.text.text()
    )
    assert Settings().get(LAST_BENEFIT) == benefit


@pytest.mark.parametrize("benefit", BENEFITS)
def test_wait_then_not_asked_in_at_most_three_keystrokes(
    driver: Driver, store: Store, benefit: str
) -> None:
    start(driver, benefit, woman=False)
    driver.talk_freely(False)
    if driver.session.guidance.decision is Decision.NOT_REQUIRED:
        driver.tick_first_indicator()
    assert driver.session.guidance.decision is Decision.WAIT
    before = driver.keystrokes
    driver.not_asked()
    assert driver.wizard.pages[Step.NOT_ASKED].reason.currentData() == "unsafe_to_talk"
    record = driver.save_and_wait()
    assert driver.keystrokes - before <= 3
    stored = store.records.get(record.id)
    assert stored is not None
    assert stored.asked is False
    assert stored.not_asked_reason is NotAskedReason.UNSAFE_TO_TALK
    assert stored.answer is None
    assert stored.duration_seconds is None
    assert stored.info_given is False
    assert stored.referrals == []
    assert stored.client_sex is ClientSex.UNKNOWN
    assert stored.children_affected is None
    assert stored.case_reference is None


@pytest.mark.parametrize(
    "benefit", [*ON_INDICATION_ALWAYS, "sickness_benefit", "rehabilitation_compensation"]
)
def test_not_required_is_recorded_as_no_indication(
    driver: Driver, store: Store, benefit: str
) -> None:
    needs_case_type = protocol_set().latest(benefit).needs_case_type
    start(driver, benefit, case_type_index=1 if needs_case_type else 0)  # "other case"
    driver.talk_freely(True)
    assert driver.session.guidance.decision is Decision.NOT_REQUIRED
    driver.not_asked()
    record = driver.save_and_wait()
    stored = store.records.get(record.id)
    assert stored is not None
    assert stored.mode is Mode.ON_INDICATION
    assert stored.indications is False
    assert stored.not_asked_reason is NotAskedReason.NO_INDICATION
    assert stored.case_type is (CaseType.OTHER if needs_case_type else None)


def test_maintenance_support_is_always_routine(driver: Driver) -> None:
    start(driver, "maintenance_support")
    driver.talk_freely(True)
    assert driver.session.guidance.decision is Decision.ASK


@pytest.mark.parametrize("benefit", BENEFITS)
def test_written_contact_is_never_asked(driver: Driver, store: Store, benefit: str) -> None:
    start(driver, benefit, written=True)
    safety = driver.wizard.pages[Step.SAFETY]
    assert not safety.talk_group.isVisible()
    if driver.session.guidance.decision is Decision.NOT_REQUIRED:
        driver.tick_first_indicator()
    assert driver.session.guidance.decision is Decision.NOT_IN_WRITING
    assert not safety.ask_button.isEnabled()
    driver.not_asked()
    record = driver.save_and_wait()
    stored = store.records.get(record.id)
    assert stored is not None
    assert stored.contact is Contact.WRITTEN
    assert stored.asked is False
    assert stored.not_asked_reason is NotAskedReason.WRITTEN_CONTACT
