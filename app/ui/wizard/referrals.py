"""The support to suggest on the support step, from the referrals rules and the directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.i18n import current_language
from app.referrals.directory import Directory
from app.referrals.local import load_directory, shipped_directory
from app.referrals.suggest import Outcome, suggest
from app.screening.session import Session


@dataclass(frozen=True)
class ReferralOption:
    entry_id: str
    name: str
    phone: str
    reason: str
    suggested: bool


def outcome_of(session: Session) -> Outcome:
    state = session.state
    return Outcome(
        answer=state.answer if state.opened_at is not None else None,
        violence_forms=list(state.violence_forms),
        children_affected=state.children_affected,
        immediate_danger=state.immediate_danger,
        high_risk=state.high_risk,
        client_sex=state.start.client_sex,
        language=state.start.language,
        sheltered_housing=state.sheltered_housing,
        contact=state.start.contact,
    )


def directory_for(data_dir: Path | None) -> Directory:
    try:
        return load_directory(data_dir)
    except Exception:  # a damaged local file must not stop a screening
        return shipped_directory()


def referral_options(session: Session, directory: Directory) -> list[ReferralOption]:
    """The suggested entries first (most urgent first, with reasons), then every other entry."""
    language = current_language()
    options: list[ReferralOption] = []
    seen: set[str] = set()
    for suggestion in suggest(outcome_of(session), directory):
        entry = directory.get(suggestion.entry_id)
        if entry is None or entry.id in seen:
            continue
        seen.add(entry.id)
        options.append(
            ReferralOption(
                entry.id, entry.name.get(language), entry.phone or "", suggestion.reason, True
            )
        )
    for entry in directory:
        if entry.id not in seen:
            seen.add(entry.id)
            options.append(
                ReferralOption(entry.id, entry.name.get(language), entry.phone or "", "", False)
            )
    return options
