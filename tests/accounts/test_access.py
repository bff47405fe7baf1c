"""The policy itself: which role sees which record at which level."""

from __future__ import annotations

import pytest

from app.accounts.access import (
    SUMMARY_HIDDEN,
    Access,
    AccessDeniedError,
    Principal,
    RecordSummary,
    Role,
    StatsScope,
    access_to,
    can_import,
    export_view,
    restrict_team,
    stats_scope,
    view_of,
)


def who(name: str, *roles: Role, teams: tuple[str, ...] = ()) -> Principal:
    return Principal(name, frozenset(roles), frozenset(teams))


HANDLER = who("test-h01", Role.HANDLER, teams=("test-team-a",))
LEAD = who("test-lead", Role.TEAM_LEAD, teams=("test-team-a",))
TRAINER = who("test-trainer", Role.TRAINER)
ADMIN = who("test-admin", Role.ADMIN)


@pytest.mark.parametrize(
    ("principal", "handler", "team", "practice", "expected"),
    [
        (HANDLER, "test-h01", "test-team-a", False, Access.FULL),
        (HANDLER, "test-h02", "test-team-a", False, Access.NONE),
        (HANDLER, "test-h01", "test-team-a", True, Access.FULL),
        (LEAD, "test-h02", "test-team-a", False, Access.SUMMARY),
        (LEAD, "test-h03", "test-team-b", False, Access.NONE),
        (LEAD, "test-h02", "test-team-a", True, Access.NONE),
        (TRAINER, "test-h02", "test-team-a", True, Access.FULL),
        (TRAINER, "test-h02", "test-team-a", False, Access.NONE),
        (ADMIN, "test-h02", "test-team-b", False, Access.PSEUDONYMOUS),
        (ADMIN, "test-h02", "test-team-b", True, Access.NONE),
    ],
)
def test_access_per_role(principal, handler, team, practice, expected) -> None:
    assert access_to(principal, handler=handler, team=team, practice=practice) is expected


def test_several_roles_give_the_best_level() -> None:
    both = who("test-h01", Role.HANDLER, Role.TEAM_LEAD, teams=("test-team-a",))
    assert access_to(both, handler="test-h01", team="test-team-a", practice=False) is Access.FULL
    assert access_to(both, handler="test-h02", team="test-team-a", practice=False) is Access.SUMMARY


def test_views_hide_what_the_level_does_not_allow(make_record) -> None:
    record = make_record(
        asked=True,
        answer="disclosed",
        violence_forms=["physical"],
        children_affected=True,
        child_report=True,
        case_reference="TEST-0001",
        notes="test note",
    )
    assert view_of(record, Access.FULL) == record
    # an administrator sees on screen no more than a team lead (issue 14) ...
    assert view_of(record, Access.PSEUDONYMOUS) == view_of(record, Access.SUMMARY)
    # ... and exports the record without its sensitive fields (a migration)
    pseudo = export_view(record, Access.PSEUDONYMOUS)
    assert (pseudo.case_reference, pseudo.notes) == (None, None)
    assert pseudo.violence_forms == record.violence_forms
    summary = view_of(record, Access.SUMMARY)
    assert isinstance(summary, RecordSummary)
    dumped = summary.model_dump()
    assert not SUMMARY_HIDDEN & set(dumped)
    assert dumped["asked"] is True


def test_imports_only_what_is_yours(make_record) -> None:
    own = make_record(handler="test-h01", team="test-team-a")
    colleague = make_record(handler="test-h02", team="test-team-a")
    other_team = make_record(handler="test-h03", team="test-team-b")
    practice = make_record(handler="test-h02", practice=True)
    assert can_import(HANDLER, own)
    assert not can_import(HANDLER, colleague)
    assert can_import(LEAD, colleague)
    assert not can_import(LEAD, other_team)
    assert can_import(TRAINER, practice)
    assert not can_import(TRAINER, own)
    assert all(can_import(ADMIN, r) for r in (own, colleague, other_team, practice))


def test_statistics_scope_per_role() -> None:
    assert stats_scope(LEAD) == StatsScope(teams=frozenset({"test-team-a"}))
    assert stats_scope(HANDLER) == StatsScope(teams=None, handler="test-h01")
    assert stats_scope(ADMIN) == StatsScope(teams=None)
    with pytest.raises(AccessDeniedError):
        stats_scope(TRAINER)
    assert restrict_team(stats_scope(LEAD), "test-team-a").teams == frozenset({"test-team-a"})
    with pytest.raises(AccessDeniedError, match="test-team-b"):
        restrict_team(stats_scope(LEAD), "test-team-b")


def test_require_names_the_missing_role() -> None:
    with pytest.raises(AccessDeniedError, match="test-lead"):
        LEAD.require(Role.ADMIN)
    ADMIN.require(Role.ADMIN, Role.HANDLER)
