"""The support sheet's languages, as data: ``resources/referrals/sheet_texts/<lang>.yaml``.

A language file holds the sheet's neutral title, intro, footer, labels, how opening
hours read, its writing direction, whether a professional translator has reviewed
it, and (for languages other than Swedish and English) the entries' names and
descriptions. Adding a language is adding a file.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.errors import UserError
from app.i18n import _
from app.paths import resources_dir
from app.referrals.loading import describe
from app.screening.protocol_loader import YAML_LOADER

Line = Annotated[str, Field(min_length=1, max_length=1000)]


class SheetLabels(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    phone: Line
    hours: Line
    web: Line
    free: Line
    anonymous: Line
    not_on_phone_bill: Line
    interpreters: Line


class EntryText(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Line
    description: Line


class SheetTexts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    language: str = Field(pattern=r"^[a-z]{2}$")
    name: Line
    direction: Literal["ltr", "rtl"]
    reviewed_by_professional_translator: bool
    title: Line
    intro: Line
    footer: Line
    labels: SheetLabels
    day_names: list[str] = Field(min_length=7, max_length=7)
    always_open: Line
    hours_not_fixed: Line
    hours_see_web: Line
    time_range: str = Field(pattern=r"\{days\}.*\{opens\}.*\{closes\}")
    time_separator: str = Field(min_length=1, max_length=1)
    list_separator: str = Field(default=", ", min_length=1, max_length=3)
    entries: dict[str, EntryText] = Field(default_factory=dict)
    # The discreet sheet's neutral name of each line, by entry id (else "Phone 1", ...).
    discreet_names: dict[str, Line] = Field(default_factory=dict)

    @property
    def right_to_left(self) -> bool:
        return self.direction == "rtl"


def sheet_texts_dir() -> Path:
    return resources_dir() / "referrals" / "sheet_texts"


def load_sheet_texts_file(path: Path) -> SheetTexts:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
        texts = SheetTexts.model_validate(data)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        raise UserError(_("{name}: not a valid sheet language file").format(name=path)) from None
    except ValidationError as error:
        problems = "; ".join(f"{field}: {message}" for _loc, field, message in describe(error))
        raise UserError(f"{path}: {problems}") from None
    if texts.language != path.stem:
        raise UserError(f"{path}: language: must be the file's name ({path.stem})")
    return texts


@cache
def sheet_languages() -> dict[str, SheetTexts]:
    """Every sheet language by code: Swedish and English first, then the others by code."""
    found = {
        path.stem: load_sheet_texts_file(path) for path in sorted(sheet_texts_dir().glob("*.yaml"))
    }
    order = sorted(found, key=lambda code: (code not in ("sv", "en"), code != "sv", code))
    return {code: found[code] for code in order}


def sheet_texts(language: str) -> SheetTexts:
    """The sheet texts of ``language``; raises :class:`UserError` for a language without one."""
    languages = sheet_languages()
    if language not in languages:
        raise UserError(
            _("There is no support sheet in this language; available: {languages}.").format(
                languages=", ".join(languages)
            )
        )
    return languages[language]
