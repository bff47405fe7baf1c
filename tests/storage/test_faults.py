"""Faults of the store on real files (issue 17): another process holding the lock, a full
disk, a damaged page, a read-only folder. Each: one true line, exit 2, nothing lost."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from app.accounts.audit import AuditEvent, AuditLog
from app.accounts.keyslots import KeyFile
from app.accounts.read_audit import QUEUE_NAME
from app.accounts.session import unlock
from app.storage.engine import resolve_location
from tests.conftest import TEST_PASSWORD, CliResult, record_data

RECORDS = 300
# Holds the store's lock in another process until told to let go (a line on stdin).
HOLDER = """
import sys
import sqlcipher3
path, key, how = sys.argv[1:4]
connection = sqlcipher3.connect(path, isolation_level=None)
connection.execute(f"PRAGMA key = \\"x'{key}'\\"")
connection.execute("PRAGMA cipher_page_size = 16384")
connection.execute("PRAGMA cipher_hmac_algorithm = HMAC_SHA256")
if how == "exclusive":
    connection.execute("PRAGMA locking_mode = EXCLUSIVE")
    connection.execute("BEGIN EXCLUSIVE")
else:
    connection.execute("BEGIN IMMEDIATE")
connection.execute("UPDATE store_policies SET value = value")
print("held", flush=True)
sys.stdin.readline()
connection.execute("ROLLBACK")
"""


@pytest.fixture
def run_en(run_cli: Callable[..., CliResult]) -> Callable[..., CliResult]:
    def run(*args: str, **options: str) -> CliResult:
        return run_cli("--language", "en", *args, **options)

    return run


def _stored(data_dir: Path) -> list[str]:
    """Every record id in the store (read as the administrator)."""
    login = unlock(resolve_location(data_dir), "test-admin", TEST_PASSWORD)
    with login, login.store.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT id FROM records ORDER BY id")
        return [str(row[0]) for row in rows]


@pytest.fixture
def filled(run_cli: Callable[..., CliResult], data_dir: Path, tmp_path: Path) -> list[str]:
    """The test store with RECORDS records of test-h01's; their ids."""
    lines = [
        record_data(recorded_at=f"2026-03-{1 + n % 28:02d}T09:15:00+01:00") for n in range(RECORDS)
    ]
    source = tmp_path / "records.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    assert run_cli("records", "import", str(source)).code == 0
    return sorted(line["id"] for line in lines)


def _db_key(data_dir: Path) -> str:
    keys = KeyFile.load(data_dir / "vagafraga.keys")
    return keys.unlock("test-admin", TEST_PASSWORD).db_key.hex()


@contextmanager
def held_lock(data_dir: Path, how: str) -> Iterator[None]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir / "vagafraga.db"), _db_key(data_dir), how],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        yield
    finally:
        assert holder.stdin is not None
        assert holder.stdout is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()


def _one_true_line(result: CliResult, *words: str) -> None:
    assert result.code == 2, result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    for word in words:
        assert word in lines[0], lines[0]
    for wrong in ("damaged", "internal error", "Traceback", "Logging error"):
        assert wrong not in result.err


def _exported_ids(result: CliResult) -> list[str]:
    assert result.code == 0, result.err
    return sorted(json.loads(line)["id"] for line in result.out.splitlines())


def _audited(data_dir: Path, user: str, event: AuditEvent) -> int:
    with unlock(resolve_location(data_dir), "test-admin", TEST_PASSWORD) as login:
        return sum(
            1
            for entry in AuditLog(login.store.engine).entries()
            if (entry.actor, entry.event) == (user, event)
        )


# -- another process holds the lock -----------------------------------------------------------


def test_reading_commands_work_while_another_process_writes_and_their_audit_lands(
    run_en: Callable[..., CliResult], data_dir: Path, filled: list[str]
) -> None:
    with held_lock(data_dir, "immediate"):
        exported = run_en("records", "export", user="test-h01")
        assert _exported_ids(exported) == filled
        assert run_en("stats", "--by", "benefit").code == 0
        assert run_en("records", "list", "--limit", "5", user="test-h01").code == 0
        assert run_en("audit", "verify").code == 0
        # the export's entry could not be written: it waits, signed, in the queue
        assert (data_dir / QUEUE_NAME).exists()
    assert _audited(data_dir, "test-h01", AuditEvent.RECORDS_EXPORTED) == 0
    # the next sign-in of its writer that can write puts it in the chain
    unlock(resolve_location(data_dir), "test-h01", TEST_PASSWORD).close()
    assert _audited(data_dir, "test-h01", AuditEvent.RECORDS_EXPORTED) == 1
    assert not (data_dir / QUEUE_NAME).exists()
    assert run_en("audit", "verify").code == 0
    assert _stored(data_dir) == filled


