"""The main window's areas per role, and where each role lands."""

from __future__ import annotations

import pytest

from app.accounts.access import Principal, Role
from app.ui.common.areas import areas_for, landing_area


def user(*roles: Role) -> Principal:
    return Principal("test-user", frozenset(roles), frozenset({"test-team-a"}))


@pytest.mark.parametrize(
    ("roles", "areas", "lands"),
    [
        (
            (Role.HANDLER,),
            ["screening", "my_screenings", "records", "practice", "statistics"],
            "screening",
        ),
        ((Role.TEAM_LEAD,), ["records", "statistics"], "statistics"),
        ((Role.TRAINER,), ["records", "practice"], "practice"),
        ((Role.ADMIN,), ["records", "directory", "statistics", "administration"], "administration"),
        ((Role.TRAINER, Role.TEAM_LEAD), ["records", "practice", "statistics"], "statistics"),
    ],
)
def test_each_role_has_its_areas_and_lands_on_its_own(
    roles: tuple[Role, ...], areas: list[str], lands: str
) -> None:
    keys = [area.key for area in areas_for(user(*roles))]
    assert keys == areas
    assert landing_area(user(*roles), keys) == lands


def test_without_a_signed_in_user_every_area_but_the_administration() -> None:
    keys = [area.key for area in areas_for(None)]
    assert "administration" not in keys
    assert landing_area(None, keys) == "screening"
