"""Alt+letter reaches one thing: in every area (and every inner tab) of the main window, in
both languages, the letters of the visible labels, buttons, group boxes, tabs and menus
are all different. A repeated letter makes Alt cycle between targets instead of acting.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabBar, QTabWidget, QWidget

from app.accounts.session import Login
from app.i18n import set_language
from app.settings import Settings
from app.ui.dashboard.page import StatsTab
from app.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _letters(text: str) -> list[str]:
    return [m.lower() for m in re.findall(r"&([^&\s])", text.replace("&&", ""))]


def visible_mnemonics(root: QWidget) -> list[tuple[str, str]]:
    """(letter, text) for every visible widget under ``root`` that shows a mnemonic."""
    found: list[tuple[str, str]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        texts: list[str] = []
        if isinstance(widget, QAbstractButton | QLabel):
            texts = [widget.text()]
        elif isinstance(widget, QGroupBox):
            texts = [widget.title()]
        elif isinstance(widget, QTabBar):
            texts = [widget.tabText(i) for i in range(widget.count()) if widget.isTabVisible(i)]
        for text in texts:
            found += [(letter, text) for letter in _letters(text)]
    return found


def clashes(found: list[tuple[str, str]]) -> dict[str, list[str]]:
    by_letter: dict[str, list[str]] = {}
    for letter, text in found:
        by_letter.setdefault(letter, []).append(text)
    return {letter: texts for letter, texts in by_letter.items() if len(texts) > 1}


def inner_tabs(area: QWidget) -> list[QTabWidget]:
    tabs = [area] if isinstance(area, QTabWidget) else []
    return [*tabs, *(inner for inner in area.findChildren(QTabWidget) if inner.isVisible())]


@pytest.mark.parametrize("language", ["en", "sv"])
def test_every_area_and_inner_tab_has_its_own_letters(qtbot, login: Login, language: str) -> None:  # type: ignore[no-untyped-def]
    set_language(language)
    window = MainWindow(login.store, Settings(), login=login)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    menus = [
        (letter, a.text()) for a in window.menuBar().actions() for letter in _letters(a.text())
    ]
    checked = 0
    problems: list[tuple[str, str, dict[str, list[str]]]] = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(20)
        area = window.tabs.widget(index)
        if isinstance(area, StatsTab):  # built when first shown, once its modules are in
            qtbot.waitUntil(
                lambda area=area: area.dashboard is not None and area.dashboard.isVisible()
            )
        pages = inner_tabs(area)
        for inner in pages or [None]:
            for position in range(inner.count()) if inner is not None else [None]:
                if inner is not None and position is not None:
                    inner.setCurrentIndex(position)
                found = [*menus, *visible_mnemonics(window.tabs.tabBar())]
                found += visible_mnemonics(area)
                if clashes(found):
                    where = (
                        inner.tabText(position)
                        if inner is not None and position is not None
                        else ""
                    )
                    problems.append((window.tabs.tabText(index), where, clashes(found)))
                checked += 1
    assert not problems, "\n".join(map(repr, problems))
    assert window.tabs.count() >= 7, "every area, administration included"
    assert checked >= 12
