"""Progress on a terminal's standard error, and none when it is not a terminal: a real
pseudo-terminal (``pty.openpty``) for the one, a pipe for the other."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from app.cli.progress import progress_bar
from app.i18n import set_language
from tests.conftest import TEST_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def _read_all(master: int) -> str:
    """Everything written to the pseudo-terminal until its last writer closed it."""
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other side is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return b"".join(chunks).decode()


def _vagafraga(*arguments: str, env: dict[str, str], terminal: bool) -> tuple[int, str, str]:
    """Run ``vagafraga`` with standard error on a pseudo-terminal or a pipe."""
    command = [sys.executable, "-m", "app", *arguments]
    if not terminal:
        done = subprocess.run(
            command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
        )
        return done.returncode, done.stdout, done.stderr
    master, slave = pty.openpty()
    with subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
    ) as process:
        os.close(slave)
        shown = _read_all(master)
        out = process.stdout.read().decode() if process.stdout else ""
        code = process.wait(timeout=120)
    return code, out, shown.replace("\r\n", "\n")


@pytest.fixture
def cli_env(tmp_path: Path, init_test_store: Callable[[Path], Path]) -> dict[str, str]:
    init_test_store(tmp_path / "data")
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "VAGAFRAGA_DATA_DIR": str(tmp_path / "data"),
        "VAGAFRAGA_CONFIG_DIR": str(tmp_path / "config"),
        "VAGAFRAGA_USER": "test-admin",
        "VAGAFRAGA_PASSWORD": TEST_PASSWORD,
    }


@pytest.mark.slow
def test_demo_and_export_show_a_bar_on_a_terminal_in_the_users_language(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    code, _out, shown = _vagafraga("demo", "--records", "3000", env=cli_env, terminal=True)
    assert code == 0
    assert "\rLägger till syntetiska registreringar: 100 % |" in shown
    assert "| 3\xa0000 av 3\xa0000 [" in shown  # Swedish digit grouping
    assert re.search(r"\]\nlade till 3000 syntetiska registreringar på [\d,]+ s\n$", shown)

    out = tmp_path / "records.csv"
    code, _out, shown = _vagafraga(
        "records", "export", "--format", "csv", "--out", str(out), "--include-practice",
        "--language", "en", env=cli_env, terminal=True,
    )  # fmt: skip
    assert code == 0
    assert "\rExporting records: 100 % |" in shown
    assert "| 3,000 of 3,000 [" in shown
    assert shown.endswith("]\nexported 3000 records\n")


@pytest.mark.slow
def test_nothing_but_the_result_when_standard_error_is_not_a_terminal(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    code, _out, err = _vagafraga("demo", "--records", "3000", env=cli_env, terminal=False)
    assert code == 0
    assert err.startswith("lade till 3000 syntetiska registreringar på ")
    assert err.count("\n") == 1
    assert "\r" not in err

    export = tmp_path / "records.jsonl"
    code, _out, err = _vagafraga(
        "records", "export", "--out", str(export), "--include-practice", env=cli_env, terminal=False
    )
    assert (code, err) == (0, "exporterade 3000 registreringar\n")
    code, out, err = _vagafraga(
        "--data-dir", str(tmp_path / "other"), "init", "--admin", "test-admin",
        env=cli_env, terminal=False,
    )  # fmt: skip
    assert code == 0
    code, out, err = _vagafraga(
        "records", "import", str(export), "--data-dir", str(tmp_path / "other"),
        env=cli_env, terminal=False,
    )  # fmt: skip
    assert code == 0
    assert json.loads(out) == {"imported": 3000, "already_present": 0}
    assert err == ""


@pytest.mark.slow
def test_an_import_shows_reading_then_storing_on_a_terminal(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    assert _vagafraga("demo", "--records", "2000", env=cli_env, terminal=False)[0] == 0
    export = tmp_path / "records.jsonl"
    _vagafraga(
        "records", "export", "--out", str(export), "--include-practice", env=cli_env, terminal=False
    )
    other = {**cli_env, "VAGAFRAGA_DATA_DIR": str(tmp_path / "other")}
    assert _vagafraga("init", "--admin", "test-admin", env=other, terminal=False)[0] == 0
    code, out, shown = _vagafraga(
        "records", "import", str(export), "--language", "en", env=other, terminal=True
    )
    assert code == 0
    assert json.loads(out)["imported"] == 2000
    assert "\rReading records.jsonl: 100 % |" in shown
    assert " MB [" in shown
    assert "\rStoring records: 100 % |" in shown
    assert "| 2,000 of 2,000 [" in shown


def _terminal() -> tuple[int, io.TextIOWrapper]:
    master, slave = pty.openpty()
    return master, io.TextIOWrapper(io.FileIO(slave, "w"), encoding="utf-8", write_through=True)


def test_an_operation_that_cannot_count_shows_the_time_passing() -> None:
    set_language("en")
    master, stream = _terminal()
    with progress_bar("Encrypting", stream=stream) as progress:
        assert progress is not None
        time.sleep(0.7)  # the ticker redraws the line meanwhile
    stream.close()
    shown = _read_all(master)
    assert shown.count("\rEncrypting … 00:00") >= 2
    assert shown.endswith("\n")  # the line is kept when it went well


def test_a_failure_clears_the_bar_for_its_one_line() -> None:
    master, stream = _terminal()

    def interrupted() -> None:
        with progress_bar("Exporterar", stream=stream) as progress:
            assert progress is not None
            progress(5, 10)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    stream.close()
    shown = _read_all(master)
    assert "\rExporterar:  50 % |" in shown
    assert shown.endswith("\r")  # nothing left on the line: the error comes alone


def test_no_bar_and_no_counting_off_a_terminal() -> None:
    stream = io.StringIO()
    with progress_bar("Exporterar", stream=stream) as progress:
        assert progress is None  # the operation need not even count
    assert stream.getvalue() == ""
