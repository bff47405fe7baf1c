"""The installed app works: a wheel built from the sdist of a clean checkout, installed into a
fresh virtual environment, runs its commands from an empty folder, outside the repository.

The build is the real one (``python -m build``: the sdist, then the wheel from the sdist, the
translation catalogs compiled by ``hatch_build.py``); only the dependencies are not downloaded
again: the new environment sees the test environment's packages after its own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = [f"app/_data/translations/{lang}/LC_MESSAGES/messages.mo" for lang in ("sv", "en")]


def _clean_checkout(target: Path) -> None:
    """The files a fresh clone has: tracked or new, never ignored (no .mo, no .venv)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to list a clean checkout")
def test_a_wheel_from_the_sdist_works_from_an_empty_folder(tmp_path: Path) -> None:
    checkout, dist, venv, empty = (tmp_path / n for n in ("src", "dist", "venv", "empty"))
    _clean_checkout(checkout)
    assert not list(checkout.rglob("*.mo"))
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(checkout)],
        check=True,
        capture_output=True,
    )  # the sdist first, then the wheel built from the unpacked sdist
    (wheel,) = dist.glob("*.whl")
    assert len(list(dist.glob("*.tar.gz"))) == 1
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert set(CATALOGS) <= names
    assert not any(name.endswith(".po") for name in names)

    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = _venv_python(venv)
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # The dependencies: the test environment's packages, after the new environment's own.
    # A plain path line: the checkout's editable-install hook there is not run.
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "test-dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    install = ["install", "--quiet", "--no-deps", "--no-index", str(wheel)]
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), *install],
        check=True,
        capture_output=True,
    )

    empty.mkdir()
    bindir = python.parent
    env = {
        "PATH": f"{bindir}{os.pathsep}/usr/bin:/bin",
        "HOME": str(tmp_path / "home"),
        "VAGAFRAGA_DATA_DIR": str(tmp_path / "data"),
        "VAGAFRAGA_CONFIG_DIR": str(tmp_path / "config"),
        "VAGAFRAGA_USER": "admin",
        "VAGAFRAGA_PASSWORD": "a long enough password 1",
        "QT_QPA_PLATFORM": "offscreen",
    }

    def run(*args: str, stdin: str = "") -> str:
        done = subprocess.run(
            [str(bindir / "vagafraga"), "--language", "en", *args],
            cwd=empty,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == 0, (args, done.stderr)
        return done.stdout

    where = subprocess.run(
        [str(python), "-c", "import app.paths as p; print(p.translations_dir())"],
        cwd=empty,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(venv)  # the installed copy, not the checkout

    assert "Created an encrypted store" in run("init", "--admin", "admin")
    run("demo", "--records", "300")
    totals = json.loads(run("stats", "--format", "json"))
    assert 250 < totals["total"]["opportunities"] <= 300  # practice records never count
    context = {
        "benefit": "sickness_benefit",
        "case_type": "return_to_work_investigation",
        "contact": "phone",
        "can_talk_freely": True,
    }
    guidance = json.loads(run("guide", "-", stdin=json.dumps(context)))
    assert guidance["mode"] == "routine"
    assert not list(empty.iterdir())  # nothing written to the folder it ran in
