"""The child-concern dialog: a printable draft, never stored, and whether the report was made."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QPlainTextEdit, QPushButton

from app.i18n import set_language
from app.ui.common.a11y import heard_name
from app.ui.wizard import pdf
from app.ui.wizard.child_concern import ChildConcernDialog


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def test_the_draft_is_written_typed_and_saved_as_pdf(  # type: ignore[no-untyped-def]
    qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "report.pdf"
    monkeypatch.setattr(
        pdf.QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *args, **kwargs: (str(target), "")),
    )
    dialog = ChildConcernDialog()
    qtbot.addWidget(dialog)
    assert "personally" in dialog.reminder.text()
    qtbot.keyClicks(dialog.observed, "Parent said the child saw the violence")
    qtbot.keyClicks(dialog.when, "Phone call 2026-11-20")
    qtbot.keyClicks(dialog.child_situation, "Synthetic example: two children at home")
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)

    reader = pypdf.PdfReader(str(target))
    text = reader.pages[0].extract_text().replace("\t", " ")
    assert len(reader.pages) == 1
    assert "Report of concern about a child" in text
    assert "Parent said the child saw the violence" in text
    assert "Case handler at Försäkringskassan" in text
    assert "The child's situation" in text
    assert "report.pdf" in dialog.status.text()


def test_report_made_is_returned_and_the_texts_are_cleared(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ChildConcernDialog()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.observed, "Seen at the meeting")
    with qtbot.waitSignal(dialog.finished) as finished:
        qtbot.mouseClick(dialog.made_button, Qt.MouseButton.LeftButton)
    assert finished.args == [QDialog.DialogCode.Accepted.value]
    assert dialog.report_made
    assert dialog.observed.toPlainText() == ""


def test_not_now_records_no_report(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ChildConcernDialog()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.when, "today")
    with qtbot.waitSignal(dialog.finished) as finished:
        qtbot.mouseClick(dialog.not_now_button, Qt.MouseButton.LeftButton)
    assert finished.args == [QDialog.DialogCode.Rejected.value]
    assert not dialog.report_made
    assert dialog.when.text() == ""


def test_every_input_has_an_accessible_name(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ChildConcernDialog()
    qtbot.addWidget(dialog)
    inputs = [
        w for kind in (QPlainTextEdit, QLineEdit, QPushButton) for w in dialog.findChildren(kind)
    ]
    assert len(inputs) == 8
    assert all(heard_name(widget) for widget in inputs)
