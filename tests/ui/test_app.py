"""Start-up: Qt's own dialogs speak the app's language; a bad store is a dialog, not a crash."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from app.ui import app as app_module
from app.ui.app import install_qt_translations


@pytest.mark.parametrize(("language", "cancel"), [("sv", "Avbryt"), ("en", "Cancel")])
def test_standard_buttons_follow_the_chosen_language(qtbot, language: str, cancel: str) -> None:  # type: ignore[no-untyped-def]
    install_qt_translations(QApplication.instance(), language)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == cancel
    install_qt_translations(QApplication.instance(), "sv")


def test_a_store_that_cannot_be_opened_is_a_dialog_and_exit_code_2(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "vagafraga.db").write_bytes(b"not a database" * 100)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox,
        "critical",
        staticmethod(lambda _parent, title, text: shown.append((title, text))),
    )
    args = argparse.Namespace(data_dir=str(folder), database_url=None, language="sv", demo=False)
    assert app_module.run_gui(args) == 2
    assert shown
    assert shown[0][0] == "Databasen kan inte öppnas"
    assert "är inte en databas för Våga fråga" in shown[0][1]
