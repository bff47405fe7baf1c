"""Translations and locale-aware formatting.

Every user-facing string goes through :func:`_` or :func:`ngettext`. Message ids
are English; the Swedish catalog is the default UI language and the English
catalog must be complete too. Strings defined at import time are marked with
:func:`N_` and translated where they are shown.

Dates and numbers are formatted by Babel and shown in Europe/Stockholm.
"""

from __future__ import annotations

import gettext
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from app.errors import UserError
from app.paths import translations_dir

if TYPE_CHECKING:  # Babel loads with the first date or number formatted, not with _()
    from babel import Locale

DOMAIN = "messages"
LANGUAGES: dict[str, str] = {"sv": "Svenska", "en": "English"}
DEFAULT_LANGUAGE = "sv"
STOCKHOLM = ZoneInfo("Europe/Stockholm")

_BABEL_LOCALES = {"sv": "sv_SE", "en": "en_GB"}

_current: gettext.NullTranslations = gettext.NullTranslations()
_language: str | None = None


class CatalogMissingError(UserError):
    """A compiled catalog is missing: fail loudly instead of showing untranslated text."""


def load_catalog(language: str) -> gettext.GNUTranslations:
    if language not in LANGUAGES:
        raise UserError(f"Unknown language {language!r}; choose one of: {', '.join(LANGUAGES)}.")
    mo = translations_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not mo.is_file():
        raise CatalogMissingError(
            f"The {LANGUAGES[language]} translation is not compiled ({mo} is missing). "
            "Run the setup again: python run.py"
        )
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def set_language(language: str) -> None:
    """Switch every later :func:`_` call to ``language`` (``sv`` or ``en``)."""
    global _current, _language  # noqa: PLW0603 - the one switch for the whole app
    _current = load_catalog(language)
    _language = language


def current_language() -> str:
    if _language is None:
        set_language(DEFAULT_LANGUAGE)
    assert _language is not None
    return _language


def _(message: str) -> str:
    if _language is None:
        set_language(DEFAULT_LANGUAGE)
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    if _language is None:
        set_language(DEFAULT_LANGUAGE)
    return _current.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def babel_locale(language: str | None = None) -> Locale:
    from babel import Locale

    return Locale.parse(_BABEL_LOCALES[language or current_language()])


def to_local(moment: datetime) -> datetime:
    """An aware datetime in Europe/Stockholm."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every stored time is aware UTC")
    return moment.astimezone(STOCKHOLM)


def format_datetime(moment: datetime, fmt: str = "short", language: str | None = None) -> str:
    from babel.dates import format_datetime as babel_format_datetime

    return babel_format_datetime(
        to_local(moment), fmt, tzinfo=STOCKHOLM, locale=babel_locale(language)
    )


def format_date(day: date | datetime, fmt: str = "short", language: str | None = None) -> str:
    from babel.dates import format_date as babel_format_date

    if isinstance(day, datetime):
        day = to_local(day).date()
    return babel_format_date(day, fmt, locale=babel_locale(language))


def load_formats() -> None:
    """Load Babel and the current language's date and number formats (about 10 ms the
    first time), for a worker to do before a window shows its first date."""
    format_datetime(datetime.now(STOCKHOLM))
    format_number(0.5)


def format_number(value: float | int, language: str | None = None) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=babel_locale(language))


def format_rate(value: float | None, language: str | None = None) -> str:
    """A rate as a percentage with one decimal, or an en dash when there is none."""
    if value is None:
        return "–"
    from babel.numbers import format_percent

    return format_percent(value, "#,##0.0\xa0%", locale=babel_locale(language))
