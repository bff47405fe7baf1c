"""From the wizard's support step, the handler saves the support sheet as a PDF (issue 5)."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.screening.session import Step
from app.settings import Settings
from app.storage.store import Store
from app.ui.wizard import ScreeningWizard, pdf
from app.ui.wizard.support_sheet import SupportSheetDialog
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


def test_the_sheet_is_saved_as_pdf_from_the_support_step_and_marks_info_given(
    driver: Driver, store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "numbers.pdf"
    monkeypatch.setattr(
        pdf.QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *args, **kwargs: (str(target), "PDF (*.pdf)")),
    )
    driver.choose_benefit("maintenance_support")
    driver.start()
    driver.talk_freely(True)
    driver.ask()
    driver.answer_all(set())
    driver.wait_step(Step.OUTCOME)
    driver.press(driver.wizard.pages[Step.OUTCOME].next_button)
    driver.wait_step(Step.SUPPORT)
    page = driver.wizard.support_page
    page.info_given.setChecked(False)
    seen: list[SupportSheetDialog] = []

    def in_the_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SupportSheetDialog):
            QTimer.singleShot(20, in_the_dialog)
            return
        seen.append(dialog)
        if dialog.safe_to_give is not None:
            dialog.safe_to_give.setChecked(True)  # on the phone: the person says it is safe
        dialog.pdf_button.click()
        dialog.accept()

    QTimer.singleShot(0, in_the_dialog)
    driver.press(page.sheet_button)  # Alt + its mnemonic opens the dialog (modal)
    driver.wait(lambda: bool(seen))

    reader = pypdf.PdfReader(str(target))
    lines = [" ".join(line.split()) for line in reader.pages[0].extract_text().splitlines()]
    text = " ".join(lines)
    assert len(reader.pages) == 1
    assert "020-50 50 50" in text  # Kvinnofridslinjen, suggested whatever the answer
    assert lines[0] == "Nummer som är bra att ha", "a neutral title on the outside"
    assert page.info_given.isChecked(), "giving the sheet is giving support information"
    driver.wizard.activateWindow()
    page.focus_first()  # the save button
    driver.wait(page.save_button.hasFocus)
    record = driver.save_and_wait()
    assert record.info_given  # type: ignore[attr-defined]
