"""Shared fixtures: every test gets its own data and config folders and a real store file."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest

from app.accounts.access import Role
from app.accounts.admin import AccountService
from app.accounts.session import Login, init_store, unlock
from app.accounts.slot_crypto import KdfParams
from app.i18n import set_language
from app.logging_setup import close_logging
from app.screening.demo import TEAMS as DEMO_TEAMS
from app.screening.record import ScreeningRecord
from app.storage.engine import resolve_location
from app.storage.store import Store


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Never touch the real user's data: each test has its own folders, Swedish by default."""
    monkeypatch.setenv("VAGAFRAGA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("VAGAFRAGA_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("VAGAFRAGA_DATABASE_URL", raising=False)
    for name in ("VAGAFRAGA_USER", "VAGAFRAGA_PASSWORD", "VAGAFRAGA_NEW_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):  # the CLI follows the locale
        monkeypatch.delenv(name, raising=False)
    set_language("sv")
    yield
    close_logging()
    identity = sys.modules.get("app.ui.wizard.identity")
    if identity is not None:
        identity.forget_identity()  # a signed-in main window sets who is screening
    set_language("sv")


@pytest.fixture
def english() -> None:
    """Messages in English for this test (the default is Swedish)."""
    set_language("en")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


# -- an encrypted store with synthetic users (issue 8) -----------------------------------------
# Cheap Argon2id parameters, passed explicitly and stored in the key slots; never in production.
TEST_KDF = KdfParams(time_cost=1, memory_cost=64, parallelism=1)
TEST_PASSWORD = "test password 123"
TEST_TEAMS = ("test-team-a", "test-team-b", "test-team-c", *DEMO_TEAMS)
# name: (roles, teams). ``test-admin`` holds every role and team: the default CLI user.
TEST_USERS: dict[str, tuple[frozenset[Role], frozenset[str]]] = {
    "test-admin": (frozenset(Role), frozenset(TEST_TEAMS)),
    "test-h01": (frozenset({Role.HANDLER}), frozenset({"test-team-a"})),
    "test-h02": (frozenset({Role.HANDLER}), frozenset({"test-team-a"})),
    "test-h03": (frozenset({Role.HANDLER}), frozenset({"test-team-b"})),
    "test-lead": (frozenset({Role.TEAM_LEAD}), frozenset({"test-team-a"})),
    "test-trainer": (frozenset({Role.TRAINER}), frozenset()),
}
STORE_FILES = ("vagafraga.db", "vagafraga.keys")


@pytest.fixture(scope="session")
def _store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One initialised encrypted store per test session; each test gets a copy of its files."""
    folder = tmp_path_factory.mktemp("store-template")
    roles, teams = TEST_USERS["test-admin"]
    login = init_store(
        resolve_location(folder),
        "test-admin",
        TEST_PASSWORD,
        kdf=TEST_KDF,
        roles=roles,
        teams=teams,
    )
    with login:
        accounts = AccountService(login)
        for name, (user_roles, user_teams) in TEST_USERS.items():
            if name != "test-admin":
                accounts.add(name, TEST_PASSWORD, user_roles, user_teams)
    assert not (folder / "vagafraga.db-wal").exists()
    return folder


@pytest.fixture
def init_test_store(_store_template: Path) -> Callable[[Path], Path]:
    """``init_test_store(folder)`` puts a fresh copy of the test store (all TEST_USERS) there."""

    def make(folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name in STORE_FILES:
            shutil.copyfile(_store_template / name, folder / name)
        return folder

    return make


def open_test_store(folder: Path, user: str = "test-admin") -> Store:
    """The test store in ``folder``, signed in as ``user`` (closing the store signs out)."""
    return unlock(resolve_location(folder), user, TEST_PASSWORD).store


@pytest.fixture
def login(data_dir: Path, init_test_store: Callable[[Path], Path]) -> Iterator[Login]:
    """``test-admin`` signed in to a fresh encrypted test store in ``data_dir``."""
    init_test_store(data_dir)
    opened = unlock(resolve_location(data_dir), "test-admin", TEST_PASSWORD)
    yield opened
    opened.close()


@pytest.fixture
def store(login: Login) -> Store:
    """The encrypted test store in ``data_dir`` (opened by ``test-admin``)."""
    return login.store


@pytest.fixture
def handler_login(data_dir: Path, init_test_store: Callable[[Path], Path]) -> Iterator[Login]:
    """``test-h01`` signed in to a fresh encrypted test store: the handler whose records
    ``make_record`` makes by default, who alone reads their case references and notes."""
    init_test_store(data_dir)
    opened = unlock(resolve_location(data_dir), "test-h01", TEST_PASSWORD)
    yield opened
    opened.close()


@pytest.fixture
def store_key(login: Login) -> bytes:
    """The test store's database key (to open a backup of it)."""
    assert login.db_key is not None
    return login.db_key


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
    "danger_actions": [],
    "high_risk": False,
    "risk_markers": [],
    "children_affected": None,
    "child_report": False,
    "child_report_decision": None,
    "no_child_exposed_reason": None,
    "spontaneous_disclosure": False,
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
def run_cli(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data_dir: Path,
    init_test_store: Callable[[Path], Path],
) -> Callable[..., CliResult]:
    """Run ``vagafraga ARGS`` in-process and capture what it printed.

    ``data_dir`` holds a fresh test store; the command signs in as ``user`` (default
    ``test-admin``, every role) through ``VAGAFRAGA_USER`` / ``VAGAFRAGA_PASSWORD``.
    """
    from app.cli import main

    if not (data_dir / "vagafraga.db").exists():
        init_test_store(data_dir)

    def run(*args: str, user: str = "test-admin", password: str = TEST_PASSWORD) -> CliResult:
        monkeypatch.setenv("VAGAFRAGA_USER", user)
        monkeypatch.setenv("VAGAFRAGA_PASSWORD", password)
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]
