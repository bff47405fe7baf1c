"""What a screening session's support step suggests.

One rule for the wizard and for the headless practice runner, so a practice run is
scored against what a handler sees. Nothing is ticked in advance: a suggestion is not
a referral made, and a figure that counted defaults would say more than was done.
"""

from __future__ import annotations

from app.referrals.directory import Directory
from app.referrals.suggest import Outcome, Suggestion, suggest
from app.screening.enums import RiskMarker
from app.screening.session import Session


def outcome_of(session: Session) -> Outcome:
    """The parts of a session the referral rules look at."""
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
        own_suicidal_thoughts=RiskMarker.OWN_SUICIDAL_THOUGHTS in state.risk_markers,
    )


def suggestions_for(session: Session, directory: Directory) -> list[Suggestion]:
    return suggest(outcome_of(session), directory)
