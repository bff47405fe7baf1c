"""The GUI tests' store is signed in as the wizard's handler (``handler-1``, the synthetic
identity the wizard uses before anyone signs in): case references, notes and drafts are
sealed to their handler (issue 14), so the screens are driven as that handler sees them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.accounts.access import Role
from app.accounts.admin import AccountService
from app.accounts.session import Login, unlock
from app.storage.engine import resolve_location
from app.storage.store import Store
from app.ui.common.ui_thread_gc import collect_on_ui_thread
from tests.conftest import TEST_PASSWORD

WIZARD_HANDLER = "handler-1"


@pytest.fixture(scope="session", autouse=True)
def ui_thread_gc(qapp: QApplication) -> Iterator[None]:
    """The GUI tests' application collects cycles on its UI thread, as the app does
    (app.ui.common.ui_thread_gc): a widget freed by a worker thread's collection hangs."""
    collector = collect_on_ui_thread(qapp)
    yield
    collector.close()


# app.ui.wizard.identity.HANDLER_ID's default


@pytest.fixture
def handler_1(data_dir: Path, init_test_store: Callable[[Path], Path]) -> Iterator[Login]:
    init_test_store(data_dir)
    location = resolve_location(data_dir)
    with unlock(location, "test-admin", TEST_PASSWORD) as admin:
        AccountService(admin).add(
            WIZARD_HANDLER, TEST_PASSWORD, frozenset({Role.HANDLER}), frozenset({"team-1"})
        )
    opened = unlock(location, WIZARD_HANDLER, TEST_PASSWORD)
    yield opened
    opened.close()


@pytest.fixture
def store(handler_1: Login) -> Store:
    return handler_1.store
