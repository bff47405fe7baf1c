"""Where the app finds its data files and keeps the user's store.

Resources and translations live at the repository root in a checkout and under
``app/_data`` in an installed wheel.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "vaga-fraga"
_PACKAGE = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def resources_dir() -> Path:
    return _first_existing(_PACKAGE.parent / "resources", _PACKAGE / "_data" / "resources")


def translations_dir() -> Path:
    return _first_existing(_PACKAGE.parent / "translations", _PACKAGE / "_data" / "translations")


def default_data_dir() -> Path:
    """The per-user, non-roaming data directory, unless ``VAGAFRAGA_DATA_DIR`` says otherwise."""
    override = os.environ.get("VAGAFRAGA_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def data_dir_option(option: str | Path | None) -> Path:
    """The data directory a ``--data-dir`` option names, or the default."""
    return Path(option).expanduser() if option else default_data_dir()


def config_dir() -> Path:
    override = os.environ.get("VAGAFRAGA_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False, roaming=False))
