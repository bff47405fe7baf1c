"""Inside a screening in progress, the main window's area keys (Alt+letter on its tabs)
ask before leaving the screening: a mistaken Alt+R once left a screening. Enter or Escape
stays where the handler was; Alt+G goes. Mouse clicks and Ctrl+Tab are not asked."""

from __future__ import annotations

from typing import Protocol, cast

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QKeySequence, QShortcutEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QTabWidget

from app.i18n import _
from app.ui.common.lazy_tabs import LazyTabs


class AreaWindow(Protocol):
    """What the guard needs of the main window (which imports this module)."""

    leave_question: QMessageBox | None

    @property
    def tabs(self) -> QTabWidget: ...

    @property
    def areas(self) -> LazyTabs: ...

    def current_area(self) -> str | None: ...

    def screening_in_progress(self) -> bool: ...


def _mnemonic(title: str) -> str:
    at = title.replace("&&", "").find("&")
    return title.replace("&&", "")[at + 1].lower() if 0 <= at < len(title) - 1 else ""


class AreaShortcutGuard(QObject):
    """Inside a screening in progress, an area's Alt+letter asks before leaving it (a
    mistaken Alt+R once left a screening). Mouse clicks and Ctrl+Tab are not asked."""

    def __init__(self, window: QMainWindow, screening: str) -> None:
        super().__init__(window)
        self._window = window
        self._host = cast(AreaWindow, window)
        self._screening = screening  # the screening area's key
        self._host.tabs.tabBar().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Shortcut or not isinstance(event, QShortcutEvent):
            return False
        window, host = self._window, self._host
        if not host.screening_in_progress() or host.current_area() != self._screening:
            return False
        key = event.key().toString(QKeySequence.SequenceFormat.PortableText).lower()
        letter = key.rsplit("+", 1)[-1]
        tabs = host.tabs
        target = next(
            (i for i in range(tabs.count()) if _mnemonic(tabs.tabText(i)) == letter), None
        )
        if target is None or host.areas.key_of(target) == self._screening:
            return False
        QTimer.singleShot(0, lambda: ask_to_leave(window, target))
        return True  # the tab bar does not switch by itself


def ask_to_leave(window: QMainWindow, target: int) -> None:
    """Whether to leave the screening in progress for the area at ``target``."""
    host = cast(AreaWindow, window)
    area = host.tabs.tabText(target).replace("&", "")
    box = QMessageBox(window)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("A screening is in progress"))
    box.setText(
        _(
            "Leave the screening in progress for {area}? It stays as it is until you come back."
        ).format(area=area)
    )
    stay = box.addButton(_("&Stay in the screening"), QMessageBox.ButtonRole.RejectRole)
    leave = box.addButton(_("&Go to {area}").format(area=area), QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(stay)
    box.setEscapeButton(stay)

    focused = QApplication.focusWidget()

    def answered() -> None:
        host.leave_question = None
        window.activateWindow()
        if box.clickedButton() is leave:
            host.tabs.setCurrentIndex(target)
        elif focused is not None and shiboken6.isValid(focused):
            focused.setFocus()  # back where the handler was in the screening
        box.deleteLater()

    box.finished.connect(answered)
    host.leave_question = box
    box.open()
