"""Creating a store and signing in to one: what callers import, in one place.

The work lives by what it does: :mod:`app.accounts.creating` (a new store and its first
administrator), :mod:`app.accounts.signin` (the one sign-in pipeline, to read or to
write), :mod:`app.accounts.confirming` (the idle lock's password check),
:mod:`app.accounts.login` (the signed-in user with their store) and
:mod:`app.accounts.opening` (is there a store here?).
"""

from __future__ import annotations

import time

from app.accounts.confirming import confirm_password
from app.accounts.creating import init_store
from app.accounts.keyslots import now_utc
from app.accounts.login import Login
from app.accounts.opening import (
    NoStoreError,
    check_openable,
    keys_path,
    store_exists,
    uses_key_slots,
)
from app.accounts.signin import Clock, Mode, Sleep, sign_in
from app.accounts.url_stores import check_server_password
from app.storage.engine import StoreLocation

__all__ = [
    "Login",
    "Mode",
    "NoStoreError",
    "check_openable",
    "check_server_password",
    "confirm_password",
    "init_store",
    "keys_path",
    "sign_in",
    "store_exists",
    "unlock",
    "uses_key_slots",
]


def unlock(
    location: StoreLocation,
    username: str,
    password: str,
    *,
    sleep: Sleep = time.sleep,
    clock: Clock = now_utc,
    check_audit: bool = True,
    upgrade: bool = True,
) -> Login:
    """Sign in to change things (:func:`~app.accounts.signin.sign_in` in
    :attr:`~app.accounts.signin.Mode.WRITE`)."""
    return sign_in(
        location,
        username,
        password,
        mode=Mode.WRITE,
        sleep=sleep,
        clock=clock,
        check_audit=check_audit,
        upgrade=upgrade,
    )
