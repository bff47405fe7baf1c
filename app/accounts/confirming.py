"""Checking the signed-in user's password again (the idle lock)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from app.accounts.keyslots import KeyFile, WrongCredentialsError, login_delay, now_utc
from app.accounts.login import Login
from app.accounts.url_stores import check_server_password, confirm_hashed_password

Sleep = Callable[[float], None]
Clock = Callable[[], datetime]


def confirm_password(
    login: Login, password: str, *, sleep: Sleep = time.sleep, clock: Clock = now_utc
) -> None:
    """Check the signed-in user's password again (the idle lock), with the same delay and
    failure counting as signing in; raises :class:`WrongCredentialsError`."""
    username = login.principal.username
    keys = login.key_file
    if keys is not None:
        key_file = KeyFile.load(keys)
        delay = login_delay(key_file.failures_of(username))
        if delay:
            sleep(delay)
        try:
            key_file.unlock(username, password)
        except WrongCredentialsError:
            key_file.record_failure(username, clock())
            key_file.save()
            raise
        if key_file.clear_failures(username):
            key_file.save()
        return
    if login.location.is_server:
        check_server_password(login.location, username, password)
        return
    confirm_hashed_password(login, password, sleep=sleep, clock=clock)
