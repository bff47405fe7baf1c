"""The signed-in principal: a pseudonymous name, roles and teams; and what statistics
they may see. Light (no pydantic, no database): every sign-in needs it, and
:mod:`app.accounts.access` (what each role sees of a record) builds on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from app.errors import UserError
from app.i18n import N_, _

# The newest records a list shows at once: the Records tab's page, and what ``vagafraga
# records list`` shows unless told otherwise.
LIST_PAGE_SIZE = 500


class Role(StrEnum):
    HANDLER = "handler"
    TEAM_LEAD = "team_lead"
    TRAINER = "trainer"
    ADMIN = "admin"


ROLE_TITLES: dict[Role, str] = {
    Role.HANDLER: N_("Handler"),
    Role.TEAM_LEAD: N_("Team lead"),
    Role.TRAINER: N_("Trainer"),
    Role.ADMIN: N_("Administrator"),
}


class AccessDeniedError(UserError):
    """The signed-in user's roles do not allow this."""


@dataclass(frozen=True)
class Principal:
    """The signed-in user: a pseudonymous name, roles and teams."""

    username: str
    roles: frozenset[Role]
    teams: frozenset[str] = field(default_factory=frozenset)

    def has(self, role: Role) -> bool:
        return role in self.roles

    def require(self, *roles: Role) -> None:
        """Raise :class:`AccessDeniedError` unless the principal holds one of ``roles``."""
        if not any(role in self.roles for role in roles):
            names = ", ".join(_(ROLE_TITLES[role]).lower() for role in roles)
            raise AccessDeniedError(
                _("This needs the role {roles}; {user} does not have it.").format(
                    roles=names, user=self.username
                )
            )


@dataclass(frozen=True)
class StatsScope:
    """The statistics a principal may see: ``teams`` ``None`` means every team."""

    teams: frozenset[str] | None
    handler: str | None = None


def stats_scope(principal: Principal) -> StatsScope:
    """Team leads see their teams (per-handler rates included); a handler sees their own
    figures; an administrator sees every team (aggregates hold no record's details)."""
    if principal.has(Role.ADMIN):
        return StatsScope(teams=None)
    if principal.has(Role.TEAM_LEAD):
        return StatsScope(teams=principal.teams)
    if principal.has(Role.HANDLER):
        return StatsScope(teams=None, handler=principal.username)
    raise AccessDeniedError(
        _("Statistics need the role team lead, handler or administrator; {user} has none.").format(
            user=principal.username
        )
    )


def restrict_team(scope: StatsScope, team: str | None) -> StatsScope:
    """Narrow ``scope`` to ``team`` (a filter the user chose), refusing teams outside it."""
    if team is None:
        return scope
    if scope.teams is not None and team not in scope.teams:
        raise AccessDeniedError(
            _("You may not see the statistics of team {team}.").format(team=team)
        )
    return StatsScope(teams=frozenset({team}), handler=scope.handler)
