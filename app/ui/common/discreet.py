"""Discreet mode: one key (F12) hides everything about screenings behind one neutral view.

Hidden means gone, not covered: an assistive technology walking the accessibility tree
(AT-SPI on Linux) reads hidden widgets as well as shown ones. So while discreet mode is on,
the content of every window of the app is moved out of its window into a holder that is
never shown (and so is in no accessibility tree), open menus close, windows other than the
one in front are hidden, and the one in front — the main window, or the modal dialog the
person is in — shows the single neutral view. Titles, the application's name (the root of
the accessibility tree) and, on X11, the window class are neutral too. The same key brings
everything back as it was: content, titles, the open dialog and the keyboard focus.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QMainWindow,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.i18n import _
from app.ui.common import window_class

DISCREET_KEY = Qt.Key.Key_F12
# A window that may show while discreet mode is on, as it is (the lock's password dialog).
SHOWN_WHILE_DISCREET = "shownWhileDiscreet"
# Window types that are not windows a person works in: they close or stay out of the tree.
_NOT_WINDOWS = (Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.Desktop)


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
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.label)


class _Vault:
    """One window's content, moved into a holder that is never shown (out of the window and
    of the accessibility tree) until :meth:`restore` puts it back as it was."""

    def __init__(self, window: QWidget) -> None:
        self.window = window
        self.title = window.windowTitle()
        self.holder = QWidget()  # never shown: it has no native window, so no tree either
        direct = Qt.FindChildOption.FindDirectChildrenOnly
        children = [c for c in window.findChildren(QWidget, options=direct) if not c.isWindow()]
        self.shown = [child for child in children if not child.isHidden()]
        self.central: QWidget | None = None
        self.menu: QWidget | None = None
        self.status: QStatusBar | None = None
        self.layout_moved = False
        if isinstance(window, QMainWindow):
            self.menu = window.menuWidget()
            self.status = window.findChild(QStatusBar, options=direct)
            self.central = window.takeCentralWidget()
        elif (layout := window.layout()) is not None:
            self.holder.setLayout(layout)  # takes the layout's widgets along
            self.layout_moved = True
        self.loose = [child for child in children if child.parentWidget() is window]
        for child in [*self.loose, *filter(None, (self.central,))]:
            child.setParent(self.holder)
        window.setWindowTitle(neutral_title())
        window_class.set_for(window, neutral_title())

    def restore(self) -> None:
        window = self.window
        if not isValid(window):  # closed and deleted meanwhile: its content goes with it
            self.holder.deleteLater()
            return
        for child in self.loose:
            if isValid(child):
                child.setParent(window)
        if isinstance(window, QMainWindow):
            if self.menu is not None and isValid(self.menu):
                window.setMenuWidget(self.menu)
            if self.status is not None and isValid(self.status):
                window.setStatusBar(self.status)
            if self.central is not None and isValid(self.central):
                window.setCentralWidget(self.central)
        elif self.layout_moved and (layout := self.holder.layout()) is not None:
            window.setLayout(layout)
        for child in self.shown:  # moving a widget hides it: show again what was shown
            if isValid(child) and child.parentWidget() is window:
                child.show()
        window.setWindowTitle(self.title)
        window_class.restore(window)
        self.holder.deleteLater()


class DiscreetMode(QObject):
    """F12 (anywhere in the app, in a modal dialog too) toggles the neutral view for every
    window of the app; ``window`` is the main window."""

    toggled = Signal(bool)

    def __init__(self, window: QMainWindow, *, watching: bool = True) -> None:
        super().__init__(window)
        self.window = window
        self.active = False
        self.neutral: NeutralView | None = None  # the one neutral view, while active
        self._host: QWidget | None = None
        self._names = ("", "")
        self._focus: QWidget | None = None
        self._vaults: list[_Vault] = []
        self._hidden: list[QWidget] = []
        if watching:
            self.watch()

    def watch(self) -> None:
        """F12 works from now on (the main window calls this once it is on screen, else
        the constructor does): an application-wide filter, not a QShortcut, for it must work
        in modal dialogs too."""
        application = QApplication.instance()
        if application is not None:
            application.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if "window" not in self.__dict__:
            return False  # cleared by the cycle collector with its window, still a filter
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == DISCREET_KEY
            and not event.isAutoRepeat()
            and (self.active or self.window.isVisible())
        ):
            self.toggle()
            return True
        if watched is self.window and event.type() == QEvent.Type.Close:
            QTimer.singleShot(0, self, self._stop_if_closed)  # (a close may be refused)
            return False
        if not self.active or not isinstance(watched, QWidget):
            return False
        if (
            event.type() == QEvent.Type.Resize
            and watched is self._host
            and self.neutral is not None
        ):
            self.neutral.setGeometry(watched.rect())
        elif event.type() == QEvent.Type.Show and self._newly_shown(watched):
            self._put_away(watched)  # a window opened meanwhile (a message, a dialog)
        return False

    def _stop_if_closed(self) -> None:
        """The main window closed: F12 and windows shown later are no longer this one's."""
        application = QApplication.instance()
        if application is not None and not (isValid(self.window) and self.window.isVisible()):
            application.removeEventFilter(self)

    def _newly_shown(self, widget: QWidget) -> bool:
        return (
            widget.isWindow()
            and widget.windowType() not in _NOT_WINDOWS
            and not widget.property(SHOWN_WHILE_DISCREET)
            and all(vault.window is not widget for vault in self._vaults)
        )

    def _put_away(self, window: QWidget) -> None:
        """Take ``window``'s content out and hide it (a modal one, whose work hiding would
        end, stays: empty, under a neutral title)."""
        self._vaults.append(_Vault(window))
        if not window.isModal():
            self._hidden.append(window)
            QTimer.singleShot(0, window, window.hide)  # not inside its own show

    def toggle(self) -> None:
        if self.active:
            self.leave()
        else:
            self.enter()

    def enter(self) -> None:
        if self.active:
            return
        self.active = True
        self._focus = QApplication.focusWidget()
        _close_popups()
        # The modal dialog the person is in stays (hiding it would end its work): it shows
        # the neutral view. Otherwise the main window does. Every other window is hidden.
        host = QApplication.activeModalWidget() or self.window
        self._host = host
        # Names first: a window's title is shown (and read) with the application's name.
        self._names = (QGuiApplication.applicationDisplayName(), QCoreApplication.applicationName())
        QGuiApplication.setApplicationDisplayName(neutral_title())
        QCoreApplication.setApplicationName(neutral_title())  # the accessibility tree's root
        for other in _app_windows():
            self._vaults.append(_Vault(other))
            if other is not host and other.isVisible() and not other.isModal():
                other.hide()
                self._hidden.append(other)
        self.neutral = NeutralView(host)
        self.neutral.setGeometry(host.rect())
        self.neutral.show()
        self.neutral.raise_()
        self.neutral.setFocus()
        self.toggled.emit(True)

    def leave(self) -> None:
        if not self.active:
            return
        self.active = False
        if self.neutral is not None and isValid(self.neutral):
            self.neutral.hide()
            self.neutral.setParent(None)  # out of the tree now, not at the next event loop turn
            self.neutral.deleteLater()
        self.neutral = None
        display_name, name = self._names
        QCoreApplication.setApplicationName(name)
        QGuiApplication.setApplicationDisplayName(display_name)
        for vault in self._vaults:
            vault.restore()
        self._vaults = []
        for window in self._hidden:
            if isValid(window):
                window.show()
        self._hidden = []
        host, self._host = self._host, None
        if host is not None and isValid(host):
            host.activateWindow()
        if self._focus is not None and isValid(self._focus):
            self._focus.setFocus()
        self._focus = None
        self.toggled.emit(False)


def _close_popups() -> None:
    """Close open menus and pop-up lists (each would otherwise show over the neutral view)."""
    for _attempt in range(20):  # a menu opened from a menu: one level at a time
        popup = QApplication.activePopupWidget()
        if popup is None:
            return
        popup.close()


def _app_windows() -> list[QWidget]:
    """Every window of the app that is in the accessibility tree (shown or hidden but made)."""
    return [
        widget
        for widget in QApplication.topLevelWidgets()
        if widget.isWindow()
        and widget.windowHandle() is not None
        and widget.windowType() not in _NOT_WINDOWS
        and not isinstance(widget, NeutralView)
    ]
