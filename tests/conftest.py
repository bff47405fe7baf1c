"""Shared fixtures: every test gets its own data and config folders and a real store file."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest

from app.i18n import set_language
from app.logging_setup import close_logging
from app.screening.record import ScreeningRecord
from app.storage.engine import resolve_location
from app.storage.store import Store, open_store


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Never touch the real user's data: each test has its own folders, Swedish by default."""
    monkeypatch.setenv("VAGAFRAGA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("VAGAFRAGA_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("VAGAFRAGA_DATABASE_URL", raising=False)
    set_language("sv")
    yield
    close_logging()
    set_language("sv")


@pytest.fixture
def english() -> None:
    """Messages in English for this test (the default is Swedish)."""
    set_language("en")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    opened = open_store(resolve_location(data_dir))
    yield opened
    opened.close()


SYNTHETIC_RECORD: dict[str, Any] = {
    "recorded_at": "2026-03-10T09:15:00+01:00",
    "handler": "test-h01",
    "team": "test-team-a",
    "benefit": "sickness_benefit",
    "case_type": "return_to_work_investigation",
    "contact": "phone",
    "mode": "routine",
    "indications": None,
    "asked": True,
    "not_asked_reason": None,
    "answer": "not_disclosed",
    "violence_forms": [],
    "immediate_danger": False,
    "high_risk": False,
    "children_affected": None,
    "child_report": False,
    "info_given": True,
    "referrals": ["kvinnofridslinjen"],
    "interpreter": "none",
    "language": "sv",
    "client_sex": "female",
    "sheltered_housing": False,
    "duration_seconds": 240,
    "protocol": {"id": "sickness_benefit", "version": "1"},
    "practice": False,
    "case_reference": None,
    "notes": None,
}


def record_data(**overrides: Any) -> dict[str, Any]:
    """A valid record as JSON-ready data, with a fresh id; ``overrides`` replace fields."""
    data = dict(SYNTHETIC_RECORD, id=str(uuid.uuid4()))
    data.update(overrides)
    return data


@pytest.fixture
def make_record() -> Callable[..., ScreeningRecord]:
    def make(**overrides: Any) -> ScreeningRecord:
        return ScreeningRecord.model_validate(record_data(**overrides))

    return make


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run ``vagafraga ARGS`` in-process and capture what it printed."""
    from app.cli import main

    def run(*args: str) -> CliResult:
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]
