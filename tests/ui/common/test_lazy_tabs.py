"""Lazily built tabs: a page is made when its tab is first chosen, once, in its place."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTabWidget

from app.ui.common.lazy_tabs import LazyTabs


def test_a_page_is_built_when_its_tab_is_chosen_and_only_once(qtbot) -> None:  # type: ignore[no-untyped-def]
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    lazy = LazyTabs(tabs)
    made: list[str] = []

    def page(name: str):  # type: ignore[no-untyped-def]
        def build() -> QLabel:
            made.append(name)
            return QLabel(f"the {name} page")

        return build

    for name, title in (("one", "&One"), ("two", "&Two"), ("three", "T&hree"), ("four", "&Four")):
        lazy.add(name, title, page(name))
    tabs.show()
    qtbot.waitExposed(tabs)
    assert made == []  # nothing built by adding, not even the first tab
    lazy.show("one")
    assert made == ["one"]
    tabs.tabBar().setFocus()
    qtbot.keyClick(tabs.tabBar(), Qt.Key.Key_Right)  # the next tab, by keyboard
    assert made == ["one", "two"]
    assert tabs.currentIndex() == 1
    assert tabs.currentWidget().text() == "the two page"
    assert [tabs.tabText(i) for i in range(4)] == ["&One", "&Two", "T&hree", "&Four"]
    qtbot.keyClick(tabs.tabBar(), Qt.Key.Key_Left)
    qtbot.keyClick(tabs.tabBar(), Qt.Key.Key_Right)
    assert made == ["one", "two"]  # built once
    four = lazy.widget("four")  # asked for by name: built in its place, not shown
    assert tabs.indexOf(four) == 3
    assert tabs.currentIndex() == 1
    assert lazy.key_of(3) == "four"
    assert made == ["one", "two", "four"]
    assert not lazy.is_built("three")
