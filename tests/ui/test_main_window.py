"""The main window opens on the store and shows its records, loaded off the UI thread."""

from __future__ import annotations

import argparse

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit, QPushButton

from app.cli.common import location_from
from app.settings import LANGUAGE, SERVER_ADDRESS, Settings
from app.ui.common.a11y import heard_name
from app.ui.common.settings_dialog import SettingsDialog
from app.ui.main_window import MainWindow


def test_records_appear_in_the_table(qtbot, store, make_record) -> None:  # type: ignore[no-untyped-def]
    store.records.import_records([make_record() for _ in range(3)])
    window = MainWindow(store, Settings())
    qtbot.addWidget(window)
    page = window.records_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    assert "3" in page.status.text()


def test_an_empty_store_says_so(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(store, Settings())
    qtbot.addWidget(window)
    qtbot.waitUntil(window.records_page.refresh_button.isEnabled)
    assert window.records_page.status.text() == "Inga screeningar registrerade ännu."


def test_every_input_has_an_accessible_name(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(store, Settings())
    qtbot.addWidget(window)
    inputs = [w for kind in (QComboBox, QLineEdit, QPushButton) for w in window.findChildren(kind)]
    assert inputs
    for widget in inputs:
        assert heard_name(widget), widget.objectName() or type(widget).__name__


def test_language_choice_is_saved(qtbot) -> None:  # type: ignore[no-untyped-def]
    settings = Settings()
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.language.setFocus()
    qtbot.keyClick(dialog.language, Qt.Key.Key_Down)  # Svenska -> English
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.language_changed
    assert Settings(settings.path).get(LANGUAGE) == "en"


def test_the_team_server_address_is_saved_without_a_password(qtbot) -> None:  # type: ignore[no-untyped-def]
    settings = Settings()
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.keyClicks(dialog.server, "postgresql://h-0421:secret@db.example/vagafraga")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.server_problem.isVisibleTo(dialog)  # a password never goes in the settings
    assert Settings(settings.path).get(SERVER_ADDRESS) == ""
    dialog.server.clear()
    qtbot.keyClicks(dialog.server, "postgresql://db.example/vagafraga?sslmode=verify-full")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.server_changed
    saved = Settings(settings.path).get(SERVER_ADDRESS)
    assert saved == "postgresql://db.example/vagafraga?sslmode=verify-full"
    location = location_from(argparse.Namespace(data_dir=None, database_url=None))
    assert location.is_server
    assert location.url.host == "db.example"
