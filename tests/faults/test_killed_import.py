"""A killed ``records import`` leaves no process behind (issue 17).

A real import of a file big enough for worker processes runs in a subprocess whose output
goes to pipes, as a script calling it would have it; it is killed with SIGKILL while its
workers parse. Within a few seconds every worker must be gone and the caller's pipes at
their end (before the fix, workers stayed blocked for ever holding them: 12 of 39 runs).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from app.storage.importing import PARALLEL_FROM_BYTES
from tests.conftest import TEST_PASSWORD, record_data

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="reads the process table from /proc"
)
ROOT = Path(__file__).resolve().parents[2]


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Running (a zombie no one reaps is gone for this purpose)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def big_import(path: Path) -> Path:
    template = json.dumps(record_data(id="ID"))
    with path.open("w", encoding="utf-8") as out:
        while out.tell() < 8 * PARALLEL_FROM_BYTES:  # parsing outlasts the last moment
            out.write(
                "".join(template.replace("ID", str(uuid.uuid4())) + "\n" for _ in range(1000))
            )
    return path


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.mark.parametrize("parsing_for", [0.0, 0.3, 0.8])
def test_killing_an_import_while_it_parses_leaves_no_worker(
    tmp_path: Path, data_dir: Path, init_test_store: Callable[[Path], Path], parsing_for: float
) -> None:
    init_test_store(data_dir)
    source = big_import(tmp_path / "big.jsonl")
    env = dict(
        os.environ,
        VAGAFRAGA_DATA_DIR=str(data_dir),
        VAGAFRAGA_USER="test-admin",
        VAGAFRAGA_PASSWORD=TEST_PASSWORD,
    )
    importer = subprocess.Popen(
        [sys.executable, "-m", "app", "records", "import", str(source)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        workers: set[int] = set()

        def started() -> bool:
            workers.update(children_of(importer.pid))
            return len(workers) >= 2 or importer.poll() is not None

        assert wait_for(started, 60), "the import never started its workers"
        assert importer.poll() is None, importer.communicate()
        time.sleep(parsing_for)
        workers.update(children_of(importer.pid))
        importer.send_signal(signal.SIGKILL)

        output: list[tuple[bytes, bytes]] = []
        reader = threading.Thread(target=lambda: output.append(importer.communicate()))
        reader.start()
        reader.join(timeout=5)
        assert not reader.is_alive(), "the caller's pipes never reached their end"
        assert importer.returncode == -signal.SIGKILL
        assert wait_for(lambda: not any(alive(pid) for pid in workers), 5), [
            pid for pid in workers if alive(pid)
        ]
    finally:
        if importer.poll() is None:
            importer.kill()
            importer.wait()
