"""Drafts: one autosaved in-progress screening per handler, durable across restarts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.storage.drafts import DraftRepository
from app.storage.engine import resolve_location
from app.storage.store import Store, open_store


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


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


def test_each_handler_has_their_own_draft(store: Store) -> None:
    drafts = DraftRepository(store.engine)
    drafts.put("test-h01", "one")
    drafts.put("test-h02", "two")
    assert drafts.delete("test-h01") is True
    assert drafts.get("test-h01") is None
    two = drafts.get("test-h02")
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
