"""On POSIX the data folder is 0700 and the database, key file, logs, backups and every export
0600, whatever the umask the user started the app with (issue 14)."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import CliResult

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


@pytest.fixture
def loose_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_store_and_everything_written_from_it_is_private(
    loose_umask: None,
    run_cli: Callable[..., CliResult],
    data_dir: Path,
    tmp_path: Path,
) -> None:
    for path in (data_dir, *data_dir.iterdir()):
        os.chmod(path, 0o755 if path.is_dir() else 0o644)  # as an earlier version left them
    exports = tmp_path / "exports"
    exports.mkdir()
    assert (
        run_cli("records", "export", "--out", str(exports / "r.jsonl"), user="test-h01").code == 0
    )
    assert run_cli("audit", "export", "--out", str(exports / "audit.jsonl")).code == 0
    assert run_cli("stats", "--format", "csv").code == 0
    assert run_cli("db", "backup", str(tmp_path / "backups" / "copy.db")).code == 0
    assert mode(data_dir) == 0o700
    private = [
        data_dir / "vagafraga.db",
        data_dir / "vagafraga.keys",
        data_dir / "logs" / "vagafraga.log",
        tmp_path / "backups" / "copy.db",
        tmp_path / "backups" / "copy.db.keys",
        exports / "r.jsonl",
        exports / "audit.jsonl",
    ]
    assert {str(path): oct(mode(path)) for path in private} == {
        str(path): oct(0o600) for path in private
    }
    assert mode(data_dir / "logs") == 0o700
    wal = data_dir / "vagafraga.db-wal"
    if wal.exists():
        assert mode(wal) == 0o600
    assert os.umask(0o022) == 0o022  # the app gave the caller's umask back
