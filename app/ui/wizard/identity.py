"""Who is screening: the handler's and team's pseudonymous ids.

Once a user has signed in (:func:`use_identity`) they are that user's; before (tests,
screenshots) they come from settings with synthetic defaults.
"""

from __future__ import annotations

from app.accounts.principal import Principal
from app.i18n import N_
from app.screening.enums import CaseType, Contact
from app.settings import Option, Settings, declare

HANDLER_ID = declare(Option("handler_id", str, "handler-1", N_("Handler id")))
TEAM_ID = declare(Option("team_id", str, "team-1", N_("Team id")))
LAST_CASE_TYPE = declare(
    Option(
        "last_case_type",
        str,
        CaseType.RETURN_TO_WORK_INVESTIGATION.value,
        N_("Last case type used"),
        choices=tuple(item.value for item in CaseType),
    )
)

LAST_CONTACT = declare(
    Option(
        "last_contact",
        str,
        Contact.PHONE.value,
        N_("Last contact used"),
        choices=tuple(item.value for item in Contact),
    )
)


_signed_in: tuple[str, str] | None = None  # set once a user has signed in (issue 8)


def use_identity(principal: Principal, settings: Settings) -> None:
    """From now on, screenings are the signed-in user's: their name, and their team (the
    ``team_id`` setting when it is one of theirs, else the first of their teams)."""
    global _signed_in  # noqa: PLW0603 - one signed-in user per app run
    team = settings.get(TEAM_ID)
    if principal.teams and team not in principal.teams:
        team = sorted(principal.teams)[0]
    _signed_in = (principal.username, team)


def forget_identity() -> None:
    """Signed out (the main window closed)."""
    global _signed_in  # noqa: PLW0603
    _signed_in = None


def current_identity(settings: Settings) -> tuple[str, str]:
    """``(handler, team)`` for new screenings: the signed-in user's, else from settings."""
    if _signed_in is not None:
        return _signed_in
    return settings.get(HANDLER_ID), settings.get(TEAM_ID)
