"""The main window's areas: what each is called, whose it is, where its page comes from,
and the area each role lands on after signing in."""

from __future__ import annotations

from dataclasses import dataclass

from app.accounts.principal import Principal, Role
from app.i18n import N_

SCREENING, MY_SCREENINGS, RECORDS, PRACTICE = "screening", "my_screenings", "records", "practice"
DIRECTORY, STATISTICS, ADMINISTRATION = "directory", "statistics", "administration"


@dataclass(frozen=True)
class Area:
    key: str
    title: str  # a message id (N_), with its Alt+letter
    roles: tuple[Role, ...]  # shown to a user with any of them
    module: str  # where its page comes from, imported when the area is first shown
    signed_in_only: bool = False  # it acts as the signed-in user (no page without one)


AREAS = (
    Area(SCREENING, N_("&Screening"), (Role.HANDLER,), "app.ui.wizard.wizard"),
    Area(MY_SCREENINGS, N_("&My screenings"), (Role.HANDLER,), "app.ui.my_screenings.page"),
    Area(RECORDS, N_("&Records"), tuple(Role), "app.ui.common.records_page"),
    Area(PRACTICE, N_("&Practice"), (Role.HANDLER, Role.TRAINER), "app.ui.practice.page"),
    Area(DIRECTORY, N_("Support &directory"), (Role.ADMIN,), "app.ui.admin.directory"),
    Area(
        STATISTICS,
        N_("Stat&istics"),
        (Role.TEAM_LEAD, Role.ADMIN, Role.HANDLER),
        "app.ui.dashboard.page",
    ),
    Area(ADMINISTRATION, N_("&Administration"), (Role.ADMIN,), "app.ui.admin.page", True),
)

# The area each role lands on, in this order when a user holds several roles.
LANDING = (
    (Role.HANDLER, SCREENING),
    (Role.TEAM_LEAD, STATISTICS),
    (Role.TRAINER, PRACTICE),
    (Role.ADMIN, ADMINISTRATION),
)

MODULES = {area.key: area.module for area in AREAS}


def areas_for(principal: Principal | None) -> list[Area]:
    """The areas of ``principal``'s roles, in the tabs' order; ``None`` (not signed in:
    tests, screenshots): every area that does not act as a signed-in user."""
    if principal is None:
        return [area for area in AREAS if not area.signed_in_only]
    return [area for area in AREAS if any(principal.has(role) for role in area.roles)]


def landing_area(principal: Principal | None, keys: list[str]) -> str:
    """Where ``principal`` lands among ``keys`` (the areas shown): their first role's area
    (handler: the screening, team lead: statistics, trainer: practice, administrator:
    administration), else the first area."""
    if principal is not None:
        for role, key in LANDING:
            if principal.has(role) and key in keys:
                return key
    return keys[0]
