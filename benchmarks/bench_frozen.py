"""The frozen desktop build (issue 18): its size, and how long it takes to start.

    .venv/bin/python -m benchmarks.bench_frozen [--runs R] [--program NAME=PATH ...]

Whole processes, each against the same program run from source by the project's Python
(``tools/app_entry.py``, what ``python3 run.py`` starts) in the same run:

- ``--version``: the command line's start;
- the sign-in on screen: the desktop app started offscreen on a store made by ``init``,
  quitting when its first window is shown (``VAGAFRAGA_SMOKE_TEST``).

Default program: ``dist/vaga-fraga/vaga-fraga`` (``python3 -m tools.build_app``); more
with ``--program nuitka=/path/to/vaga-fraga.bin`` to compare builds. The size is the
build folder's bytes on disk.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.common import ROOT, Figure, alternate

PYINSTALLER = ROOT / "dist" / "vaga-fraga" / "vaga-fraga"
FROM_SOURCE = [sys.executable, str(ROOT / "tools" / "app_entry.py")]


def _size(program: Path) -> int:
    folder = program.parent
    return sum(
        path.lstat().st_size
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()  # a linked library counts once
    )


def _run(command: list[str], env: dict[str, str]) -> Callable[[], None]:
    def run() -> None:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"{command}: exit {done.returncode}: {done.stderr[-500:]}")

    return run


def figures(programs: dict[str, Path], runs: int) -> list[Figure]:
    found: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="vagafraga-bench-") as folder:
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            VAGAFRAGA_DATA_DIR=str(Path(folder) / "data"),
            VAGAFRAGA_CONFIG_DIR=str(Path(folder) / "config"),
            VAGAFRAGA_PASSWORD="benchmark pass phrase",
        )
        _run([*FROM_SOURCE, "init", "--admin", "bench"], env)()
        gui_env = dict(env, VAGAFRAGA_SMOKE_TEST="1")
        for name, program in programs.items():
            version = alternate(
                {
                    "frozen": _run([str(program), "--version"], env),
                    "source": _run([*FROM_SOURCE, "--version"], env),
                },
                runs,
            )
            sign_in = alternate(
                {"frozen": _run([str(program)], gui_env), "source": _run(FROM_SOURCE, gui_env)},
                runs,
            )
            size = _size(program)
            found += [
                Figure(
                    f"{name}_version",
                    f"{name}: `vaga-fraga --version`, whole process",
                    version["frozen"],
                    1.5,
                    anchor_title="the same from source (tools/app_entry.py)",
                    anchor_seconds=version["source"],
                ),
                Figure(
                    f"{name}_sign_in_shown",
                    f"{name}: the sign-in on screen, whole process (offscreen)",
                    sign_in["frozen"],
                    1.5,
                    anchor_title="the same from source (tools/app_entry.py)",
                    anchor_seconds=sign_in["source"],
                ),
                Figure(
                    f"{name}_size",
                    f"{name}: the build folder on disk",
                    size / 1e6,
                    600,
                    kind="max",
                    unit="MB",
                ),
            ]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--program", action="append", default=[], metavar="NAME=PATH")
    args = parser.parse_args(argv)
    programs = {"pyinstaller": PYINSTALLER} if not args.program else {}
    for given in args.program:
        name, _, path = given.partition("=")
        programs[name] = Path(path)
    for figure in figures(programs, args.runs):
        print(json.dumps({figure.key: figure.as_json()}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
