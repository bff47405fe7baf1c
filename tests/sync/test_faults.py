"""kill -9 of ``vagafraga sync`` at several points, then sync again: exact counts, nothing
lost, nothing twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.screening.record import ScreeningRecord
from app.sync.faults import CRASH_AT
from app.sync.state import count_waiting
from tests.conftest import TEST_PASSWORD
from tests.sync.conftest import Device, Team

RECORDS = 1_200  # three batches of 500
ROOT = Path(__file__).resolve().parents[2]


def _sync(
    folder: Path, config: Path, url: str, crash_at: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        VAGAFRAGA_USER="test-h01",
        VAGAFRAGA_PASSWORD=TEST_PASSWORD,
        VAGAFRAGA_CONFIG_DIR=str(config),
    )
    env.pop(CRASH_AT, None)
    if crash_at is not None:
        env[CRASH_AT] = crash_at
    command = [sys.executable, "-m", "app", "--data-dir", str(folder), "sync", "--server", url]
    return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    "case",
    [
        ("before_server_commit:2", 500, 500),  # the second batch never committed
        ("after_server_commit:2", 1_000, 500),  # committed there, not marked here
        ("after_local_mark:2", 1_000, 1_000),  # two batches done, the third not sent
        ("after_server_commit:1", 500, 0),
    ],
)
def test_a_sync_killed_at_any_point_finishes_at_the_next_sync_with_exact_counts(
    case: tuple[str, int, int],
    team: Team,
    device: Callable[..., Device],
    make_record: Callable[..., ScreeningRecord],
    tmp_path: Path,
) -> None:
    crash_at, on_server, marked = case  # where it dies, records then on the server, marked here
    mine = device("test-h01")
    records = [make_record(handler="test-h01", team="test-team-a") for _ in range(RECORDS)]
    mine.login.store.records.import_records(records)
    engine = mine.login.store.engine

    killed = _sync(mine.folder, tmp_path / "config", team.url, crash_at)
    assert killed.returncode == -9, killed.stderr
    assert team.count("SELECT count(*) FROM records") == on_server
    assert count_waiting(engine, "test-h01") == RECORDS - marked

    finished = _sync(mine.folder, tmp_path / "config", team.url)
    assert finished.returncode == 0, finished.stderr
    assert json.loads(finished.stdout) == {
        "pushed": RECORDS - on_server,
        "already_there": on_server - marked,
        "waiting": 0,
    }
    assert team.count("SELECT count(*) FROM records") == RECORDS
    assert team.count("SELECT count(DISTINCT id) FROM records") == RECORDS
    assert team.count("SELECT count(*) FROM record_versions") == 0
    again = _sync(mine.folder, tmp_path / "config", team.url)
    assert json.loads(again.stdout) == {"pushed": 0, "already_there": 0, "waiting": 0}
