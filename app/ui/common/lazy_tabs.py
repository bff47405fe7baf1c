"""Tabs whose pages are built when first shown (or first asked for), not all at start.

    tabs = LazyTabs(tab_widget)
    tabs.add("records", _("&Records"), lambda: RecordsPage(store))
    tabs.widget("records")      # built now if it was not yet; the tab keeps its place

Until its page is built, a tab holds an empty placeholder. Choosing the tab (mouse, keys,
its Alt+letter) builds the page and puts it in the placeholder's place before anything is
painted, so ``tab_widget.widget(i)`` and ``indexOf(page)`` see the real page once it is
current. Building a page must be cheap: heavy work belongs off the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import QObject, QSignalBlocker, Signal
from PySide6.QtWidgets import QTabWidget, QWidget


@dataclass
class _Tab:
    key: str
    build: Callable[[], QWidget]
    placeholder: QWidget
    page: QWidget | None = None


class LazyTabs(QObject):
    """Lazily built pages of ``tabs``, each known by a key."""

    built = Signal(str, QWidget)  # key, page: once, when a page is made

    def __init__(self, tabs: QTabWidget) -> None:
        super().__init__(tabs)
        self.tabs = tabs
        self._tabs: dict[str, _Tab] = {}
        tabs.currentChanged.connect(self._current_changed)

    def add(self, key: str, title: str, build: Callable[[], QWidget]) -> None:
        placeholder = QWidget(self.tabs)
        placeholder.setAccessibleName(title.replace("&", ""))
        self._tabs[key] = _Tab(key, build, placeholder)
        with QSignalBlocker(self.tabs):  # the first tab added must not build itself yet
            self.tabs.addTab(placeholder, title)

    def __iter__(self) -> Iterator[str]:
        """The keys, in the tabs' order."""
        return iter(list(self._tabs))

    def __contains__(self, key: object) -> bool:
        return key in self._tabs

    def is_built(self, key: str) -> bool:
        return key in self._tabs and self._tabs[key].page is not None

    def built_page(self, key: str) -> QWidget | None:
        """The page if it was built, without building it."""
        tab = self._tabs.get(key)
        return tab.page if tab is not None else None

    def key_of(self, index: int) -> str | None:
        widget = self.tabs.widget(index)
        for tab in self._tabs.values():
            if widget is tab.placeholder or (widget is not None and widget is tab.page):
                return tab.key
        return None

    def index_of(self, key: str) -> int:
        tab = self._tabs[key]
        return self.tabs.indexOf(tab.page if tab.page is not None else tab.placeholder)

    def widget(self, key: str) -> QWidget:
        """``key``'s page, built (and put in its tab) if it was not yet."""
        tab = self._tabs[key]
        if tab.page is None:
            page = tab.build()
            tab.page = page
            self._replace(tab, page)
            self.built.emit(key, page)
        return tab.page

    def show(self, key: str) -> QWidget:
        page = self.widget(key)
        self.tabs.setCurrentWidget(page)
        return page

    def _replace(self, tab: _Tab, page: QWidget) -> None:
        index = self.tabs.indexOf(tab.placeholder)
        was_current = self.tabs.currentIndex() == index
        with QSignalBlocker(self.tabs):
            # Insert before the placeholder, make it current, then remove the placeholder:
            # no other page is shown on the way.
            self.tabs.insertTab(index, page, self.tabs.tabText(index))
            self.tabs.setTabToolTip(index, self.tabs.tabToolTip(index + 1))
            if was_current:
                self.tabs.setCurrentIndex(index)
            self.tabs.removeTab(index + 1)
        tab.placeholder.deleteLater()

    def _current_changed(self, index: int) -> None:
        key = self.key_of(index)
        if key is not None and not self.is_built(key):
            self.widget(key)
