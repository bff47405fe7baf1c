"""Translations are complete, compiled, and dates/numbers are Swedish by default."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from app import i18n
from app.i18n import (
    CatalogMissingError,
    _,
    format_date,
    format_datetime,
    format_number,
    format_rate,
)
from tools.i18n import LANGUAGES, po_path, problems, read_catalog


def test_every_message_is_translated_in_swedish_and_english_and_none_is_fuzzy() -> None:
    found = problems()
    assert found == [], "\n".join(found[:50])


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalog_has_a_real_header_that_pybabel_compiles(language: str) -> None:
    catalog = read_catalog(po_path(language), language)
    headers = dict(catalog.mime_headers)
    assert not catalog.fuzzy  # pybabel compile skips a catalog whose header is fuzzy
    assert headers["Project-Id-Version"].startswith("vaga-fraga ")
    assert headers["Language"] == language
    assert headers["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert "PROJECT" not in catalog.header_comment


def test_swedish_is_the_default_language() -> None:
    i18n._language = None
    assert _("Yes") == "Ja"
    assert i18n.current_language() == "sv"


def test_english_catalog_is_used_when_chosen() -> None:
    i18n.set_language("en")
    assert _("Yes") == "Yes"


def test_a_missing_catalog_fails_loudly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(i18n, "translations_dir", lambda: tmp_path)
        with pytest.raises(CatalogMissingError, match="not compiled"):
            i18n.set_language("en")


def test_times_are_shown_in_stockholm_the_swedish_way() -> None:
    moment = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)
    assert format_datetime(moment, language="sv") == "2026-02-01 00:30"
    assert format_date(moment, "long", language="sv") == "1 februari 2026"


def test_numbers_and_rates_the_swedish_way() -> None:
    assert format_number(1234567.5, language="sv") == "1\xa0234\xa0567,5"
    assert format_rate(0.4567, language="sv") == "45,7\xa0%"
    assert format_rate(None) == "–"
