"""The support to suggest on the support step, from the referrals rules and the directory."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.i18n import current_language
from app.referrals.directory import Directory, DirectoryEntry, stockholm_today
from app.referrals.local import load_directory, shipped_directory
from app.referrals.suggest import Suggestion


@dataclass(frozen=True)
class ReferralOption:
    entry_id: str
    name: str
    phone: str
    reason: str
    suggested: bool
    unverified: bool = False  # last checked too long ago: the handler checks before giving it


def directory_for(data_dir: Path | None) -> Directory:
    try:
        return load_directory(data_dir)
    except Exception:  # a damaged local file must not stop a screening
        return shipped_directory()


def referral_options(
    suggestions: list[Suggestion], directory: Directory, unverified: frozenset[str] = frozenset()
) -> list[ReferralOption]:
    """The suggested entries first (most urgent first, with reasons), then every other entry;
    ``unverified``: the ids of entries that need verification."""
    language = current_language()
    options: list[ReferralOption] = []
    seen: set[str] = set()
    for suggestion in suggestions:
        entry = directory.get(suggestion.entry_id)
        if entry is None or entry.id in seen:
            continue
        seen.add(entry.id)
        options.append(
            ReferralOption(
                entry.id,
                entry.name.get(language),
                entry.phone or "",
                suggestion.reason,
                True,
                entry.id in unverified,
            )
        )
    for entry in directory:
        if entry.id not in seen:
            seen.add(entry.id)
            options.append(
                ReferralOption(
                    entry.id,
                    entry.name.get(language),
                    entry.phone or "",
                    "",
                    False,
                    entry.id in unverified,
                )
            )
    return options


def unverified_ids(directory: Iterable[DirectoryEntry], max_age_days: int) -> frozenset[str]:
    """The entries last verified more than ``max_age_days`` ago (Stockholm's today)."""
    today = stockholm_today()
    return frozenset(
        entry.id for entry in directory if entry.needs_verification(today, max_age_days)
    )
