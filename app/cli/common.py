"""What every command shares: opening the store, reading input, writing output."""

from __future__ import annotations

import argparse
import getpass
import importlib
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli import own_process
from app.errors import UserError
from app.i18n import _
from app.safe_input import UnsafeInputError, load_json

if TYPE_CHECKING:  # a command imports the store only when it opens one
    from sqlalchemy import Engine

    from app.accounts.principal import Principal, Role
    from app.accounts.services import RecordService
    from app.accounts.session import Login
    from app.storage.engine import StoreLocation
    from app.storage.store import Store


def location_from(args: argparse.Namespace) -> StoreLocation:
    """The store the arguments name, else the team server saved in the settings, else the
    local store."""
    from app.settings import SERVER_ADDRESS, Settings
    from app.storage.location import resolve_location

    return resolve_location(
        getattr(args, "data_dir", None),
        getattr(args, "database_url", None),
        saved_url=Settings().get(SERVER_ADDRESS) or None,
    )


class CliSession:
    """The signed-in user and their store, for one command. Use it as a context manager.

    ``records`` is the record service: every query is narrowed to what the user may see,
    and views, exports, imports and corrections are audited. ``engine`` is for queries
    that apply the policy themselves (statistics use ``stats_scope(principal)``).
    """

    def __init__(self, login: Login) -> None:
        self.login = login

    @cached_property
    def records(self) -> RecordService:
        """Made on first use: a command that does not read records never loads them."""
        from app.accounts.services import RecordService

        login = self.login
        return RecordService(login.store, login.principal, login.audit_writer)

    @property
    def store(self) -> Store:
        return self.login.store

    @property
    def engine(self) -> Engine:
        return self.login.store.engine

    @property
    def principal(self) -> Principal:
        return self.login.principal

    def require(self, *roles: Role) -> None:
        self.login.principal.require(*roles)

    def close(self) -> None:
        self.login.close()

    def __enter__(self) -> CliSession:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def credentials() -> tuple[str, str]:
    """``VAGAFRAGA_USER`` and ``VAGAFRAGA_PASSWORD``, or asked for when stdin is a terminal."""
    username = os.environ.get("VAGAFRAGA_USER", "").strip()
    password = os.environ.get("VAGAFRAGA_PASSWORD")
    interactive = sys.stdin.isatty()
    if not username or password is None:
        if not interactive:
            raise UserError(
                _(
                    "Sign in first: set VAGAFRAGA_USER and VAGAFRAGA_PASSWORD, or run the "
                    "command in a terminal to be asked."
                )
            )
        if not username:
            sys.stderr.write(_("User name: "))
            sys.stderr.flush()
            username = sys.stdin.readline().strip()
        if password is None:
            password = getpass.getpass(_("Password: "))
    return username, password


def open_store_for(
    args: argparse.Namespace,
    *,
    upgrade: bool = True,
    check_audit: bool = True,
    signed_in: tuple[str, str] | None = None,
    read_only: bool = False,
    needs: Sequence[str] = (),
) -> CliSession:
    """Sign in and open the store the command works on (the one place the CLI does this).

    ``signed_in``: the user name and password already read by :func:`credentials` (a
    command that needs them again, such as ``sync``), so nobody is asked twice.
    ``read_only``: a command that only reads opens the store to read (it works while
    another program writes, and on read-only media; see :mod:`app.accounts.signin`).
    ``needs``: modules the command will use once signed in, imported while the key slot
    opens (Argon2id runs in a thread and releases the GIL), not after."""
    from app.accounts.opening import NoStoreError, Unwrapping, store_exists, uses_key_slots

    location = location_from(args)
    # A store by URL is looked for by signing in itself (one connection, not two).
    if uses_key_slots(location) and not store_exists(location):
        folder = location.sqlite_path.parent if location.sqlite_path is not None else None
        if folder is not None and not (read_only and folder.is_dir()):
            from app.storage.engine import ensure_writable_dir

            ensure_writable_dir(folder)  # the clearer message, if it fails
        raise NoStoreError()
    username, password = signed_in or credentials()
    with own_process.signing_in():
        # The key slot opens in a thread while the account and storage layers load.
        unwrapping = Unwrapping(location, username, password) if uses_key_slots(location) else None
        from sqlalchemy.orm import configure_mappers

        from app.accounts.signin import Mode, sign_in

        configure_mappers()  # the tables' mappings, else set up by the first query
        for name in needs:
            importlib.import_module(name)
        login = sign_in(
            location,
            username,
            password,
            mode=Mode.READ if read_only else Mode.WRITE,
            upgrade=upgrade,
            check_audit=check_audit,
            unwrapping=unwrapping,
        )
    return CliSession(login)


MAX_JSON_INPUT_BYTES = 1_000_000


def read_json_input(source: str | None) -> Any:
    """JSON from a file, or from stdin when ``source`` is ``-`` or absent (at most
    :data:`MAX_JSON_INPUT_BYTES`; nesting and numbers bounded by :mod:`app.safe_input`)."""
    name = "stdin" if source in (None, "-") else str(source)
    try:
        if source in (None, "-"):
            binary = getattr(sys.stdin, "buffer", None)  # absent when a test gives text
            raw = (
                binary.read(MAX_JSON_INPUT_BYTES + 1)
                if binary is not None
                else sys.stdin.read(MAX_JSON_INPUT_BYTES + 1).encode("utf-8")
            )
        else:
            with Path(name).open("rb") as handle:
                raw = handle.read(MAX_JSON_INPUT_BYTES + 1)
        if len(raw) > MAX_JSON_INPUT_BYTES:
            raise UserError(
                _("{file}: larger than {size} MB; expected one small JSON object").format(
                    file=name, size=MAX_JSON_INPUT_BYTES // 1_000_000
                )
            )
        text = raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise UserError(_("{file}: no such file").format(file=name)) from None
    except IsADirectoryError:
        raise UserError(_("{file}: is a folder, not a file").format(file=name)) from None
    except UnicodeDecodeError:
        raise UserError(_("{file}: not UTF-8 text").format(file=name)) from None
    except OSError as error:
        raise UserError(
            _("{file}: cannot be read ({reason})").format(file=name, reason=error.strerror)
        ) from None
    if not text.strip():
        raise UserError(_("{file}: empty input; expected a JSON object").format(file=name))
    try:
        return load_json(text)
    except json.JSONDecodeError as error:
        raise UserError(
            _("{file}:{line}: not valid JSON").format(file=name, line=error.lineno)
        ) from None
    except UnsafeInputError as error:
        raise UserError(f"{name}:{error.line}: {error.reason}") from None


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def print_json_list(items: list[Any]) -> None:
    """A JSON array with one item per line (json's C encoder; ``indent`` would be Python's)."""
    lines = ",\n".join(json.dumps(item, ensure_ascii=False, default=str) for item in items)
    sys.stdout.write(f"[\n{lines}\n]\n" if items else "[]\n")


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text} is not a date like 2026-01-31").format(text=text)
        ) from None


def print_table(rows: list[list[str]]) -> None:
    """Rows of text (the first the header) as aligned columns on standard output."""
    widths = [max(len(line[column]) for line in rows) for column in range(len(rows[0]))]
    for line in rows:
        cells = (cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        print("  ".join(cells).rstrip())
