"""What every command shares: opening the store, reading input, writing output."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from app.errors import UserError
from app.i18n import _
from app.storage.engine import StoreLocation, resolve_location
from app.storage.store import Store, open_store


def location_from(args: argparse.Namespace) -> StoreLocation:
    return resolve_location(getattr(args, "data_dir", None), getattr(args, "database_url", None))


def open_store_for(args: argparse.Namespace) -> Store:
    """The store the command works on."""
    return open_store(location_from(args))


def read_json_input(source: str | None) -> Any:
    """JSON from a file, or from stdin when ``source`` is ``-`` or absent."""
    try:
        if source in (None, "-"):
            text = sys.stdin.read()
            name = "stdin"
        else:
            assert source is not None
            name = source
            text = Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(_("{file}: no such file").format(file=source)) from None
    except UnicodeDecodeError:
        raise UserError(_("{file}: not UTF-8 text").format(file=source)) from None
    except OSError as error:
        raise UserError(
            _("{file}: cannot be read ({reason})").format(file=source, reason=error.strerror)
        ) from None
    if not text.strip():
        raise UserError(_("{file}: empty input; expected a JSON object").format(file=name))
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UserError(
            _("{file}:{line}: not valid JSON").format(file=name, line=error.lineno)
        ) from None


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text} is not a date like 2026-01-31").format(text=text)
        ) from None
