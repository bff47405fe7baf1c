"""A command in its own process sets what its start-up built aside from the cycle
collector (:mod:`app.cli.own_process`); called from Python, it leaves the caller's
collector as it found it. Either way, nothing it writes is lost."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.cli.test_commands import ROOT
from tests.cli.test_records_cli import jsonl
from tests.conftest import TEST_PASSWORD, record_data

# The program's own entry (``python -m app``), reporting the collector's state at its end.
OWN = """
import gc, json, sys
from app.cli import main
code = main()
print(json.dumps({"code": code, "frozen": gc.get_freeze_count(), "on": gc.isenabled()}),
      file=sys.stderr)
"""


def _own_process(data_dir: Path, *args: str) -> tuple[dict[str, object], str]:
    done = subprocess.run(
        [sys.executable, "-c", OWN, "--language", "en", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            **os.environ,
            "VAGAFRAGA_DATA_DIR": str(data_dir),
            "VAGAFRAGA_USER": "test-admin",
            "VAGAFRAGA_PASSWORD": TEST_PASSWORD,
        },
        timeout=120,
        check=False,
    )
    return json.loads(done.stderr.strip().splitlines()[-1]), done.stdout


def test_a_commands_own_process_sets_its_start_up_aside_and_loses_nothing(
    run_cli, data_dir: Path, tmp_path: Path
) -> None:
    source = jsonl(tmp_path / "three.jsonl", *(record_data() for _ in range(3)))
    assert run_cli("records", "import", str(source)).code == 0
    state, out = _own_process(data_dir, "records", "list")
    assert state == {"code": 0, "frozen": state["frozen"], "on": True}
    assert isinstance(state["frozen"], int)
    assert state["frozen"] > 10_000  # the store's layers, set aside
    assert len(json.loads(out)) == 3
    target = tmp_path / "all.csv"
    exporting = ("records", "export", "--format", "csv", "--out", str(target))
    state, _out = _own_process(data_dir, *exporting)
    assert state["code"] == 0
    assert len(target.read_text(encoding="utf-8").splitlines()) == 4  # header and three rows
    trail = run_cli("audit", "export")
    events = [json.loads(line)["event"] for line in trail.out.splitlines()]
    # the export's sign-in and its entry, written as its process ended
    assert events[-2:] == ["login_succeeded", "records_exported"]


def test_a_command_called_from_python_leaves_the_callers_collector_as_it_found_it(
    run_cli,
) -> None:
    frozen, enabled = gc.get_freeze_count(), gc.isenabled()  # the GUI tests switch it off
    try:
        for state in (True, False):
            (gc.enable if state else gc.disable)()
            assert run_cli("records", "list").code == 0
            assert run_cli("stats", "--by", "benefit").code == 0
            assert gc.get_freeze_count() == frozen
            assert gc.isenabled() is state
    finally:
        (gc.enable if enabled else gc.disable)()
