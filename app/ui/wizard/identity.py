"""Who is screening: the handler's and team's pseudonymous ids.

Until user accounts exist these come from settings with synthetic defaults; the
accounts work replaces :func:`current_identity`.
"""

from __future__ import annotations

from app.i18n import N_
from app.screening.enums import CaseType
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


def current_identity(settings: Settings) -> tuple[str, str]:
    """``(handler, team)`` for new screenings."""
    return settings.get(HANDLER_ID), settings.get(TEAM_ID)
