"""Asked before, ask again (issue 13), by keyboard: a "wait" with an agreed callback is listed
in My screenings to ask again; the case reference shows the earlier contacts on the start
step; the next screening of the case closes the follow-up. Sheltered housing is recorded
on the not-asked path with its prompt."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from app.screening.enums import DayPart
from app.screening.session import Step
from app.settings import Settings
from app.storage.followups import Followups
from app.storage.store import Store
from app.storage.versions import RecordVersions
from app.ui.my_screenings.page import MyScreeningsPage
from app.ui.wizard import ScreeningWizard
from tests.ui.wizard.test_wizard_flows import Clock, start
from tests.ui.wizard.wizard_driver import Driver, mnemonic_of

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
CASE = "DEMO-000777"


@pytest.fixture
def driver(qtbot, store: Store) -> Driver:  # type: ignore[no-untyped-def]
    wizard = ScreeningWizard(store, Settings(), clock=Clock())
    qtbot.addWidget(wizard)
    wizard.resize(1000, 900)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitExposed(wizard)
    qtbot.waitUntil(lambda: not wizard.writer.busy)
    wizard.start_page.focus_first()
    return Driver(qtbot, wizard)


def wait_with_callback(driver: Driver) -> object:
    start(driver, "maintenance_support", reference=CASE)
    driver.talk_freely(False)
    driver.not_asked()
    callback = driver.wizard.not_asked_page.callback
    driver.press(callback.agreed)
    driver.wait(lambda: driver.session.state.callback_day is not None)
    callback.day.setFocus()
    for _section in range(3):  # Tab walks the date's year, month and day, then leaves it
        driver.key(Qt.Key.Key_Tab)
    driver.wait(callback.parts[DayPart.MORNING].hasFocus)
    driver.key(Qt.Key.Key_Right)
    driver.wait(lambda: driver.session.state.callback_part is DayPart.AFTERNOON)
    driver.wizard.not_asked_page.save_button.setFocus()
    return driver.save_and_wait()


def test_a_callback_is_listed_to_ask_again_and_closed_by_the_next_screening(
    qtbot, driver: Driver, store: Store
) -> None:  # type: ignore[no-untyped-def]
    first = wait_with_callback(driver)
    (followup,) = Followups(store.engine).for_handler("handler-1")
    assert followup.record_id == first.id  # type: ignore[attr-defined]
    assert followup.due_day == date.today() + timedelta(days=1)
    assert followup.day_part is DayPart.AFTERNOON

    page = MyScreeningsPage(store, Settings())
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitExposed(page)
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    Driver(qtbot, None).alt(mnemonic_of(page.ask_again))  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: page.ask_again.isChecked() and not page.loading)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "Fråga igen"
    due = page.model.data(page.model.index(0, 0))
    assert due.endswith("eftermiddag")

    # the same case again: the start step shows the earlier contact
    page.close()
    driver.wizard.activateWindow()
    driver.wizard.start_page.focus_first()
    qtbot.waitUntil(driver.wizard.start_page.start_button.hasFocus)
    driver.press(driver.wizard.start_page.case_reference)
    driver.type_text(CASE)
    driver.key(Qt.Key.Key_Tab)  # leaving the field looks the case up
    earlier = driver.wizard.start_page.earlier
    driver.wait(earlier.isVisible)
    assert earlier.list.count() == 1
    assert (
        earlier.list.item(0).text().endswith("Underhållsstöd: inte frågat – Kan inte prata ostört")
    )
    driver.start()
    driver.talk_freely(True)
    driver.ask()
    driver.answer_all(set())
    driver.wait_step(Step.OUTCOME)
    driver.key(Qt.Key.Key_Return)
    driver.wait_step(Step.SUPPORT)
    driver.wizard.support_page.save_button.setFocus()
    second = driver.save_and_wait()
    assert Followups(store.engine).for_handler("handler-1") == []
    (closed,) = Followups(store.engine).for_handler("handler-1", include_closed=True)
    assert closed.closed_by == second.id  # type: ignore[attr-defined]


def test_sheltered_housing_and_its_prompt_on_the_not_asked_path(
    driver: Driver, store: Store
) -> None:
    start(driver, "sickness_benefit")
    driver.talk_freely(False)
    box = driver.wizard.safety_page.sheltered
    assert not box.prompt.isVisible()
    assert not box.hint.isVisible()
    sign = driver.wizard.safety_page.indicator_boxes["protected_or_sheltered"]
    sign.box.setFocus()
    driver.key(Qt.Key.Key_Space)  # the sign that may mean sheltered housing
    driver.wait(box.hint.isVisible)
    driver.press(box.flag)
    driver.wait(lambda: driver.session.state.sheltered_housing)
    driver.wait(box.prompt.isVisible)
    assert not box.hint.isVisible(), "recorded: the hint has done its work"
    box.prompt.box.setFocus()
    driver.key(Qt.Key.Key_Space)
    driver.wait(lambda: "adapt_contact" in driver.session.state.consequences_done)
    driver.not_asked()
    driver.wizard.not_asked_page.save_button.setFocus()
    record = driver.save_and_wait()
    stored = store.records.get(record.id)  # type: ignore[attr-defined]
    assert stored is not None
    assert stored.asked is False
    assert stored.sheltered_housing is True
    assert RecordVersions(store.engine).consequences(stored.id) == ["adapt_contact"]
