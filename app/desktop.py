"""The desktop app on a desktop: its name there, its icon, and whether it can start at all.

Qt aborts the whole process (SIGABRT, exit 134) when its platform plugin cannot start:
no display, or a system library the X11 plugin needs is missing (``libxcb-cursor0`` on a
fresh Debian or Ubuntu). :func:`display_problem` finds these before Qt is started, so the
user gets one line naming what is missing and exit code 2. Nothing here imports Qt.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

from app.i18n import _
from app.paths import resources_dir

# The desktop entry's name (vaga-fraga.desktop), the window class and the icon's name.
APP_ID = "vaga-fraga"

# Platform plugins that draw without a display of their own.
HEADLESS_PLATFORMS = {"offscreen", "minimal", "vnc", "linuxfb", "eglfs", "vkkhrdisplay"}

# The Debian/Ubuntu package of each library the X11 plugin needs beyond a minimal system.
DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}

_MISSING = re.compile(r"([^\s:/]+\.so[.\d]*): cannot open shared object file")


def icon_path() -> Path:
    return resources_dir() / "icons" / f"{APP_ID}.png"


def display_problem(
    environ: Mapping[str, str] | None = None,
    *,
    platform: str = sys.platform,
    xcb_plugin: Path | None = None,
) -> str | None:
    """Why the desktop app cannot open a window here, in one line; None when it can (or
    when this is not a system where Qt needs X11 or Wayland)."""
    env = os.environ if environ is None else environ
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    chosen = env.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if chosen in HEADLESS_PLATFORMS:
        return None
    wayland, x11 = env.get("WAYLAND_DISPLAY", ""), env.get("DISPLAY", "")
    if chosen == "wayland" or (not chosen and wayland):
        if wayland:
            return None
        return _(
            "The desktop app needs a display: WAYLAND_DISPLAY is not set (QT_QPA_PLATFORM "
            "asks for wayland). Start it in a desktop session."
        )
    if not x11:
        return _(
            "The desktop app needs a display: neither DISPLAY nor WAYLAND_DISPLAY is set. "
            "Start it in a desktop session (the command-line commands work without one)."
        )
    plugin = xcb_plugin or qt_xcb_plugin()
    if plugin is not None:
        missing = missing_library(plugin)
        if missing is not None:
            return missing_library_message(missing)
    return unreachable_display(x11)


def qt_xcb_plugin() -> Path | None:
    """Qt's X11 platform plugin as installed with PySide6 (without importing Qt)."""
    import importlib.util

    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return None
    plugin = Path(spec.origin).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.is_file() else None


def missing_library(library: Path) -> str | None:
    """The first shared library ``library`` needs that the system does not have; None
    when it loads."""
    try:
        ctypes.CDLL(str(library))
    except OSError as error:
        found = _MISSING.search(str(error))
        return found.group(1) if found else str(error).split(":")[0]
    return None


def missing_library_message(library: str) -> str:
    package = DEBIAN_PACKAGES.get(library)
    if package is None:
        return _(
            "The desktop app cannot start: the system library {library} is missing. "
            "Install the package that provides it."
        ).format(library=library)
    return _(
        "The desktop app cannot start: the system library {library} is missing. "
        "Install it (Debian, Ubuntu: sudo apt install {package})."
    ).format(library=library, package=package)


def unreachable_display(display: str) -> str | None:
    """Why X11 display ``display`` cannot be reached; None when it can (or when libxcb,
    which Qt needs anyway, cannot be loaded to ask)."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return missing_library_message("libxcb.so.1")
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        failed = xcb.xcb_connection_has_error(connection) != 0
    finally:
        xcb.xcb_disconnect(connection)
    if not failed:
        return None
    return _(
        "The desktop app cannot open a window: the display {display} (DISPLAY) cannot be "
        "reached. Start it in a desktop session."
    ).format(display=display)
