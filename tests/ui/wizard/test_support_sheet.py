"""The support sheet dialog: choose entries and language, print or save as PDF, read it back."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QMessageBox, QPushButton

from app.i18n import set_language
from app.referrals.directory import DirectoryEntry
from app.referrals.local import shipped_directory
from app.screening.enums import Contact
from app.ui.common.a11y import heard_name
from app.ui.wizard import pdf, support_sheet
from app.ui.wizard.support_sheet import SupportSheetDialog

A4_WIDTH = 595.0


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def entries(*ids: str) -> list[DirectoryEntry]:
    directory = shipped_directory()
    return [directory[entry_id] for entry_id in ids]


@pytest.fixture
def save_to(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The file the handler picks in the save dialog."""
    target = tmp_path / "numbers.pdf"
    monkeypatch.setattr(
        pdf.QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *args, **kwargs: (str(target), "PDF files (*.pdf)")),
    )
    return target


def answer_translation_question(
    monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton
) -> list[str]:
    asked: list[str] = []

    def question(parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(text)
        return answer

    monkeypatch.setattr(support_sheet.QMessageBox, "question", staticmethod(question))
    return asked


def click(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def pdf_runs(path: Path) -> tuple[int, list[tuple[str, float]]]:
    """Page count and each text run with its x position on the page (points)."""
    reader = pypdf.PdfReader(str(path))
    runs: list[tuple[str, float]] = []

    def visit(text, cm, tm, _font, _size):  # type: ignore[no-untyped-def]
        if text.strip():
            runs.append((text.replace("\t", " ").strip(), tm[4] * cm[0] + tm[5] * cm[2] + cm[4]))

    reader.pages[0].extract_text(visitor_text=visit)
    return len(reader.pages), runs


def logical(run: str) -> str:
    """Arabic as extracted from a PDF (presentation forms, visual order) back to plain text."""
    return unicodedata.normalize("NFKC", run)[::-1]


def test_chosen_entries_are_saved_as_a_one_page_pdf(qtbot, save_to: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = SupportSheetDialog(
        entries("kvinnofridslinjen", "social_services", "police_emergency"), Contact.IN_PERSON
    )
    qtbot.addWidget(dialog)
    assert dialog.safe_to_give is None
    click(qtbot, dialog.entry_boxes[1])  # leave social services off the sheet
    assert dialog.chosen_ids() == ["kvinnofridslinjen", "police_emergency"]
    click(qtbot, dialog.pdf_button)

    pages, runs = pdf_runs(save_to)
    text = " ".join(run for run, _x in runs)
    assert pages == 1
    assert "Nummer som är bra att ha" in text  # Swedish is the default sheet language
    assert "020-50 50 50" in text
    assert "dygnet runt, alla dagar" in text
    assert "Socialtjänsten" not in text
    assert "våld" not in text.split("Här är")[0].lower()
    assert dialog.info_given
    assert dialog.saved_to == save_to
    assert save_to.name in dialog.status.text()
    assert not list(save_to.parent.glob("*.partial"))
    metadata = pypdf.PdfReader(str(save_to)).metadata
    assert metadata.title == "Nummer som är bra att ha"  # the neutral title, nothing more
    assert not [value for value in metadata.values() if "fråga" in str(value).lower()]


def test_every_entry_still_fits_on_one_page(qtbot, save_to: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = SupportSheetDialog(list(shipped_directory()), Contact.IN_PERSON)
    qtbot.addWidget(dialog)
    click(qtbot, dialog.pdf_button)
    pages, runs = pdf_runs(save_to)
    assert pages == 1
    assert "020-555 666" in " ".join(run for run, _x in runs)


def test_an_arabic_sheet_needs_confirmation_and_is_laid_out_right_to_left(  # type: ignore[no-untyped-def]
    qtbot, save_to: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    dialog = SupportSheetDialog(entries("kvinnofridslinjen", "police_emergency"), Contact.IN_PERSON)
    qtbot.addWidget(dialog)
    dialog.language.setFocus()
    qtbot.keyClick(dialog.language, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.language, Qt.Key.Key_Down)
    assert dialog.sheet_language() == "ar"
    assert "not reviewed" in dialog.language.currentText()
    assert "not been reviewed" in dialog.status.text()

    asked = answer_translation_question(monkeypatch, QMessageBox.StandardButton.No)
    click(qtbot, dialog.pdf_button)
    assert len(asked) == 1
    assert not save_to.exists()
    assert not dialog.info_given

    asked = answer_translation_question(monkeypatch, QMessageBox.StandardButton.Yes)
    click(qtbot, dialog.pdf_button)
    assert len(asked) == 1
    pages, runs = pdf_runs(save_to)
    assert pages == 1
    by_text = {logical(run): x for run, x in runs}
    title_x = by_text["أرقام مفيدة"]  # the words come back in reading order
    assert title_x > A4_WIDTH / 2  # right-aligned: the title sits on the right half
    phone = next(x for run, x in runs if run == "020-50 50 50")  # the number keeps its order
    label = next(x for run, x in runs if logical(run).startswith("الهاتف"))
    assert phone < label  # in right-to-left text the number follows the label to its left

    # the same sheet in Swedish starts at the left margin
    dialog.language.setCurrentIndex(dialog.language.findData("sv"))
    swedish = tmp_path / "sv.pdf"
    monkeypatch.setattr(
        pdf.QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *args, **kwargs: (str(swedish), "")),
    )
    click(qtbot, dialog.pdf_button)
    _pages, swedish_runs = pdf_runs(swedish)
    assert dict(swedish_runs)["Nummer som är bra att ha"] < 80


def test_the_confirmation_is_asked_once_per_language(  # type: ignore[no-untyped-def]
    qtbot, save_to: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = SupportSheetDialog(entries("kvinnofridslinjen"), Contact.IN_PERSON, language="ar")
    qtbot.addWidget(dialog)
    asked = answer_translation_question(monkeypatch, QMessageBox.StandardButton.Yes)
    click(qtbot, dialog.pdf_button)
    click(qtbot, dialog.pdf_button)
    assert len(asked) == 1


def test_on_the_phone_the_numbers_are_read_aloud_and_sending_needs_consent(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = SupportSheetDialog(entries("kvinnofridslinjen", "police_emergency"), Contact.PHONE)
    qtbot.addWidget(dialog)
    script = dialog.phone_script_label.text()
    assert "020-50 50 50" in script
    assert "112" in script
    assert not dialog.print_button.isEnabled()
    assert not dialog.pdf_button.isEnabled()
    assert "safe" in dialog.status.text()
    assert dialog.read_aloud is not None
    click(qtbot, dialog.read_aloud)
    assert dialog.info_given
    assert dialog.safe_to_give is not None
    click(qtbot, dialog.safe_to_give)
    assert dialog.print_button.isEnabled()
    assert dialog.pdf_button.isEnabled()


def test_nothing_chosen_means_nothing_to_print(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = SupportSheetDialog(entries("kvinnofridslinjen"), Contact.IN_PERSON)
    qtbot.addWidget(dialog)
    dialog.entry_boxes[0].setFocus()
    qtbot.keyClick(dialog.entry_boxes[0], Qt.Key.Key_Space)
    assert dialog.chosen_ids() == []
    assert not dialog.pdf_button.isEnabled()
    assert "at least one" in dialog.status.text()


def test_print_goes_through_the_print_dialog(  # type: ignore[no-untyped-def]
    qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    printed = tmp_path / "printed.pdf"

    class PrintToFile:
        """Stands in for the system print dialog: the handler picks a PDF printer."""

        def __init__(self, printer: QPrinter, parent) -> None:  # type: ignore[no-untyped-def]
            self.printer = printer

        def exec(self) -> QDialog.DialogCode:
            self.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            self.printer.setOutputFileName(str(printed))
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(pdf, "QPrintDialog", PrintToFile)
    dialog = SupportSheetDialog(entries("brottsofferjouren"), Contact.IN_PERSON, language="en")
    qtbot.addWidget(dialog)
    click(qtbot, dialog.print_button)
    pages, runs = pdf_runs(printed)
    assert pages == 1
    assert "116 006" in " ".join(run for run, _x in runs)
    assert dialog.info_given
    assert "printer" in dialog.status.text()


def test_a_cancelled_print_gives_nothing(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    class Cancel:
        def __init__(self, printer: QPrinter, parent) -> None:  # type: ignore[no-untyped-def]
            pass

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Rejected

    monkeypatch.setattr(pdf, "QPrintDialog", Cancel)
    dialog = SupportSheetDialog(entries("brottsofferjouren"), Contact.IN_PERSON)
    qtbot.addWidget(dialog)
    click(qtbot, dialog.print_button)
    assert not dialog.info_given


def test_a_folder_that_cannot_be_written_is_reported(  # type: ignore[no-untyped-def]
    qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "missing-folder" / "numbers.pdf"
    monkeypatch.setattr(
        pdf.QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *args, **kwargs: (str(target), "")),
    )
    dialog = SupportSheetDialog(entries("brottsofferjouren"), Contact.IN_PERSON)
    qtbot.addWidget(dialog)
    click(qtbot, dialog.pdf_button)
    assert "cannot be written" in dialog.status.text()
    assert not dialog.info_given
    assert not target.exists()


def test_every_input_has_an_accessible_name(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = SupportSheetDialog(entries("kvinnofridslinjen", "police_emergency"), Contact.PHONE)
    qtbot.addWidget(dialog)
    inputs = [w for kind in (QCheckBox, QComboBox, QPushButton) for w in dialog.findChildren(kind)]
    assert len(inputs) >= 8
    for widget in inputs:
        assert heard_name(widget), widget.text() if hasattr(widget, "text") else widget


def test_a_line_for_professionals_is_offered_but_not_ticked(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = SupportSheetDialog(entries("kvinnofridslinjen", "honour_support_line"), Contact.PHONE)
    qtbot.addWidget(dialog)
    assert dialog.chosen_ids() == ["kvinnofridslinjen"]
    assert "for you as the handler" in dialog.entry_boxes[1].text()
    assert "010-223 57 60" not in dialog.phone_script_label.text()
