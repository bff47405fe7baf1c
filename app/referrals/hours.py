"""Opening hours as data, and shown the way the reader's language writes them.

``Hours`` is either ``{always: true}`` (around the clock, every day) or a list of
weekly ranges such as ``{days: [mon, wed, fri], opens: "09:00", closes: "12:00"}``.
An entry without hours (``None``) has hours that vary (local offices) or that are
on its website. How days and times read in a language is data too (the sheet
texts): Swedish reads "mån–fre kl. 09.00–16.00".
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Protocol

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

TIME_PATTERN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


WEEK: tuple[Weekday, ...] = tuple(Weekday)


class OpeningRange(BaseModel):
    """Open on ``days`` from ``opens`` to ``closes`` (24-hour ``HH:MM``; ``24:00`` is midnight)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    days: list[Weekday] = Field(min_length=1)
    opens: str
    closes: str

    @field_validator("opens", "closes", mode="before")
    @classmethod
    def _time(cls, value: object) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            # YAML 1.1 reads 09:00 unquoted as a sexagesimal number of minutes.
            value = f"{value // 60:02d}:{value % 60:02d}"
        if not isinstance(value, str) or not TIME_PATTERN.match(value.strip()):
            raise PydanticCustomError("time", "write the time as HH:MM, for example 09:00")
        return value.strip()

    @field_validator("days")
    @classmethod
    def _ordered_days(cls, value: list[Weekday]) -> list[Weekday]:
        if len(set(value)) != len(value):
            raise PydanticCustomError("duplicates", "lists each day only once")
        return sorted(value, key=WEEK.index)

    @model_validator(mode="after")
    def _closes_after_opening(self) -> OpeningRange:
        if self.closes != "24:00" and self.closes <= self.opens:
            raise PydanticCustomError("hours", "closes: must be after the opening time")
        return self


class Hours(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    always: bool = False
    weekly: list[OpeningRange] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_kind(self) -> Hours:
        if self.always and self.weekly:
            raise PydanticCustomError("hours", "give either always true or weekly ranges, not both")
        if not self.always and not self.weekly:
            raise PydanticCustomError("hours", "give always true or at least one weekly range")
        return self


class HoursWords(Protocol):
    """What a language needs to write hours: see ``SheetTexts``."""

    @property
    def day_names(self) -> list[str]: ...  # seven short names, Monday first

    @property
    def always_open(self) -> str: ...

    @property
    def hours_not_fixed(self) -> str: ...

    @property
    def time_range(self) -> str: ...  # "{days} kl. {opens}–{closes}"

    @property
    def time_separator(self) -> str: ...  # "." in Swedish, ":" in English

    @property
    def list_separator(self) -> str: ...  # ", " (Arabic: "، ")


def _day_runs(days: list[Weekday]) -> list[tuple[int, int]]:
    """Consecutive runs of weekday indexes: mon, tue, wed, fri -> (0, 2), (4, 4)."""
    indexes = sorted(WEEK.index(day) for day in days)
    runs: list[tuple[int, int]] = []
    for index in indexes:
        if runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def format_days(days: list[Weekday], words: HoursWords) -> str:
    parts = []
    for first, last in _day_runs(days):
        if first == last:
            parts.append(words.day_names[first])
        elif last == first + 1:
            parts.append(f"{words.day_names[first]}{words.list_separator}{words.day_names[last]}")
        else:
            parts.append(f"{words.day_names[first]}–{words.day_names[last]}")
    return words.list_separator.join(parts)


def _time(value: str, words: HoursWords) -> str:
    return value.replace(":", words.time_separator)


def format_hours(hours: Hours | None, words: HoursWords) -> str:
    """The hours in one line, in the language of ``words``."""
    if hours is None:
        return words.hours_not_fixed
    if hours.always:
        return words.always_open
    return "; ".join(
        words.time_range.format(
            days=format_days(item.days, words),
            opens=_time(item.opens, words),
            closes=_time(item.closes, words),
        )
        for item in hours.weekly
    )


_DAY_WORDS = {
    "mon": Weekday.MON,
    "mån": Weekday.MON,
    "tue": Weekday.TUE,
    "tis": Weekday.TUE,
    "wed": Weekday.WED,
    "ons": Weekday.WED,
    "thu": Weekday.THU,
    "tor": Weekday.THU,
    "fri": Weekday.FRI,
    "fre": Weekday.FRI,
    "sat": Weekday.SAT,
    "lör": Weekday.SAT,
    "sun": Weekday.SUN,
    "sön": Weekday.SUN,
}
_RANGE = re.compile(
    r"^(?P<days>[^\d]+?)\s*(?:kl\.?\s*)?(?P<opens>\d{1,2}[:.]\d{2})\s*[-–]\s*(?P<closes>\d{1,2}[:.]\d{2})$"
)


def parse_hours_text(text: str) -> Hours:
    """Hours typed by an administrator: ``mon-fri 09:00-16:00; sat 10:00-14:00``.

    Swedish day names and ``kl. 9.00–16.00`` work too. Raises ``ValueError`` with
    a message for people.
    """
    ranges: list[OpeningRange] = []
    for part in (piece.strip() for piece in text.split(";")):
        if not part:
            continue
        match = _RANGE.match(part.lower())
        if match is None:
            raise ValueError("write hours like: mon-fri 09:00-16:00; sat 10:00-14:00")
        days = _parse_days(match["days"])
        try:
            ranges.append(
                OpeningRange(
                    days=days, opens=_clock(match["opens"]), closes=_clock(match["closes"])
                )
            )
        except ValidationError as error:
            raise ValueError(
                "; ".join(
                    dict.fromkeys(str(item["msg"]) for item in error.errors(include_input=False))
                )
            ) from None
    if not ranges:
        raise ValueError("write hours like: mon-fri 09:00-16:00; sat 10:00-14:00")
    return Hours(weekly=ranges)


def _clock(text: str) -> str:
    hours, minutes = re.split(r"[:.]", text)
    return f"{int(hours):02d}:{minutes}"


def _parse_days(text: str) -> list[Weekday]:
    days: list[Weekday] = []
    for chunk in (piece.strip() for piece in text.split(",")):
        ends = [end.strip()[:3] for end in re.split(r"[-–]", chunk)]
        if not chunk or any(end not in _DAY_WORDS for end in ends) or len(ends) > 2:
            raise ValueError("unknown day; use mon, tue, wed, thu, fri, sat, sun")
        first = WEEK.index(_DAY_WORDS[ends[0]])
        last = WEEK.index(_DAY_WORDS[ends[-1]])
        if last < first:
            raise ValueError("a day range runs from an earlier to a later day, like mon-fri")
        days.extend(day for day in WEEK[first : last + 1] if day not in days)
    return days


def hours_text(hours: Hours | None) -> str:
    """The inverse of :func:`parse_hours_text` for weekly hours (for editing)."""
    if hours is None or hours.always:
        return ""
    english = _EnglishCodes()
    return "; ".join(
        f"{format_days(item.days, english)} {item.opens}-{item.closes}" for item in hours.weekly
    )


class _EnglishCodes:
    def __init__(self) -> None:
        self.day_names = [day.value for day in WEEK]
        self.always_open = ""
        self.hours_not_fixed = ""
        self.time_range = "{days} {opens}-{closes}"
        self.time_separator = ":"
        self.list_separator = ", "
