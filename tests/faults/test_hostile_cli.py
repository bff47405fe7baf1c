"""Every loader behind a command refuses hostile input with its own one clear message.

Each command gets aliases, over-deep nesting, keys that are lists, 5,000-digit numbers
and invalid UTF-8; it must exit 2 with the loader's words (English here), no traceback,
no "internal error", and leave the store as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult, open_test_store, record_data
from tests.faults.hostile import HOSTILE_JSON, HOSTILE_YAML, params

YAML_COMMANDS = [
    ("protocols", "check"),
    ("scenarios", "check"),
    ("referrals", "import"),
]
JSON_COMMANDS = [
    ("guide",),
    ("referrals", "suggest"),
]


def refused(result: CliResult, words: str) -> None:
    assert result.code == 2, (result.code, result.err)
    assert "Traceback" not in result.err
    assert "internal error" not in result.err
    assert words in result.err, result.err
    assert all(line.strip() for line in result.err.strip().splitlines())


def run_timed(run_cli: Callable[..., CliResult], *args: str) -> tuple[CliResult, float]:
    """The result and the CPU seconds the command took (in this process; not wall time:
    the test machine is shared)."""
    started = time.process_time()
    result = run_cli("--language", "en", *args)
    return result, time.process_time() - started


@pytest.mark.parametrize("command", YAML_COMMANDS, ids=" ".join)
@pytest.mark.parametrize(("content", "words"), params(HOSTILE_YAML))
def test_yaml_loaders_refuse_hostile_files(
    run_cli: Callable[..., CliResult],
    tmp_path: Path,
    command: tuple[str, ...],
    content: bytes,
    words: str,
) -> None:
    path = tmp_path / "sickness_benefit.v1.yaml"
    path.write_bytes(content)
    result, seconds = run_timed(run_cli, *command, str(path))
    refused(result, words)
    assert seconds < 5, "refused without expanding or recursing (sign-in included)"
    if command == ("referrals", "import"):
        listed = run_cli("referrals", "list", "--json")
        assert '"source": "local"' not in listed.out


@pytest.mark.parametrize("command", JSON_COMMANDS, ids=" ".join)
@pytest.mark.parametrize(("content", "words"), params(HOSTILE_JSON))
def test_json_inputs_refuse_hostile_contexts(
    run_cli: Callable[..., CliResult],
    tmp_path: Path,
    command: tuple[str, ...],
    content: bytes,
    words: str,
) -> None:
    path = tmp_path / "context.json"
    path.write_bytes(content)
    result, seconds = run_timed(run_cli, *command, str(path))
    refused(result, words)
    assert seconds < 5


def test_an_oversized_context_is_refused_unread(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    path = tmp_path / "context.json"
    path.write_bytes(b'{"notes": "' + b"x" * 2_000_000 + b'"}')
    refused(run_cli("--language", "en", "guide", str(path)), "larger than 1 MB")


@pytest.mark.parametrize(("content", "words"), params(HOSTILE_JSON))
def test_records_import_refuses_hostile_lines_and_keeps_every_record(
    run_cli: Callable[..., CliResult],
    tmp_path: Path,
    data_dir: Path,
    content: bytes,
    words: str,
) -> None:
    import json

    good = json.dumps(record_data()).encode()
    assert run_cli("records", "import", str(_write(tmp_path / "a.jsonl", good + b"\n"))).code == 0
    path = _write(tmp_path / "b.jsonl", good + b"\n" + content + b"\n")
    result, seconds = run_timed(run_cli, "records", "import", str(path))
    refused(result, words)
    assert f"{path}:2: record:" in result.err
    assert seconds < 5
    with open_test_store(data_dir) as store:
        assert store.records.count() == 1


@pytest.mark.parametrize(
    ("cells", "words"),
    [
        ("2026-03,test-team-a,sickness_benefit," + "9" * 5000, "at most"),
        ('2026-03,test-team-a,"' + "x" * 200_000 + '",1', "not a CSV file"),
    ],
    ids=["5,000 digits", "a 200 KB field"],
)
def test_cases_import_refuses_absurd_cells(
    run_cli: Callable[..., CliResult], tmp_path: Path, cells: str, words: str
) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("month,team,benefit,cases\n" + cells + "\n", encoding="utf-8")
    result, seconds = run_timed(run_cli, "cases", "import", str(path))
    refused(result, words)
    assert seconds < 5


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path
