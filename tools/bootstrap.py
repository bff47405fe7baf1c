"""Create the project's virtual environment and install what it needs.

Used by ``run.py`` and ``run_tests.py``, which run with any Python 3.11+ and
nothing else installed. Work is skipped when nothing changed since last time,
so the second start is fast.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
MIN_PYTHON = (3, 11)


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def _fingerprint(extras: str) -> str:
    digest = hashlib.sha256()
    digest.update(extras.encode())
    digest.update(sys.version.encode())
    digest.update((ROOT / "pyproject.toml").read_bytes())
    return digest.hexdigest()


def _say(message: str) -> None:
    print(f"[vaga-fraga] {message}", file=sys.stderr, flush=True)


def ensure_environment(*, dev: bool) -> Path:
    """Make sure ``.venv`` exists with the project installed; return its python."""
    if sys.version_info < MIN_PYTHON:
        wanted = ".".join(map(str, MIN_PYTHON))
        sys.exit(f"Python {wanted} or newer is needed; this is {sys.version.split()[0]}.")
    python = venv_python()
    if not python.exists():
        _say("creating the virtual environment in .venv ...")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    extras = ".[dev]" if dev else "."
    stamp = VENV / f".installed-{'dev' if dev else 'app'}"
    wanted = _fingerprint(extras)
    if not stamp.exists() or stamp.read_text() != wanted:
        _say(f"installing {extras} (first run or changed dependencies) ...")
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--editable",
                extras,
            ],
            cwd=ROOT,
            check=True,
        )
        stamp.write_text(wanted)
    # Catalogs are compiled every time: cheap, and a stale .mo would show old text.
    subprocess.run([str(python), "-m", "tools.i18n", "compile"], cwd=ROOT, check=True)
    return python


def run_in_venv(args: list[str], *, dev: bool) -> int:
    python = ensure_environment(dev=dev)
    return subprocess.call([str(python), *args], cwd=ROOT)
