"""Every setting declared once, with its type, default and translatable title.

Values live in ``settings.json`` in the per-user config directory. A value
that is missing or of the wrong type falls back to the default: a damaged
settings file never stops the app.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from app.i18n import N_
from app.paths import config_dir
from app.safe_input import load_json

log = logging.getLogger(__name__)
MAX_FILE_BYTES = 1_000_000
T = TypeVar("T", str, int, bool)


@dataclass(frozen=True)
class Option(Generic[T]):
    name: str
    type: type[T]
    default: T
    title: str  # marked with N_, translated where shown
    choices: tuple[T, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None

    def accepts(self, value: Any) -> bool:
        if type(value) is not self.type:
            return False
        if self.choices is not None and value not in self.choices:
            return False
        if isinstance(value, int) and not isinstance(value, bool):
            if self.minimum is not None and value < self.minimum:
                return False
            if self.maximum is not None and value > self.maximum:
                return False
        return True


OPTIONS: dict[str, Option[Any]] = {}


def declare(option: Option[T]) -> Option[T]:
    if option.name in OPTIONS:
        raise ValueError(f"setting {option.name} declared twice")
    OPTIONS[option.name] = option
    return option


LANGUAGE = declare(Option("language", str, "sv", N_("Language"), choices=("sv", "en")))
LAST_BENEFIT = declare(Option("last_benefit", str, "sickness_benefit", N_("Last benefit used")))
STATS_SMALL_COUNT = declare(
    Option(
        "stats_small_count_threshold",
        int,
        5,
        N_("Smallest count shown in statistics"),
        minimum=1,
        maximum=100,
    )
)
DIRECTORY_MAX_AGE_DAYS = declare(
    Option(
        "directory_max_age_days",
        int,
        365,
        N_("Days before a support directory entry needs verification"),
        minimum=1,
        maximum=3650,
    )
)
# The archive rules decide how long individual records are kept; 0 means "not set": keep all.
RETENTION_DAYS = declare(
    Option(
        "retention_days",
        int,
        0,
        N_("Days individual records are kept (0: not set, keep them)"),
        minimum=0,
        maximum=36500,
    )
)
# A team's server store (a PostgreSQL URL without a password); empty: the local store.
# --database-url and VAGAFRAGA_DATABASE_URL win over it.
SERVER_ADDRESS = declare(Option("server_address", str, "", N_("Team server address")))
IDLE_LOCK_MINUTES = declare(
    Option(
        "idle_lock_minutes",
        int,
        10,
        N_("Minutes without use before the app locks"),
        minimum=1,
        maximum=480,
    )
)

# Team sync (issue 15): the team server's address (no user or password: each user signs in
# as themselves) and how often the desktop app syncs in the background.
SYNC_SERVER_URL = declare(
    Option("sync_server_url", str, "", N_("Team server to send screenings to"))
)
SYNC_INTERVAL_MINUTES = declare(
    Option(
        "sync_interval_minutes",
        int,
        5,
        N_("Minutes between background syncs"),
        minimum=1,
        maximum=240,
    )
)


class Settings:
    """The user's settings file. Reads once, writes on every change."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / "settings.json"
        self._values: dict[str, Any] = {}
        try:
            with self.path.open("rb") as handle:
                raw = handle.read(MAX_FILE_BYTES + 1)
            if len(raw) > MAX_FILE_BYTES:
                raise ValueError("settings file too large")
            loaded = load_json(raw)  # bounded nesting and numbers (app.safe_input)
            if isinstance(loaded, dict):
                self._values = loaded
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as error:
            log.warning("settings file unreadable (%s); using defaults", type(error).__name__)

    def get(self, option: Option[T]) -> T:
        value = self._values.get(option.name, option.default)
        return value if option.accepts(value) else option.default

    def stored(self, option: Option[T]) -> T | None:
        """The value the file holds for ``option``; None when it holds none (or a bad one)."""
        value = self._values.get(option.name)
        return value if option.accepts(value) else None

    def set(self, option: Option[T], value: T) -> None:
        if not option.accepts(value):
            raise ValueError(f"invalid value for setting {option.name}")
        self._values[option.name] = value
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self._values, indent=2, sort_keys=True), encoding="utf-8")
        temporary.replace(self.path)
