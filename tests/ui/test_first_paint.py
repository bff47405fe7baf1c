"""After signing in, the main window's first paint needs no storage layer (issue 16): the page
each role lands on is built and painted without SQLAlchemy, Alembic or the ORM tables, and
its first reads of the store (a draft to resume, the users, the statistics) start once the
window is painted, off the UI thread; then its data arrives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from app.accounts.access import Role
from app.accounts.admin import AccountService
from app.accounts.session import Login, unlock
from app.screening.protocols import protocol_set
from app.screening.session import Session, StartInfo
from app.settings import Settings
from app.storage.drafts import DraftRepository
from app.storage.location import StoreLocation, resolve_location
from app.storage.store import Store
from app.ui.common.areas import LANDING, MODULES
from app.ui.common.tasks import wait_for_tasks
from app.ui.main_window import MainWindow
from tests.conftest import TEST_PASSWORD

pytestmark = [
    pytest.mark.usefixtures("english"),
    pytest.mark.qt_log_ignore("propagateSizeHints", r"support raise\(\)"),
]

STORAGE_LAYER = ("sqlalchemy", "alembic", "app.storage.tables")
LANDING_MODULES = tuple(dict.fromkeys(MODULES[area] for _role, area in LANDING))


def test_the_main_window_and_every_landing_page_import_without_the_storage_layer() -> None:
    modules = ("app.ui.main_window", *LANDING_MODULES)
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(json.dumps(sorted(n for n in {STORAGE_LAYER!r} if n in sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
    assert set(LANDING_MODULES) == {
        "app.ui.wizard.wizard",
        "app.ui.dashboard.page",
        "app.ui.practice.page",
        "app.ui.admin.page",
    }


class EngineWatch:
    """A store whose engine is noted each time it is read before the window is painted."""

    def __init__(self, store: Store, painted: Callable[[], bool]) -> None:
        self._store = store
        self._painted = painted
        self.early: list[str] = []  # the threads that read it before the first paint

    def __getattr__(self, name: str) -> Any:
        if name == "engine" and not self._painted():
            self.early.append(threading.current_thread().name)
        return getattr(self._store, name)


@pytest.fixture
def location(data_dir: Path, init_test_store: Callable[[Path], Path]) -> StoreLocation:
    init_test_store(data_dir)
    location = resolve_location(data_dir)
    with unlock(location, "test-admin", TEST_PASSWORD) as admin:  # an administrator only
        AccountService(admin).add(
            "test-adm2", TEST_PASSWORD, frozenset({Role.ADMIN}), frozenset({"test-team-a"})
        )
    return location


Landed = Callable[[str], tuple[MainWindow, EngineWatch]]


@pytest.fixture
def landed(qtbot, location: StoreLocation) -> Iterator[Landed]:  # type: ignore[no-untyped-def]
    """``landed(user)``: ``user``'s main window, made and shown as after signing in, on a
    store that notes each read of its engine before the window's first paint."""
    logins: list[Login] = []

    def open_window(user: str) -> tuple[MainWindow, EngineWatch]:
        login = unlock(location, user, TEST_PASSWORD)
        logins.append(login)
        window: list[MainWindow] = []
        watch = EngineWatch(login.store, lambda: bool(window) and window[0].on_screen)
        watched = replace(login, store=watch)  # type: ignore[arg-type]
        window.append(MainWindow(watch, Settings(), login=watched))  # type: ignore[arg-type]
        qtbot.addWidget(window[0])
        window[0].show()
        qtbot.waitUntil(lambda: window[0].on_screen)
        return window[0], watch

    yield open_window
    wait_for_tasks()
    for login in logins:
        login.close()


def test_a_handler_lands_on_the_screening_and_is_offered_their_draft(  # type: ignore[no-untyped-def]
    qtbot, landed, location
) -> None:
    with unlock(location, "test-h01", TEST_PASSWORD) as handler:
        info = StartInfo(handler="test-h01", team="test-team-a", benefit="maintenance_support")
        draft = Session.begin(info, protocol_set()).to_json()
        DraftRepository(handler.store.engine).put("test-h01", draft)
    window, watch = landed("test-h01")
    assert window.current_area() == "screening"
    assert watch.early == []
    notice = window.wizard.start_page.notice
    qtbot.waitUntil(notice.isVisible)
    assert "An unfinished screening was found" in notice.text.text()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is notice.first)


def test_an_administrator_lands_on_the_users_and_the_list_fills(qtbot, landed) -> None:  # type: ignore[no-untyped-def]
    window, watch = landed("test-adm2")
    assert window.current_area() == "administration"
    assert watch.early == []
    model = window.admin_page.users_page.model
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    names = {model.item_at(row).username for row in range(model.rowCount())}
    assert {"test-adm2", "test-h01", "test-lead"} <= names


def test_a_team_lead_lands_on_statistics_loaded_after_the_first_paint(  # type: ignore[no-untyped-def]
    qtbot, landed, monkeypatch
) -> None:
    from app.ui.dashboard import page

    started: list[bool] = []  # whether the window was painted when the modules began to load
    importing = page._import_dashboard_modules
    windows: list[MainWindow] = []

    def noted() -> None:
        started.append(bool(windows) and windows[0].on_screen)
        importing()

    monkeypatch.setattr(page, "_import_dashboard_modules", noted)
    original = MainWindow.__init__

    def remembered(self: MainWindow, *args: Any, **kwargs: Any) -> None:
        windows.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(MainWindow, "__init__", remembered)
    window, watch = landed("test-lead")
    assert window.current_area() == "statistics"
    assert watch.early == []
    tab = window.stats_tab
    qtbot.waitUntil(
        lambda: tab.dashboard is not None and tab.dashboard.data is not None, timeout=30_000
    )
    assert started == [True]
    assert "opportunities in the period" in tab.dashboard.status.text()


def test_a_trainer_lands_on_practice_and_reads_the_results_once_asked(qtbot, landed) -> None:  # type: ignore[no-untyped-def]
    window, watch = landed("test-trainer")
    assert window.current_area() == "practice"
    assert watch.early == []
    practice = window.practice
    assert practice.chooser.list.count() > 0
    practice.tabs.setCurrentWidget(practice.results)
    status = practice.results.status
    qtbot.waitUntil(lambda: status.text() == "No practice results yet.", timeout=15_000)
