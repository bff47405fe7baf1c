"""The support sheet as the person takes it home: discreet by default, each number once,
languages named in the handler's language, unverified entries flagged, PDFs saved in the
handler's documents folder (issue 19)."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from app.i18n import set_language
from app.referrals.directory import DirectoryEntry, stockholm_today
from app.referrals.local import shipped_directory
from app.referrals.sheet import build_sheet, for_professionals, phone_script, sheet_as_text
from app.screening.enums import Contact
from app.ui.common.a11y import heard_name
from app.ui.wizard import pdf, support_sheet
from app.ui.wizard.child_concern import ChildConcernDialog
from app.ui.wizard.support_sheet import SupportSheetDialog
from tests.ui.wizard.wizard_driver import mnemonic_of

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

# Words that say what a line is for; none may be on the discreet sheet.
VIOLENCE_WORDS = (
    "våld",
    "hot",
    "övergrepp",
    "brott",
    "kvinnofrid",
    "kvinno",
    "jour",
    "heder",
    "violence",
    "abuse",
    "threat",
    "victim",
    "shelter",
    "women",
    "honour",
    "crime",
    "sexual",
    "sexuell",
)


def for_the_person() -> list[DirectoryEntry]:
    return [entry for entry in shipped_directory() if not for_professionals(entry)]


@pytest.fixture
def save_to(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[tuple[str, Path]]:
    """Every save dialog opened: (the suggested path, the file the handler picks)."""
    opened: list[tuple[str, Path]] = []

    def pick(parent, title, suggested, *args, **kwargs):  # type: ignore[no-untyped-def]
        target = tmp_path / f"picked-{len(opened)}.pdf"
        opened.append((suggested, target))
        return str(target), "PDF files (*.pdf)"

    monkeypatch.setattr(pdf.QFileDialog, "getSaveFileName", staticmethod(pick))
    monkeypatch.setattr(pdf, "_last_folder", None)
    return opened


def alt(qtbot, dialog, widget) -> None:  # type: ignore[no-untyped-def]
    """Alt + the letter the widget shows, typed where the keyboard focus is."""
    letter = mnemonic_of(widget).upper()
    focus = QApplication.focusWidget() or dialog
    qtbot.keyClick(focus, getattr(Qt.Key, f"Key_{letter}"), Qt.KeyboardModifier.AltModifier)


def pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(str(path))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def words_in(text: str) -> list[str]:
    lowered = text.lower()
    return [word for word in VIOLENCE_WORDS if re.search(rf"\b{word}", lowered)]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_discreet_sheet_is_the_default_and_says_nothing_about_violence(  # type: ignore[no-untyped-def]
    qtbot, save_to, language: str
) -> None:
    set_language(language)
    dialog = SupportSheetDialog(for_the_person(), Contact.IN_PERSON, language=language)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert dialog.discreet.isChecked(), "the person takes it home: discreet by default"
    alt(qtbot, dialog, dialog.pdf_button)
    qtbot.waitUntil(lambda: len(save_to) == 1)  # a button's key clicks it after 100 ms
    discreet = pdf_text(save_to[-1][1])
    assert "020-50 50 50" in discreet
    assert "116 006" in discreet
    fact = "Syns inte på telefonräkningen" if language == "sv" else "Does not show"
    assert fact in discreet, "free, anonymous, not on the phone bill stay"
    assert words_in(discreet) == []

    alt(qtbot, dialog, dialog.discreet)
    qtbot.waitUntil(lambda: not dialog.discreet.isChecked())
    assert not dialog.discreet.isChecked(), "the full version is one key away"
    alt(qtbot, dialog, dialog.pdf_button)
    qtbot.waitUntil(lambda: len(save_to) == 2)
    full = pdf_text(save_to[-1][1])
    assert words_in(full), "the full version says what each line is for"


def test_a_number_is_said_once_on_the_sheet_in_the_list_and_aloud(qtbot) -> None:  # type: ignore[no-untyped-def]
    set_language("sv")
    entries = for_the_person()
    dialog = SupportSheetDialog(entries, Contact.PHONE)
    qtbot.addWidget(dialog)
    police = next(
        box
        for box, e in zip(dialog.entry_boxes, entries, strict=True)
        if e.id == "police_emergency"
    )
    assert police.text() == "Polisen – nödnummer – 112"
    for box, entry in zip(dialog.entry_boxes, entries, strict=True):
        if entry.phone:
            assert box.text().count(entry.phone) == 1, box.text()
    for line in phone_script(entries, "sv")[1:-1]:
        numbers = [e.phone for e in entries if e.phone and e.phone in line]
        assert numbers, line
        assert all(line.count(number) == 1 for number in numbers), line
    printed = sheet_as_text(build_sheet(entries, "sv"))
    assert "Polisen – nödnummer\n" in printed
    printed = "\n".join(line for line in printed.splitlines() if not line.startswith("Webb:"))
    for entry in entries:
        if entry.phone and entry.phone != "112":  # 112 is also in the footer
            assert printed.count(entry.phone) == 1, entry.id


def test_the_sheet_language_is_named_in_the_handlers_language(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    set_language("sv")
    asked: list[str] = []

    def question(parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(support_sheet.QMessageBox, "question", staticmethod(question))
    dialog = SupportSheetDialog(for_the_person()[:1], Contact.IN_PERSON, language="ar")
    qtbot.addWidget(dialog)
    assert dialog.language.currentText().startswith("arabiska (العربية)")
    dialog.pdf_button.click()
    assert asked
    assert asked[0].startswith("Bladet på arabiska ")


def test_an_unverified_entry_is_offered_with_a_warning(qtbot) -> None:  # type: ignore[no-untyped-def]
    set_language("en")
    directory = shipped_directory()
    entry = directory["suicide_prevention_line"]
    assert entry.needs_verification(stockholm_today(), 365), "shipped as needing verification"
    dialog = SupportSheetDialog(
        [directory["kvinnofridslinjen"], entry],
        Contact.IN_PERSON,
        unverified=frozenset({entry.id}),
    )
    qtbot.addWidget(dialog)
    checked, warned = dialog.entry_boxes
    assert "WARNING: not verified" in warned.text()
    assert "WARNING: not verified" in heard_name(warned)
    assert "WARNING" not in checked.text()
    assert "WARNING" not in heard_name(checked)


def test_pdfs_are_offered_in_the_documents_folder_then_the_last_used(qtbot, save_to) -> None:  # type: ignore[no-untyped-def]
    set_language("en")
    dialog = ChildConcernDialog()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.observed, "Synthetic observation")
    dialog.pdf_button.click()
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    first, picked = save_to[0]
    assert Path(first).parent == Path(documents)
    assert Path(first).parent != Path.cwd()
    dialog.pdf_button.click()
    assert Path(save_to[1][0]).parent == picked.parent, "then the folder used last"
    QApplication.processEvents()


def test_the_support_step_lists_an_unverified_entry_with_a_warning(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    from app.screening.session import Step
    from app.settings import Settings
    from app.ui.wizard import ScreeningWizard
    from tests.ui.wizard.wizard_driver import Driver

    set_language("en")
    wizard = ScreeningWizard(store, Settings())
    qtbot.addWidget(wizard)
    wizard.resize(1000, 760)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitExposed(wizard)
    qtbot.waitUntil(lambda: not wizard.writer.busy)
    driver = Driver(qtbot, wizard)
    driver.choose_benefit("maintenance_support")
    driver.start()
    driver.talk_freely(True)
    driver.ask()
    driver.answer_all(set())
    driver.wait_step(Step.OUTCOME)
    driver.press(wizard.outcome_page.next_button)
    driver.wait_step(Step.SUPPORT)
    items = wizard.support_page.referrals
    texts = {
        items.item(row).data(Qt.ItemDataRole.UserRole): (
            items.item(row).text(),
            items.item(row).data(Qt.ItemDataRole.AccessibleTextRole),
        )
        for row in range(items.count())
    }
    shown, spoken = texts["suicide_prevention_line"]
    assert "WARNING: not verified" in shown
    assert "WARNING: not verified" in spoken
    assert "WARNING" not in texts["kvinnofridslinjen"][0]
