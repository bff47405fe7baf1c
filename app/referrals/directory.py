"""The support directory: where a person can get support, as validated data.

The shipped national entries are in ``resources/referrals/directory.yaml``; an
administrator's local entries (the team's municipality, or a corrected national
entry) are in ``<data_dir>/referrals/local.yaml``. A local entry with the id of a
shipped one replaces it, so a changed number is fixed without a new release.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.i18n import STOCKHOLM
from app.referrals.hours import Hours
from app.screening.record import iso639_1_codes

ENTRY_ID_PATTERN = r"^[a-z][a-z0-9_]{1,63}$"
NATIONAL = "national"
MUNICIPALITY_PATTERN = re.compile(r"^\d{4}$")
# An area code (0 and 1-3 digits) and a dash, then digit groups split by single spaces;
# or a short number such as 112, 114 14, 116 006, 1177.
PHONE_PATTERN = re.compile(r"^(?:0\d{1,3}-)?\d{2,4}(?: \d{2,3})*$")

EntryId = Annotated[str, Field(pattern=ENTRY_ID_PATTERN)]


def stockholm_today() -> date:
    return datetime.now(STOCKHOLM).date()


class Kind(StrEnum):
    SUPPORT_LINE = "support_line"
    AUTHORITY = "authority"
    ORGANISATION = "organisation"
    SHELTER = "shelter"


class Audience(StrEnum):
    WOMEN = "women"
    MEN = "men"
    LGBTQ = "lgbtq"
    CHILDREN = "children"
    PEOPLE_USING_VIOLENCE = "people_using_violence"
    HONOUR_RELATED = "honour_related"
    PROSTITUTION_TRAFFICKING = "prostitution_trafficking"
    PROFESSIONALS = "professionals"
    EVERYONE = "everyone"


class Source(StrEnum):
    SHIPPED = "shipped"
    LOCAL = "local"
    LOCAL_OVERRIDE = "local_override"  # a local entry with a shipped entry's id


def _text(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


Text = Annotated[str, BeforeValidator(_text), Field(min_length=1, max_length=2000)]


class Bilingual(BaseModel):
    """A text in Swedish and English; both are required."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    sv: Text
    en: Text

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.sv


def _phone_text(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) else value


def is_swedish_phone_number(text: str) -> bool:
    if not PHONE_PATTERN.match(text):
        return False
    digits = re.sub(r"\D", "", text)
    if "-" in text:
        return 7 <= len(digits) <= 10
    return 3 <= len(digits) <= 8


def _phone(value: str) -> str:
    if not is_swedish_phone_number(value):
        raise PydanticCustomError(
            "phone",
            "not a Swedish phone number; write it like 020-50 50 50, 010-223 57 60 or 112",
        )
    return value


PhoneNumber = Annotated[str, BeforeValidator(_phone_text), Field(max_length=20)]


def dialable(phone: str) -> str:
    """The digits to dial: ``020-50 50 50`` -> ``020505050``."""
    return re.sub(r"\D", "", phone)


class DirectoryEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: EntryId
    name: Bilingual
    description: Bilingual
    kind: Kind
    phone: PhoneNumber | None = None
    hours: Hours | None = None
    web: str | None = Field(default=None, max_length=300)
    audience: list[Audience] = Field(min_length=1)
    languages: list[str] = Field(default_factory=lambda: ["sv"], min_length=1)
    interpreters: bool = False
    free: bool = False
    anonymous: bool = False
    not_on_phone_bill: bool = False
    scope: str = NATIONAL
    local_for: EntryId | None = None
    last_verified: date
    note: Bilingual | None = None

    @field_validator("phone")
    @classmethod
    def _valid_phone(cls, value: str | None) -> str | None:
        return None if value is None else _phone(value)

    @field_validator("web")
    @classmethod
    def _valid_web(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not re.match(r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$", value):
            raise PydanticCustomError("web", "write the web address like https://example.se")
        return value

    @field_validator("scope", mode="before")
    @classmethod
    def _valid_scope(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if value == NATIONAL or MUNICIPALITY_PATTERN.match(value):
                return value
        raise PydanticCustomError(
            "scope",
            "write national, or the municipality's four-digit code in quotes, such as '0180'",
        )

    @field_validator("languages")
    @classmethod
    def _iso_languages(cls, value: list[str]) -> list[str]:
        if any(code not in iso639_1_codes() for code in value):
            raise PydanticCustomError(
                "language", "use two-letter ISO 639-1 language codes, such as sv, en or ar"
            )
        if len(set(value)) != len(value):
            raise PydanticCustomError("duplicates", "lists each language only once")
        return value

    @field_validator("last_verified")
    @classmethod
    def _not_in_future(cls, value: date) -> date:
        if value > stockholm_today() + timedelta(days=1):
            raise PydanticCustomError("date", "the date is in the future")
        return value

    @field_validator("audience")
    @classmethod
    def _no_repeated_audience(cls, value: list[Audience]) -> list[Audience]:
        if len(set(value)) != len(value):
            raise PydanticCustomError("duplicates", "lists each group only once")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> DirectoryEntry:
        if self.kind is Kind.SUPPORT_LINE and self.phone is None:
            raise PydanticCustomError("phone", "phone: a support line needs its phone number")
        if self.local_for == self.id:
            raise PydanticCustomError("local_for", "local_for: names another entry, not itself")
        if self.not_on_phone_bill and self.phone is None:
            raise PydanticCustomError(
                "not_on_phone_bill", "not_on_phone_bill: only for an entry with a phone number"
            )
        return self

    @property
    def is_local(self) -> bool:
        return self.scope != NATIONAL

    def offers_language(self, language: str) -> bool:
        return self.interpreters or language in self.languages

    def needs_verification(self, today: date, max_age_days: int) -> bool:
        """True when the entry was last checked more than ``max_age_days`` ago."""
        return today - self.last_verified > timedelta(days=max_age_days)


class Directory:
    """Shipped and local entries merged: local ones replace shipped ones with the same id."""

    def __init__(
        self, shipped: Iterable[DirectoryEntry], local: Iterable[DirectoryEntry] = ()
    ) -> None:
        self._entries: dict[str, DirectoryEntry] = {}
        self._sources: dict[str, Source] = {}
        for entry in shipped:
            self._entries[entry.id] = entry
            self._sources[entry.id] = Source.SHIPPED
        for entry in local:
            replaced = self._sources.get(entry.id) in (Source.SHIPPED, Source.LOCAL_OVERRIDE)
            self._entries[entry.id] = entry
            self._sources[entry.id] = Source.LOCAL_OVERRIDE if replaced else Source.LOCAL

    def __iter__(self) -> Iterator[DirectoryEntry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._entries

    def get(self, entry_id: str) -> DirectoryEntry | None:
        return self._entries.get(entry_id)

    def __getitem__(self, entry_id: str) -> DirectoryEntry:
        return self._entries[entry_id]

    def source(self, entry_id: str) -> Source:
        return self._sources[entry_id]

    def local_versions(self, entry_id: str) -> list[DirectoryEntry]:
        """Local entries that stand for ``entry_id`` in a municipality (``local_for``)."""
        return [entry for entry in self if entry.local_for == entry_id]

    def stale(self, today: date, max_age_days: int) -> list[DirectoryEntry]:
        return [entry for entry in self if entry.needs_verification(today, max_age_days)]
