"""The command table: each process imports only the module of the command it runs."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.cli import build_parser, command_of
from app.cli.commands import COMMANDS
from app.i18n import _
from tests.conftest import TEST_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SIGNED_IN = {"VAGAFRAGA_USER": "test-user", "VAGAFRAGA_PASSWORD": TEST_PASSWORD}
HEAVY = ("sqlalchemy", "alembic", "PySide6", "scipy")
# What ``vagafraga stats`` has no use for: the window, the upgrade, the charts, the
# workbook writer and the protocols' YAML.
NOT_FOR_STATS = ("alembic", "PySide6", "scipy", "matplotlib", "xlsxwriter", "yaml")
PROBE = """
import json, sys
from app.cli import main
code = main(sys.argv[1:])
loaded = sorted({name.split(".")[0] for name in sys.modules} & set(%r))
print(json.dumps({"code": code, "loaded": loaded}), file=sys.stderr)
"""


def _run_and_list_imports(
    tmp_path: Path,
    *args: str,
    stdin: str = "",
    heavy: tuple[str, ...] = HEAVY,
    env: dict[str, str] | None = None,
) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE % (heavy,), *args],
        check=False,
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "VAGAFRAGA_DATA_DIR": str(tmp_path / "data"),
            "VAGAFRAGA_CONFIG_DIR": str(tmp_path / "config"),
            **(env or {}),
        },
        timeout=60,
    )
    lines = done.stderr.strip().splitlines()
    report: dict[str, object] = json.loads(lines[-1])
    report["out"] = done.stdout
    report["err"] = "\n".join(lines[:-1])
    return report


def test_guide_imports_no_database_gui_or_scipy(tmp_path: Path) -> None:
    context = {"benefit": "maintenance_support", "contact": "phone", "can_talk_freely": True}
    report = _run_and_list_imports(tmp_path, "guide", "-", stdin=json.dumps(context))
    assert report["code"] == 0
    assert json.loads(str(report["out"]))["decision"]
    assert report["loaded"] == []


def test_guide_with_a_bad_context_still_imports_nothing_heavy(tmp_path: Path) -> None:
    report = _run_and_list_imports(tmp_path, "--language", "en", "guide", "-", stdin="[1]")
    assert report["code"] == 2
    assert report["loaded"] == []


def test_records_list_reads_its_arguments_without_the_store_modules(tmp_path: Path) -> None:
    """A wrong argument or a missing store is answered before the store's modules load,
    and they load while the key slot opens (app.cli.common.open_store_for ``needs``)."""
    heavy = ("sqlalchemy", "pydantic", "alembic", "PySide6")
    report = _run_and_list_imports(tmp_path, "records", "list", "--limit", "0", heavy=heavy)
    assert report["code"] == 2
    assert report["loaded"] == []
    report = _run_and_list_imports(
        tmp_path, "--language", "en", "records", "list", heavy=heavy, env=SIGNED_IN
    )
    assert report["code"] == 2
    assert "No store yet" in str(report["err"])
    assert report["loaded"] == []


def test_the_export_formats_of_the_parser_are_the_exports(tmp_path: Path) -> None:
    from app.cli.records import EXPORT_FORMATS
    from app.screening import record_io

    assert EXPORT_FORMATS == record_io.EXPORT_FORMATS


def test_protocol_list_imports_no_database_or_gui(tmp_path: Path) -> None:
    report = _run_and_list_imports(tmp_path, "protocols", "list", "--json")
    assert report["code"] == 0
    assert report["loaded"] == []


def test_stats_imports_only_what_its_figures_need(
    tmp_path: Path, init_test_store: Callable[[Path], Path]
) -> None:
    init_test_store(tmp_path / "data")
    report = _run_and_list_imports(
        tmp_path,
        "stats",
        "--by",
        "benefit",
        heavy=NOT_FOR_STATS,
        env={"VAGAFRAGA_USER": "test-admin", "VAGAFRAGA_PASSWORD": TEST_PASSWORD},
    )
    assert report["code"] == 0
    assert json.loads(str(report["out"]))["total"]["opportunities"] == 0
    assert report["loaded"] == []


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser(command_of(["--help"])).parse_args(["--help"])
    assert exited.value.code == 0
    shown = capsys.readouterr().out
    for name, command in COMMANDS.items():
        assert name in shown
        assert _(command.help).split()[0] in shown  # in the user's language


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["records", "list"], "records"),
        (["--data-dir", "x", "--language", "en", "stats", "--by", "benefit"], "stats"),
        (["--data-dir=x", "users", "list"], "users"),
        (["--lang", "en", "guide"], "guide"),
        (["--demo"], None),
        ([], None),
        (["nonsense"], None),
        (["--data-dir"], None),
    ],
)
def test_the_command_is_found_before_the_parser_is_built(
    arguments: list[str], expected: str | None
) -> None:
    assert command_of(arguments) == expected


@pytest.mark.parametrize("module", sorted({command.module for command in COMMANDS.values()}))
def test_each_module_registers_exactly_its_commands_of_the_table(module: str) -> None:
    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers()
    importlib.import_module(module).register(subparsers)
    registered = set(subparsers.choices)
    assert registered == {name for name, command in COMMANDS.items() if command.module == module}
