"""What comes after the login dialog, made ready while it waits for the user.

The dialog is on screen before SQLAlchemy, argon2 or cryptography is loaded; once it
shows, :func:`prepare` imports, off the UI thread, what signing in needs, in the order it
is needed: the key slots first (a Sign in pressed at once starts its Argon2id as soon as
they are there), the sign-in on the SQLCipher driver and the main window. While the user
has not pressed Sign in yet (the dialog is idle), it goes on with SQLAlchemy and the
whole sign-in pipeline, Babel and the language's formats, and the modules of the areas
users land on; once pressed, it stops there and leaves the processor to the sign-in,
which then imports only the area its user lands on (:func:`import_landing_area`); the
rest loads once the main window is on screen (:meth:`MainWindow._after_first_paint`).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from app.i18n import load_formats
from app.ui.common.areas import LANDING, MODULES, areas_for, landing_area
from app.ui.common.ui_thread_gc import collection_held

if TYPE_CHECKING:
    from app.accounts.login import Login

# The key slots and the sign-in on the driver (app.accounts.driver_signin): all a Sign in
# pressed at once needs before the main window paints.
FIRST_MODULES = ("app.accounts.keyslots", "app.accounts.driver_signin", "sqlcipher3")
# Only while the dialog is idle: the whole sign-in pipeline (SQLAlchemy, the tables, the
# audit log) with the encrypted store's dialect, which a session's engine needs once the
# window is on screen (and a store the driver leaves to the whole pipeline);
PIPELINE_MODULES = ("app.accounts.signin", "sqlalchemy.dialects.sqlite.pysqlcipher")
# then what each role sees of a record (most areas use it) and the page of each role's
# landing area.
IDLE_MODULES = (
    "app.accounts.access",
    *dict.fromkeys(MODULES[area] for _role, area in LANDING),
)


def prepare(pressed: threading.Event) -> None:
    """Import what comes after the dialog (in a worker); ``pressed`` is set once the user
    has pressed Sign in (or Create). No collection meanwhile: modules live as long as the
    process (:func:`app.ui.common.ui_thread_gc.collection_held`)."""
    with collection_held():
        for name in FIRST_MODULES:
            importlib.import_module(name)
        importlib.import_module("app.ui.main_window")  # every user's
    # Then, while the user has not pressed Sign in: SQLAlchemy and the tables' mappings
    # (else set up by the first query), Babel and the language's formats (every area
    # shows dates or numbers; the dialog none), the idle modules. Once Sign in is pressed,
    # they load after the main window's first paint, not while the Argon2id runs.
    steps: list[Callable[[], object]] = [
        *(partial(importlib.import_module, name) for name in PIPELINE_MODULES),
        _configure_mappers,
        load_formats,
        *(partial(importlib.import_module, name) for name in IDLE_MODULES),
    ]
    for step in steps:
        if pressed.is_set():
            return
        with collection_held():
            step()


def _configure_mappers() -> None:
    from sqlalchemy.orm import configure_mappers

    configure_mappers()


def import_landing_area(login: Login) -> Login:
    """The main window's module and the page module of the area ``login``'s user lands on,
    imported in the sign-in's worker before the dialog hands over (its bar keeps moving;
    the main window then only builds the page)."""
    keys = [area.key for area in areas_for(login.principal)]
    try:
        importlib.import_module("app.ui.main_window")
        importlib.import_module(MODULES[landing_area(login.principal, keys)])
    except BaseException:
        login.close()  # no window will use the store
        raise
    return login