def test_a_read_appends_its_audit_entry_at_once_when_nobody_holds_the_lock(
    run_en: Callable[..., CliResult], data_dir: Path, filled: list[str]
) -> None:
    assert _exported_ids(run_en("records", "export", user="test-h01")) == filled
    assert _audited(data_dir, "test-h01", AuditEvent.RECORDS_EXPORTED) == 1
    assert not (data_dir / QUEUE_NAME).exists()


def test_a_write_waits_then_says_the_store_is_in_use(
    run_en: Callable[..., CliResult], data_dir: Path, filled: list[str], tmp_path: Path
) -> None:
    source = tmp_path / "more.jsonl"
    source.write_text(json.dumps(record_data()) + "\n", encoding="utf-8")
    with held_lock(data_dir, "immediate"):
        result = run_en("records", "import", str(source))
    _one_true_line(result, "in use by another program", "close it and try again")
    assert _stored(data_dir) == filled


def test_an_exclusive_lock_is_in_use_for_a_read_too_never_not_a_store(
    run_en: Callable[..., CliResult], data_dir: Path, filled: list[str]
) -> None:
    with held_lock(data_dir, "exclusive"):
        result = run_en("records", "export", user="test-h01")
    _one_true_line(result, "in use by another program")
    assert "not a Våga fråga database" not in result.err
    assert _stored(data_dir) == filled


# -- a full disk ------------------------------------------------------------------------------


@contextmanager
def page_limit(extra_pages: int) -> Iterator[None]:
    """Every new connection may grow its file by ``extra_pages`` pages at most (SQLite then
    answers SQLITE_FULL, as on a full disk)."""

    def limit(connection: Any) -> None:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()
        connection.exec_driver_sql(f"PRAGMA max_page_count = {pages + extra_pages}")

    event.listen(Engine, "begin", limit)
    try:
        yield
    finally:
        event.remove(Engine, "begin", limit)


def test_an_import_that_fills_the_disk_says_so_and_loses_nothing(
    run_en: Callable[..., CliResult], data_dir: Path, filled: list[str], tmp_path: Path
) -> None:
    many = [record_data() for _ in range(2000)]
    source = tmp_path / "many.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in many), encoding="utf-8")
    with page_limit(3):
        result = run_en("records", "import", str(source))
    _one_true_line(result, "The disk is full", "free space on", "nothing was lost")
    assert _stored(data_dir) == filled
    assert run_en("audit", "verify").code == 0


