"""The benefit's prompts on the outcome step are check boxes: ticking one records it (issue 5,
"inform the person's other cases")."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.i18n import _, current_language
from app.screening.guidance import Decision
from app.screening.protocols import protocol_set
from app.screening.session import Step
from app.settings import Settings
from app.storage.store import Store
from app.storage.versions import RecordVersions
from app.ui.wizard import ScreeningWizard
from tests.ui.wizard.wizard_driver import Driver

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def driver(qtbot, store: Store) -> Driver:  # type: ignore[no-untyped-def]
    wizard = ScreeningWizard(store, Settings())
    qtbot.addWidget(wizard)
    wizard.resize(1000, 760)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitExposed(wizard)
    qtbot.waitUntil(lambda: not wizard.writer.busy)
    wizard.start_page.focus_first()
    return Driver(qtbot, wizard)


def to_outcome(driver: Driver, benefit: str) -> None:
    driver.choose_benefit(benefit)
    driver.start()
    driver.talk_freely(True)
    if driver.session.guidance.decision is Decision.NOT_REQUIRED:
        driver.tick_first_indicator()
    driver.ask()
    driver.answer_all(set())
    driver.wait_step(Step.OUTCOME)


def test_informing_other_cases_is_ticked_by_keyboard_and_saved(
    driver: Driver, store: Store
) -> None:
    protocol = protocol_set().latest("sgi_customer_meeting")
    assert not protocol.needs_case_type
    to_outcome(driver, "sgi_customer_meeting")
    page = driver.wizard.pages[Step.OUTCOME]
    assert list(page.consequence_boxes) == [item.id for item in protocol.consequences]
    prompt = protocol.consequences[0].text.get(current_language())
    inform = page.consequence_boxes["inform_other_cases"]
    assert inform.box.accessibleName() == _("Done: {prompt}").format(prompt=prompt)
    assert inform.label.text() == prompt
    assert not inform.isChecked()

    driver.press(page.consequences)  # Alt + the group's mnemonic: the first prompt
    driver.wait(inform.box.hasFocus)
    driver.key(Qt.Key.Key_Space)
    driver.wait(lambda: driver.session.state.consequences_done == ["inform_other_cases"])
    driver.key(Qt.Key.Key_Tab)  # the next prompt is reachable by Tab, and left unticked
    driver.wait(page.consequence_boxes["adapt_contact"].box.hasFocus)

    driver.press(page.next_button)
    driver.wait_step(Step.SUPPORT)
    record = driver.save_and_wait()
    versions = RecordVersions(store.engine)
    assert versions.consequences(record.id) == ["inform_other_cases"]  # type: ignore[attr-defined]


def test_a_ticked_prompt_is_kept_when_going_back_and_can_be_unticked(driver: Driver) -> None:
    to_outcome(driver, "maintenance_support")
    page = driver.wizard.pages[Step.OUTCOME]
    special = page.consequence_boxes["special_reasons"]
    driver.press(page.consequences)
    driver.wait(special.box.hasFocus)
    driver.key(Qt.Key.Key_Space)
    driver.wait(lambda: driver.session.state.consequences_done == ["special_reasons"])
    driver.press(page.next_button)
    driver.wait_step(Step.SUPPORT)
    driver.press(driver.wizard.support_page.back_button)
    driver.wait_step(Step.OUTCOME)
    assert special.isChecked(), "the outcome page shows what was recorded"
    driver.press(page.consequences)
    driver.wait(special.box.hasFocus)
    driver.key(Qt.Key.Key_Space)
    driver.wait(lambda: driver.session.state.consequences_done == [])
