"""Discreet mode: one key (F12) hides everything about screenings behind a neutral view.

Installed on the main window, it covers every tab: the window's content is
swapped for a neutral page, the title becomes neutral, the menu and status bars
are hidden, and any other open window of the app is covered too. The same key
brings everything back as it was, with the keyboard focus where it was.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.i18n import _
from app.ui.common.a11y import describe

DISCREET_KEY = Qt.Key.Key_F12


def neutral_title() -> str:
    return _("Notes")


class NeutralView(QFrame):
    """A plain, empty page with nothing that tells what the app is for."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(neutral_title())
        layout = QVBoxLayout(self)
        self.label = QLabel(_("No open documents."), self)
        describe(self.label, _("No open documents."))
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.label)


class _Cover(QObject):
    """Hides another top-level window's content behind a neutral view (without closing it,
    so a dialog's work is not lost) while discreet mode is on."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.title = window.windowTitle()
        self.hidden = [
            child
            for child in window.findChildren(
                QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
            )
            if child.isVisible() and not child.isWindow()
        ]
        for child in self.hidden:
            child.hide()
        self.view = NeutralView(window)
        self.view.setGeometry(window.rect())
        self.view.raise_()
        self.view.show()
        window.setWindowTitle(neutral_title())
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Resize:
            self.view.setGeometry(self.window.rect())
        return False

    def remove(self) -> None:
        self.window.removeEventFilter(self)
        self.window.setWindowTitle(self.title)
        self.view.hide()
        self.view.deleteLater()
        for child in self.hidden:
            if isValid(child):
                child.show()
        self.setParent(None)  # Python owns it now and frees it with the last reference


class DiscreetMode(QObject):
    """Wraps ``window``'s central widget; F12 (anywhere in the app) toggles the neutral view."""

    toggled = Signal(bool)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        content = window.takeCentralWidget()
        self.stack = QStackedWidget(window)
        self.content = content if content is not None else QWidget(self.stack)
        self.neutral = NeutralView(self.stack)
        self.stack.addWidget(self.content)
        self.stack.addWidget(self.neutral)
        window.setCentralWidget(self.stack)
        self.active = False
        self._title = ""
        self._display_name = ""
        self._focus: QWidget | None = None
        self._covers: list[_Cover] = []
        self._hidden_bars: list[QWidget] = []
        # An application-wide filter, not a QShortcut: it must work in modal dialogs too.
        application = QApplication.instance()
        if application is not None:
            application.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == DISCREET_KEY
            and not event.isAutoRepeat()
            and self.window.isVisible()
        ):
            self.toggle()
            return True
        return False

    def toggle(self) -> None:
        if self.active:
            self.leave()
        else:
            self.enter()

    def enter(self) -> None:
        if self.active:
            return
        self.active = True
        window = self.window
        self._focus = QApplication.focusWidget()
        self._title = window.windowTitle()
        self._display_name = QGuiApplication.applicationDisplayName()
        QGuiApplication.setApplicationDisplayName(neutral_title())
        window.setWindowTitle(neutral_title())
        self._hidden_bars = [
            bar
            for bar in (window.menuBar(), window.statusBar())
            if bar is not None and bar.isVisible()
        ]
        for bar in self._hidden_bars:
            bar.hide()
        self.stack.setCurrentWidget(self.neutral)
        self.neutral.setFocus()
        for other in QApplication.topLevelWidgets():
            if other is not window and other.isVisible() and other.isWindow():
                self._covers.append(_Cover(other))
        self.toggled.emit(True)

    def leave(self) -> None:
        if not self.active:
            return
        self.active = False
        for cover in self._covers:
            cover.remove()
        self._covers = []
        QGuiApplication.setApplicationDisplayName(self._display_name)
        self.window.setWindowTitle(self._title)
        for bar in self._hidden_bars:
            bar.show()
        self._hidden_bars = []
        self.stack.setCurrentWidget(self.content)
        if self._focus is not None and isValid(self._focus):
            self._focus.setFocus()
        self._focus = None
        self.toggled.emit(False)