def _mount_or_skip(*args: str) -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting needs root")
    done = subprocess.run(["mount", *args], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip("this system does not let the tests mount file systems")


def _unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_really_full_disk_reads_and_exports_and_refuses_writes_truly(
    run_en: Callable[..., CliResult],
    data_dir: Path,
    filled: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small = tmp_path / "small"
    small.mkdir()
    size = sum(path.stat().st_size for path in data_dir.iterdir() if path.is_file())
    _mount_or_skip("-t", "tmpfs", "-o", f"size={size + (4 << 20)}", "tmpfs", str(small))
    try:
        for name in ("vagafraga.db", "vagafraga.keys"):
            shutil.copyfile(data_dir / name, small / name)
        filler = small / "filler"
        with filler.open("wb") as out:  # the disk full to the last byte
            try:
                while True:
                    out.write(bytes(1 << 16))
                    out.flush()
            except OSError:
                pass
        source = tmp_path / "many.jsonl"
        source.write_text(
            "".join(json.dumps(record_data()) + "\n" for _ in range(2000)), encoding="utf-8"
        )
        at = ("--data-dir", str(small))
        result = run_en(*at, "records", "import", str(source))
        _one_true_line(result, "The disk is full", "nothing was lost")
        assert _exported_ids(run_en(*at, "records", "export", user="test-h01")) == filled
        assert run_en(*at, "audit", "verify").code == 0
        filler.unlink()
        assert _stored(small) == filled
    finally:
        _unmount(small)


# -- a damaged page ---------------------------------------------------------------------------


def test_a_damaged_page_read_after_sign_in_is_named_damaged_and_points_to_db_check(
    run_en: Callable[..., CliResult], data_dir: Path, filled: list[str]
) -> None:
    unlock(resolve_location(data_dir), "test-admin", TEST_PASSWORD).close()  # checkpointed
    path = data_dir / "vagafraga.db"
    page = 16384
    pages = path.stat().st_size // page
    login = unlock(resolve_location(data_dir), "test-admin", TEST_PASSWORD)
    with login, login.store.engine.connect() as connection:
        root = connection.exec_driver_sql(
            "SELECT rootpage FROM sqlite_master WHERE name = 'records'"
        ).scalar_one()
        leaves = (
            [
                row[0]
                for row in connection.exec_driver_sql(
                    "SELECT pageno FROM dbstat WHERE name = 'records' AND pagetype = 'leaf'"
                )
            ]
            if _has_dbstat(connection)
            else []
        )
    target = leaves[len(leaves) // 2] if leaves else max(int(root), pages // 2)
    data = bytearray(path.read_bytes())
    offset = (target - 1) * page + page // 2
    data[offset : offset + 8] = bytes(b ^ 0xFF for b in data[offset : offset + 8])
    path.write_bytes(bytes(data))
    result = run_en("records", "export", user="test-h01")
    assert result.code == 2, result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1
    assert "damaged" in lines[0]
    assert "vagafraga db check" in lines[0]
    assert "internal error" not in result.err
    assert path.read_bytes() == bytes(data)  # the command changed nothing more
    checked = run_en("db", "check")
    assert checked.code == 2
    assert f"file: page {target} does not read back as written" in checked.out
    assert "The store has" in checked.err


def _has_dbstat(connection: Any) -> bool:
    try:
        connection.exec_driver_sql("SELECT 1 FROM dbstat LIMIT 1").all()
    except Exception:  # SQLite built without the dbstat table
        return False
    return True


# -- a read-only folder -----------------------------------------------------------------------


@contextmanager
def read_only_view(source: Path, tmp_path: Path) -> Iterator[Path]:
    """The store in ``source`` seen in a folder nobody can write (read-only media when the
    tests run as root, who may write anywhere else; otherwise a folder without write
    permission)."""
    if os.geteuid() == 0:
        folder = tmp_path / "media"
        folder.mkdir()
        _mount_or_skip("--bind", str(source), str(folder))
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True)
        try:
            yield folder
        finally:
            _unmount(folder)
    else:
        source.chmod(0o500)
        try:
            yield source
        finally:
            source.chmod(0o700)


def test_a_store_on_read_only_media_reads_exports_and_queues_its_audit(
    run_en: Callable[..., CliResult],
    data_dir: Path,
    filled: list[str],
    tmp_path: Path,
) -> None:
    source = _copy_of_store(data_dir, tmp_path)
    with read_only_view(source, tmp_path) as media:
        at = ("--data-dir", str(media))
        assert _exported_ids(run_en(*at, "records", "export", user="test-h01")) == filled
        assert run_en(*at, "stats", "--by", "benefit").code == 0
        assert run_en(*at, "audit", "verify").code == 0
        checked = run_en(*at, "db", "check")
        assert checked.code == 0, checked.err
        wrong = run_en(*at, "records", "export", password="not the password")
        assert wrong.code == 2
        assert wrong.err.strip() == "The user name or the password is wrong. Nothing was opened."
        source_file = tmp_path / "one.jsonl"
        source_file.write_text(json.dumps(record_data()) + "\n", encoding="utf-8")
        refused = run_en(*at, "records", "import", str(source_file))
        _one_true_line(refused, "cannot be written")
    # the export's audit entry waits in the user's own data folder (the store's cannot be
    # written) until its writer's next sign-in that can write, which puts it in the chain
    assert list((data_dir / "audit-queue").glob("*.jsonl"))
    assert _audited(source, "test-h01", AuditEvent.RECORDS_EXPORTED) == 0
    unlock(resolve_location(source), "test-h01", TEST_PASSWORD).close()
    assert _audited(source, "test-h01", AuditEvent.RECORDS_EXPORTED) == 1
    assert not list((data_dir / "audit-queue").glob("*.jsonl"))
    assert _stored(source) == filled


def _copy_of_store(data_dir: Path, tmp_path: Path) -> Path:
    unlock(resolve_location(data_dir), "test-admin", TEST_PASSWORD).close()  # checkpointed
    source = tmp_path / "media-source"
    source.mkdir()
    for name in ("vagafraga.db", "vagafraga.keys"):
        shutil.copyfile(data_dir / name, source / name)
    return source


def test_a_read_only_folder_and_a_wrong_password_is_the_wrong_password(
    run_en: Callable[..., CliResult],
    data_dir: Path,
    filled: list[str],
    tmp_path: Path,
) -> None:
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps(record_data()) + "\n", encoding="utf-8")
    with read_only_view(_copy_of_store(data_dir, tmp_path), tmp_path) as media:
        for command in (("records", "export"), ("records", "import", str(one)), ("stats",)):
            result = run_en("--data-dir", str(media), *command, password="wrong wrong wrong")
            assert result.code == 2
            assert result.err.strip() == (
                "The user name or the password is wrong. Nothing was opened."
            ), result.err
