"""The support sheet's content in the person's language, and the spoken phone script.

Pure: entries in, texts out; the UI lays them out and prints them. The title is
neutral (it never says what the sheet is about), because someone else may see it.
For languages other than Swedish and English, an entry's name and description come
from the language file, or fall back to English with the phone number.

The **discreet** sheet (the default when the person takes it home) names each line
neutrally (the language file's ``discreet_names``, else "Phone 1", ...) and gives only its
number, hours and facts (free, anonymous, not on the phone bill): no description and no web
address, which would say what the line is for. A number is never said twice: an entry
whose name holds its number ("Polisen – nödnummer 112") is named without it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.i18n import _, current_language
from app.referrals.directory import Audience, DirectoryEntry
from app.referrals.hours import format_hours
from app.referrals.sheet_texts import SheetLabels, SheetTexts, sheet_texts

BILINGUAL = ("sv", "en")


@dataclass(frozen=True)
class SheetEntry:
    entry_id: str
    name: str
    phone: str | None
    hours: str
    description: str
    web: str | None
    facts: tuple[str, ...]
    translated: bool  # False when the English text stands in for a missing translation


@dataclass(frozen=True)
class Sheet:
    language: str
    language_name: str
    right_to_left: bool
    reviewed: bool
    title: str
    intro: str
    footer: str
    labels: SheetLabels
    entries: tuple[SheetEntry, ...]

    @property
    def fully_translated(self) -> bool:
        return all(entry.translated for entry in self.entries)


def short_web(url: str | None) -> str | None:
    """``https://www.1177.se/`` -> ``1177.se``: shorter to read and to type."""
    if url is None:
        return None
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def _facts(entry: DirectoryEntry, texts: SheetTexts) -> tuple[str, ...]:
    labels = texts.labels
    facts = []
    if entry.free:
        facts.append(labels.free)
    if entry.anonymous:
        facts.append(labels.anonymous)
    if entry.not_on_phone_bill:
        facts.append(labels.not_on_phone_bill)
    if entry.interpreters and entry.phone is not None:
        facts.append(labels.interpreters)
    return tuple(facts)


def name_without_number(name: str, phone: str | None) -> str:
    """``Polisen – nödnummer 112`` with phone ``112`` -> ``Polisen – nödnummer``."""
    if not phone or phone not in name:
        return name
    rest = re.sub(r"\s+", " ", name.replace(phone, " ")).strip()
    rest = re.sub(r"\s*[–-]\s*$", "", rest)
    rest = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", rest))
    return rest or name


def discreet_entry(entry: DirectoryEntry, texts: SheetTexts, position: int) -> SheetEntry:
    """The entry named neutrally, with its number, hours and facts only."""
    name = texts.discreet_names.get(entry.id) or f"{texts.labels.phone} {position}"
    return SheetEntry(
        entry_id=entry.id,
        name=name,
        phone=entry.phone,
        hours=_hours(entry, texts, discreet=True),
        description="",
        web=None,
        facts=_facts(entry, texts),
        translated=True,
    )


def _hours(entry: DirectoryEntry, texts: SheetTexts, *, discreet: bool = False) -> str:
    if entry.hours is None and entry.web and not discreet:
        return texts.hours_see_web
    return format_hours(entry.hours, texts)


def sheet_entry(entry: DirectoryEntry, texts: SheetTexts) -> SheetEntry:
    language = texts.language
    translated = True
    if language in BILINGUAL:
        name, description = entry.name.get(language), entry.description.get(language)
    elif entry.id in texts.entries:
        name = texts.entries[entry.id].name
        description = texts.entries[entry.id].description
    else:
        name, description, translated = entry.name.en, entry.description.en, False
    return SheetEntry(
        entry_id=entry.id,
        name=name_without_number(name, entry.phone),
        phone=entry.phone,
        hours=_hours(entry, texts),
        description=description,
        web=short_web(entry.web),
        facts=_facts(entry, texts),
        translated=translated,
    )


def build_sheet(
    entries: Iterable[DirectoryEntry], language: str, *, discreet: bool = False
) -> Sheet:
    """The sheet in ``language`` with ``entries`` in the given order (discreet: named
    neutrally, without descriptions)."""
    texts = sheet_texts(language)
    if discreet:
        shown = tuple(
            discreet_entry(entry, texts, position)
            for position, entry in enumerate(entries, start=1)
        )
    else:
        shown = tuple(sheet_entry(entry, texts) for entry in entries)
    return Sheet(
        language=texts.language,
        language_name=texts.name,
        right_to_left=texts.right_to_left,
        reviewed=texts.reviewed_by_professional_translator,
        title=texts.title,
        intro=texts.intro,
        footer=texts.footer,
        labels=texts.labels,
        entries=shown,
    )


def sheet_as_text(sheet: Sheet) -> str:
    """The sheet as plain text (for a preview, or to read)."""
    lines = [sheet.title, "", sheet.intro, ""]
    for entry in sheet.entries:
        lines.append(entry.name)
        if entry.phone:
            lines.append(f"{sheet.labels.phone}: {entry.phone}")
        lines.append(f"{sheet.labels.hours}: {entry.hours}")
        if entry.web:
            lines.append(f"{sheet.labels.web}: {entry.web}")
        if entry.description:
            lines.append(entry.description)
        if entry.facts:
            lines.append(" · ".join(entry.facts))
        lines.append("")
    lines.append(sheet.footer)
    return "\n".join(lines)


def for_professionals(entry: DirectoryEntry) -> bool:
    """A line for the handler (e.g. the honour-related violence line), not for the person."""
    return Audience.PROFESSIONALS in entry.audience


def safety_reminder() -> str:
    return _(
        "Do not send the sheet by post or leave it where someone else may find it, "
        "unless the person says it is safe. Ask where they will keep it."
    )


def phone_script(entries: Iterable[DirectoryEntry], language: str | None = None) -> list[str]:
    """What the handler says on the phone instead of sending the sheet: short, numbers aloud."""
    language = language or current_language()
    texts = sheet_texts(language if language in BILINGUAL else "en")
    lines = [
        _(
            "Before we finish, I would like to give you a few numbers. Take them down if it "
            "is safe for you, or just remember the one that matters most."
        )
    ]
    for entry in entries:
        if entry.phone is None or for_professionals(entry):
            continue
        name = name_without_number(entry.name.get(language), entry.phone)
        if entry.hours is None:
            line = _("{name}: {phone}.").format(name=name, phone=entry.phone)
        else:
            line = _("{name}: {phone}, open {hours}.").format(
                name=name,
                phone=entry.phone,
                hours=format_hours(entry.hours, texts),
            )
        if entry.free and entry.not_on_phone_bill:
            line += " " + _("The call is free and does not show on the phone bill.")
        lines.append(line)
    lines.append(_("You decide if and when to call. In an emergency, always call 112."))
    return lines
