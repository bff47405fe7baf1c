"""The desktop app on a desktop: no display is one line and exit 2 (never Qt's abort), and
the window carries the app's own name and icon."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.desktop import APP_ID, display_problem, missing_library, missing_library_message

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.usefixtures("english")


def _without_display(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env.update(VAGAFRAGA_DATA_DIR=str(tmp_path / "data"), VAGAFRAGA_CONFIG_DIR=str(tmp_path))
    env.update(extra)
    return env


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland only")
def test_no_display_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app", "--language", "en"],
        env=_without_display(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2  # not 134 (SIGABRT)
    assert done.stderr == (
        "The desktop app needs a display: neither DISPLAY nor WAYLAND_DISPLAY is set. "
        "Start it in a desktop session (the command-line commands work without one).\n"
    )
    assert done.stdout == ""


def _libxcb() -> bool:
    try:
        ctypes.CDLL("libxcb.so.1")
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _libxcb(), reason="needs libxcb to ask the display")
def test_a_display_that_cannot_be_reached_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app", "--language", "en"],
        env=_without_display(tmp_path, DISPLAY=":97"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() in (
        [
            "The desktop app cannot open a window: the display :97 (DISPLAY) cannot be "
            "reached. Start it in a desktop session."
        ],
        # or, on a machine without the X11 plugin's libraries, the first one missing:
        [line for line in done.stderr.splitlines() if "system library" in line],
    )


def test_a_missing_system_library_is_named_with_its_package(tmp_path: Path) -> None:
    # dlopen's own refusal, as for a plugin whose dependency is not installed.
    missing = missing_library(tmp_path / "libxcb-cursor.so.0")
    assert missing == "libxcb-cursor.so.0"
    assert missing_library_message(missing) == (
        "The desktop app cannot start: the system library libxcb-cursor.so.0 is missing. "
        "Install it (Debian, Ubuntu: sudo apt install libxcb-cursor0)."
    )
    assert "libfoo.so.3 is missing" in missing_library_message("libfoo.so.3")


@pytest.mark.skipif(not _libxcb(), reason="needs libxcb to ask the display")
def test_the_x11_plugins_libraries_are_checked_before_the_display(tmp_path: Path) -> None:
    plugin = tmp_path / "libqxcb.so"  # stands for a plugin whose libraries are missing
    problem = display_problem({"DISPLAY": ":97"}, platform="linux", xcb_plugin=plugin)
    assert problem is not None
    assert "libqxcb.so is missing" in problem


@pytest.mark.parametrize(
    ("environ", "platform", "fine"),
    [
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", True),
        ({"QT_QPA_PLATFORM": "minimal"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"QT_QPA_PLATFORM": "wayland"}, "linux", False),
        ({}, "linux", False),
        ({}, "win32", True),  # Windows and macOS have their own display
        ({}, "darwin", True),
    ],
)
def test_which_environments_have_a_display(
    environ: dict[str, str], platform: str, fine: bool
) -> None:
    assert (display_problem(environ, platform=platform) is None) is fine


def test_the_window_has_the_apps_class_desktop_entry_and_icon(tmp_path: Path) -> None:
    probe = (
        "from app.ui.app import create_application\n"
        "app = create_application()\n"
        "print(app.arguments()[0], app.applicationName(), app.desktopFileName(),"
        " app.windowIcon().isNull())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env=_without_display(tmp_path, QT_QPA_PLATFORM="offscreen"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.split() == [APP_ID, APP_ID, APP_ID, "False"]
