"""Discreet mode: F12 replaces the whole window with a neutral view, F12 brings it back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from app.screening.session import Step
from app.settings import Settings
from app.ui.common.discreet import neutral_title
from app.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

GIVEAWAYS = ("våld", "violence", "våga fråga", "screening", "112", "fråga", "question", "hot")


def visible_text(window: QWidget) -> str:
    parts = [window.windowTitle(), QGuiApplication.applicationDisplayName()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            parts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            parts.append(widget.title())
        elif isinstance(widget, QTabBar):
            parts += [widget.tabText(i) for i in range(widget.count())]
        parts.append(widget.accessibleName())
    return "\n".join(parts).lower()


@pytest.fixture
def window(qtbot, store):  # type: ignore[no-untyped-def]
    main = MainWindow(store, Settings())
    qtbot.addWidget(main)
    main.resize(1100, 720)
    main.show()
    main.activateWindow()
    qtbot.waitExposed(main)
    return main


def on_a_question(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    wizard = window.wizard
    wizard.start_from(wizard.start_page.values() | {"benefit": "maintenance_support"})
    wizard.act(lambda s: s.set_can_talk_freely(True))
    wizard.act(lambda s: s.begin_asking())
    wizard.act(lambda s: s.start_questions())
    assert wizard.session.step is Step.QUESTIONS
    qtbot.waitUntil(wizard.pages[Step.QUESTIONS].question.hasFocus)


def test_the_key_is_shown_in_the_screening_view(window) -> None:  # type: ignore[no-untyped-def]
    hint = window.wizard.discreet_hint
    assert hint.isVisible()
    assert "F12" in hint.text()


def test_f12_hides_everything_and_f12_brings_it_back(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    on_a_question(qtbot, window)
    before_title = window.windowTitle()
    before_name = QGuiApplication.applicationDisplayName()
    assert any(word in visible_text(window) for word in GIVEAWAYS), "the test text is meaningful"

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: window.discreet.active)
    text = visible_text(window)
    for word in GIVEAWAYS:
        assert word not in text, word
    assert window.windowTitle() == QGuiApplication.applicationDisplayName() != before_title
    assert not window.menuBar().isVisible()
    assert window.discreet.neutral.hasFocus()
    # The answer keys do nothing while hidden.
    answers = len(window.wizard.session.state.answers)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_J)
    assert len(window.wizard.session.state.answers) == answers

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: not window.discreet.active)
    assert window.windowTitle() == before_title
    assert QGuiApplication.applicationDisplayName() == before_name
    assert window.menuBar().isVisible()
    assert window.wizard.pages[Step.QUESTIONS].isVisible()
    qtbot.waitUntil(window.wizard.pages[Step.QUESTIONS].question.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_J)
    assert len(window.wizard.session.state.answers) == answers + 1


def test_f12_covers_every_tab_and_other_open_windows(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.tabs.setCurrentWidget(window.my_screenings)
    other = QDialog(window)
    other.setWindowTitle("Support sheet")
    layout = QVBoxLayout(other)
    layout.addWidget(QLabel("Kvinnofridslinjen", other))
    other.show()
    qtbot.waitExposed(other)
    window.discreet.toggle()
    assert "kvinnofridslinjen" not in visible_text(window)
    assert other.windowTitle() == window.windowTitle()
    cover = [
        w
        for w in other.findChildren(QWidget)
        if w.isVisible() and w.geometry().contains(other.rect().center())
    ]
    assert any(type(w).__name__ == "NeutralView" for w in cover)
    window.discreet.toggle()
    assert other.windowTitle() == "Support sheet"
    assert window.tabs.currentWidget() is window.my_screenings
    other.close()


def test_f12_works_inside_a_modal_dialog(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    dialog = QDialog(window)
    dialog.setWindowTitle("Report of concern about a child")
    field = QLineEdit(dialog)
    field.setAccessibleName("Observed")
    QVBoxLayout(dialog).addWidget(field)
    seen: list[tuple[bool, str]] = []

    def inside() -> None:
        field.setFocus()
        qtbot.keyClick(field, Qt.Key.Key_F12)
        seen.append((window.discreet.active, dialog.windowTitle()))
        qtbot.keyClick(QApplication.focusWidget() or field, Qt.Key.Key_F12)
        seen.append((window.discreet.active, dialog.windowTitle()))
        dialog.accept()

    QTimer.singleShot(0, inside)
    dialog.exec()
    assert seen == [(True, neutral_title()), (False, "Report of concern about a child")]
