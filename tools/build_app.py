"""Build the desktop app as one folder that runs without Python: ``python3 -m tools.build_app``.

The result is ``dist/vaga-fraga/``: the program ``vaga-fraga`` (``vaga-fraga.exe`` on
Windows), which is the desktop app without arguments and every ``vagafraga`` command with
them, and on Linux ``vaga-fraga.desktop`` and the icon beside it. PyInstaller builds it
(chosen over pyside6-deploy, whose Nuitka compile did not finish here; size and start
times in BENCHMARKS.md). Like ``run.py`` this creates ``.venv`` first when needed, and
adds PyInstaller to it.

python3 -m tools.build_app              # build dist/vaga-fraga/
python3 -m tools.build_app --smoke      # build, then start it offscreen to the sign-in
python3 -m tools.build_app --install    # build, then add it to this user's Linux menu
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from tools.bootstrap import ROOT, ensure_environment

NAME = "vaga-fraga"  # the program, the desktop entry and the window class: app.desktop.APP_ID
DIST = ROOT / "dist"
BUILD = ROOT / "build" / "pyinstaller"
ICON = ROOT / "resources" / "icons" / f"{NAME}.png"
# Packages the app imports by name at run time (the lazy command table, SQLAlchemy's and
# psycopg's drivers), which PyInstaller cannot see in the source.
COLLECT = ("app", "sqlcipher3", "psycopg")
HIDDEN = ("psycopg_binary", "psycopg_binary.pq", "psycopg_binary._psycopg")
# Build tools some library can import but the app never does; left out, their start-up
# hooks (pkg_resources scans every installed package) go too: -0.5 s on every start.
EXCLUDE = ("setuptools", "pkg_resources", "distutils", "PyInstaller", "pip", "tkinter")
DESKTOP_ENTRY = """[Desktop Entry]
Type=Application
Name=Våga fråga
GenericName=Asking about violence
GenericName[sv]=Frågor om våld
Comment=Guides case handlers through asking about violence in close relationships
Comment[sv]=Stöd för handläggare att fråga om våld i nära relationer
Exec="{program}"
Icon={icon}
Terminal=false
Categories=Office;
StartupWMClass={name}
"""


def installer_requirement() -> str:
    """PyInstaller as pyproject.toml's ``installer`` extra names it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (requirement,) = project["project"]["optional-dependencies"]["installer"]
    return str(requirement)


def _data(source: Path, target: str) -> list[str]:
    return ["--add-data", f"{source}{os.pathsep}{target}"]


def pyinstaller_arguments() -> list[str]:
    arguments = [
        "--noconfirm",
        "--clean",
        "--onedir",
        "--name",
        NAME,
        "--distpath",
        str(DIST),
        "--workpath",
        str(BUILD),
        "--specpath",
        str(BUILD),
        "--icon",
        str(ICON),
        *_data(ROOT / "resources", "app/_data/resources"),
        *_data(ROOT / "app" / "storage" / "migrations", "app/storage/migrations"),
    ]
    for language in sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.mo")):
        relative = language.parent.relative_to(ROOT / "translations")
        arguments += _data(language, f"app/_data/translations/{relative.as_posix()}")
    for package in COLLECT:
        arguments += ["--collect-submodules", package]
    for module in HIDDEN:
        arguments += ["--hidden-import", module]
    for module in EXCLUDE:
        arguments += ["--exclude-module", module]
    return [*arguments, str(ROOT / "tools" / "app_entry.py")]


def program() -> Path:
    return DIST / NAME / (f"{NAME}.exe" if os.name == "nt" else NAME)


def write_desktop_entry() -> Path:
    """``vaga-fraga.desktop`` and the icon in the build folder, pointing at the program."""
    folder = DIST / NAME
    icon = folder / ICON.name
    shutil.copyfile(ICON, icon)
    entry = folder / f"{NAME}.desktop"
    entry.write_text(
        DESKTOP_ENTRY.format(program=program(), icon=icon, name=NAME), encoding="utf-8"
    )
    return entry


def install_desktop_entry(entry: Path) -> Path:
    """The entry in this user's applications menu (XDG data folder)."""
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    target = data / "applications" / entry.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(entry, target)
    return target


def smoke_test(built: Path) -> str:
    """The built program in a fresh folder: ``init`` makes a store, then the desktop app
    started offscreen must show its sign-in and quit; the line it printed about it."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="vagafraga-smoke-") as folder:
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            VAGAFRAGA_DATA_DIR=str(Path(folder) / "data"),
            VAGAFRAGA_CONFIG_DIR=str(Path(folder) / "config"),
            VAGAFRAGA_PASSWORD="smoke test pass phrase",
        )
        steps = [
            ([str(built), "--language", "en", "init", "--admin", "smoke"], {}),
            ([str(built), "--language", "en"], {"VAGAFRAGA_SMOKE_TEST": "1"}),
        ]
        for command, extra in steps:
            done = subprocess.run(
                command,
                env={**env, **extra},
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            if done.returncode != 0:
                raise SystemExit(
                    f"smoke test: {' '.join(command[1:])} failed (exit {done.returncode}): "
                    f"{done.stderr.strip()[-2000:]}"
                )
    shown = [line for line in done.stdout.splitlines() if line.startswith("shown: ")]
    if not shown or not shown[0].startswith("shown: LoginDialog | "):
        raise SystemExit(f"smoke test: the sign-in was not shown: {done.stdout.strip()}")
    return shown[0]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m tools.build_app", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="start the build offscreen once")
    parser.add_argument("--install", action="store_true", help="add it to the Linux menu")
    args = parser.parse_args(argv)
    python = str(ensure_environment(dev=False))  # also compiles the catalogs
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         installer_requirement()],
        check=True,
    )  # fmt: skip
    subprocess.run([python, "-m", "PyInstaller", *pyinstaller_arguments()], cwd=ROOT, check=True)
    print(f"built {program()}")
    if sys.platform.startswith("linux"):
        entry = write_desktop_entry()
        print(f"desktop entry {entry}")
        if args.install:
            print(f"installed {install_desktop_entry(entry)}")
    if args.smoke:
        print(smoke_test(program()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
