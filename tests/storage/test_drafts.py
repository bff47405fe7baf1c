"""Drafts: one autosaved in-progress screening per handler, durable across restarts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.accounts.session import Login, unlock
from app.storage.drafts import DraftRepository
from app.storage.engine import resolve_location
from app.storage.store import Store, open_store
from tests.conftest import TEST_PASSWORD


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(handler_login: Login) -> Store:
    """Signed in as the records' handler: case references and notes are sealed to them
    (issue 14), so the storage layer is exercised as their handler uses it."""
    return handler_login.store


def test_no_draft_until_one_is_written(store: Store) -> None:
    assert DraftRepository(store.engine).get("test-h01") is None


def test_a_draft_is_replaced_not_duplicated(store: Store) -> None:
    clock = FakeClock()
    drafts = DraftRepository(store.engine, clock)
    drafts.put("test-h01", '{"step": "start"}')
    clock.now += timedelta(seconds=30)
    drafts.put("test-h01", '{"step": "safety"}')
    draft = drafts.get("test-h01")
    assert draft is not None
    assert draft.data == '{"step": "safety"}'
    assert draft.updated_at == clock.now


def test_each_handler_has_their_own_draft(store: Store, data_dir: Path) -> None:
    drafts = DraftRepository(store.engine)
    drafts.put("test-h01", "one")
    drafts.put("test-h02", "two")
    assert drafts.get("test-h02") is None  # sealed to test-h02: not test-h01's to read
    assert drafts.delete("test-h01") is True
    assert drafts.get("test-h01") is None
    with unlock(resolve_location(data_dir), "test-h02", TEST_PASSWORD) as colleague:
        two = DraftRepository(colleague.store.engine).get("test-h02")
    assert two is not None
    assert two.data == "two"


def test_deleting_a_missing_draft_says_so(store: Store) -> None:
    assert DraftRepository(store.engine).delete("test-h01") is False


def test_a_draft_survives_closing_and_reopening_the_store(data_dir: Path) -> None:
    with open_store(resolve_location(data_dir)) as first:
        DraftRepository(first.engine).put("test-h01", '{"step": "asking"}')
    with open_store(resolve_location(data_dir)) as second:
        draft = DraftRepository(second.engine).get("test-h01")
        assert draft is not None
        assert draft.data == '{"step": "asking"}'
