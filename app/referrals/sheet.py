"""The support sheet's content in the person's language, and the spoken phone script.

Pure: entries in, texts out; the UI lays them out and prints them. The title is
neutral (it never says what the sheet is about), because someone else may see it.
For languages other than Swedish and English, an entry's name and description come
from the language file, or fall back to English with the phone number.
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
        name=name,
        phone=entry.phone,
        hours=texts.hours_see_web
        if entry.hours is None and entry.web
        else format_hours(entry.hours, texts),
        description=description,
        web=short_web(entry.web),
        facts=_facts(entry, texts),
        translated=translated,
    )


def build_sheet(entries: Iterable[DirectoryEntry], language: str) -> Sheet:
    """The sheet in ``language`` with ``entries`` in the given order."""
    texts = sheet_texts(language)
    return Sheet(
        language=texts.language,
        language_name=texts.name,
        right_to_left=texts.right_to_left,
        reviewed=texts.reviewed_by_professional_translator,
        title=texts.title,
        intro=texts.intro,
        footer=texts.footer,
        labels=texts.labels,
        entries=tuple(sheet_entry(entry, texts) for entry in entries),
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
        if entry.hours is None:
            line = _("{name}: {phone}.").format(name=entry.name.get(language), phone=entry.phone)
        else:
            line = _("{name}: {phone}, open {hours}.").format(
                name=entry.name.get(language),
                phone=entry.phone,
                hours=format_hours(entry.hours, texts),
            )
        if entry.free and entry.not_on_phone_bill:
            line += " " + _("The call is free and does not show on the phone bill.")
        lines.append(line)
    lines.append(_("You decide if and when to call. In an emergency, always call 112."))
    return lines
