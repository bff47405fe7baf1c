"""The X11 window class (``WM_CLASS``) of a window, made neutral while discreet mode is on.

Qt sets ``WM_CLASS`` once, from the application's name, when a window is made, and a task
bar, a window switcher or ``xprop`` shows it; Qt has no call to change it afterwards. On X11
this sets the property through Xlib (a connection of its own: X lets any client set a
window's properties). Elsewhere (Wayland, Windows, macOS, the offscreen platform) it does
nothing: there the window's title, which discreet mode makes neutral, is what is shown.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


class _ClassHint(ctypes.Structure):
    _fields_ = [("res_name", ctypes.c_void_p), ("res_class", ctypes.c_void_p)]


class _Xlib:
    def __init__(self, library: ctypes.CDLL, display: int) -> None:
        self.library = library
        self.display = display
        self.saved: dict[int, tuple[bytes, bytes]] = {}

    def get(self, window: int) -> tuple[bytes, bytes] | None:
        hint = _ClassHint()
        if not self.library.XGetClassHint(self.display, window, ctypes.byref(hint)):
            return None
        found = tuple(
            ctypes.string_at(pointer) if pointer else b""
            for pointer in (hint.res_name, hint.res_class)
        )
        for pointer in (hint.res_name, hint.res_class):
            if pointer:
                self.library.XFree(pointer)  # Xlib's copies
        return found[0], found[1]

    def set(self, window: int, name: bytes, klass: bytes) -> None:
        buffers = (ctypes.create_string_buffer(name), ctypes.create_string_buffer(klass))
        hint = _ClassHint(*(ctypes.addressof(buffer) for buffer in buffers))
        self.library.XSetClassHint(self.display, window, ctypes.byref(hint))
        self.library.XFlush(self.display)


@cache
def _xlib() -> _Xlib | None:
    if QGuiApplication.platformName() != "xcb":
        return None
    path = ctypes.util.find_library("X11")
    if path is None:
        return None
    library = ctypes.CDLL(path)
    library.XOpenDisplay.restype = ctypes.c_void_p
    library.XOpenDisplay.argtypes = [ctypes.c_char_p]
    hint_pointer = ctypes.POINTER(_ClassHint)
    library.XGetClassHint.argtypes = [ctypes.c_void_p, ctypes.c_ulong, hint_pointer]
    library.XSetClassHint.argtypes = [ctypes.c_void_p, ctypes.c_ulong, hint_pointer]
    library.XFlush.argtypes = [ctypes.c_void_p]
    library.XFree.argtypes = [ctypes.c_void_p]
    display = library.XOpenDisplay(None)
    return _Xlib(library, display) if display else None


def current(widget: QWidget) -> tuple[str, str] | None:
    """``(instance, class)`` of ``widget``'s window, or None where there is no such thing."""
    xlib = _xlib()
    if xlib is None or widget.windowHandle() is None:
        return None
    found = xlib.get(int(widget.winId()))
    return None if found is None else (found[0].decode(), found[1].decode())


def set_for(widget: QWidget, name: str) -> None:
    """Give ``widget``'s window the class ``name`` (remembering its own for :func:`restore`)."""
    xlib = _xlib()
    if xlib is None or widget.windowHandle() is None:
        return
    window = int(widget.winId())
    own = xlib.get(window)
    if own is None:
        return
    xlib.saved.setdefault(window, own)
    encoded = name.encode()
    xlib.set(window, encoded, encoded)


def restore(widget: QWidget) -> None:
    xlib = _xlib()
    if xlib is None or widget.windowHandle() is None:
        return
    own = xlib.saved.pop(int(widget.winId()), None)
    if own is not None:
        xlib.set(int(widget.winId()), *own)
