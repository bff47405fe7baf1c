"""Which language a command speaks: ``--language``, else the settings file, else the
locale (``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``, as POSIX orders them), else
Swedish.

The language is chosen before the parser is built, so ``--help`` and argparse's own
messages are in it too: :func:`language_option` finds ``--language`` wherever it stands.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from app.i18n import DEFAULT_LANGUAGE, LANGUAGES

LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
OPTION = "--language"


def language_option(arguments: Sequence[str]) -> str | None:
    """The value of the last ``--language`` (or an abbreviation argparse accepts) before
    ``--``; None when there is none or it names no language of ours (argparse reports it)."""
    found: str | None = None
    for position, argument in enumerate(arguments):
        if argument == "--":
            break
        name, equals, value = argument.partition("=")
        if len(name) < 4 or not OPTION.startswith(name):
            continue
        if not equals:
            following = arguments[position + 1 : position + 2]
            value = following[0] if following else ""
        found = value
    return found if found in LANGUAGES else None


def locale_language(environ: Mapping[str, str]) -> str | None:
    """The language of the locale the environment sets (``sv_SE.UTF-8`` -> ``sv``): the
    first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set decides, as for every
    program; None when it is C/POSIX or a language the app has no catalog for."""
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable, "")
        if value:
            language = value.split(".")[0].split("@")[0].split("_")[0].lower()
            return language if language in LANGUAGES else None
    return None


def resolve_language(arguments: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """The language for this run of ``vagafraga``."""
    chosen = language_option(arguments)
    if chosen is not None:
        return chosen
    from app.settings import LANGUAGE, Settings

    saved = Settings().stored(LANGUAGE)
    if saved is not None:
        return saved
    return locale_language(os.environ if environ is None else environ) or DEFAULT_LANGUAGE
