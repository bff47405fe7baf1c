"""Policies kept in the store, set by an administrator: not a user's settings to lower.

``stats_small_count_threshold``: per-handler counts below it are shown as "<N";
``retention_days``: the default period for deleting old records (0: not set). A user's
settings file may raise the threshold for themselves, never lower it below the store's.
Changing a policy is :class:`app.accounts.policies.PolicyService`'s (audited).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Engine, select

from app.i18n import N_
from app.storage.tables import StorePolicyRow


class Policy(StrEnum):
    SMALL_COUNT = "stats_small_count_threshold"
    RETENTION_DAYS = "retention_days"


@dataclass(frozen=True)
class PolicyRange:
    minimum: int
    maximum: int
    default: int
    title: str


POLICIES: dict[Policy, PolicyRange] = {
    Policy.SMALL_COUNT: PolicyRange(1, 100, 5, N_("Smallest count shown in statistics")),
    Policy.RETENTION_DAYS: PolicyRange(
        0, 36500, 0, N_("Days individual records are kept (0: not set, keep them)")
    ),
}


def store_policies(engine: Engine) -> dict[Policy, int]:
    """Every policy: the store's value, or the default where none was set."""
    values = {policy: limits.default for policy, limits in POLICIES.items()}
    with engine.connect() as connection:
        for name, value in connection.execute(select(StorePolicyRow.name, StorePolicyRow.value)):
            if name in values:
                values[Policy(name)] = int(value)
    return values


def small_count(store_value: int, user_value: int) -> int:
    """The threshold in force: a user may raise it for themselves, not lower it."""
    return max(store_value, user_value)


def retention_days(store_value: int, user_value: int) -> int:
    """The retention period offered by default: the store's when set, else the user's."""
    return store_value if store_value > 0 else user_value
