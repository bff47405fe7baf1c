"""The throw-away demo store (``vagafraga --demo``): synthetic records and demo users.

Everything is made up. The demo users' passwords are shown on the login screen; the
store lives in a temporary folder and is deleted when the app closes. Cheap key
derivation is fine here: there is nothing to protect.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from app.accounts.access import Role
from app.accounts.admin import AccountService
from app.accounts.session import init_store
from app.accounts.slot_crypto import KdfParams
from app.screening.demo import TEAMS
from app.storage.bulk import insert_demo_records
from app.storage.engine import StoreLocation, resolve_location

DEMO_KDF = KdfParams(time_cost=1, memory_cost=8 * 1024, parallelism=1)
# name: (password, roles, teams). demo-h01 is one of the demo records' handlers.
DEMO_USERS: dict[str, tuple[str, frozenset[Role], frozenset[str]]] = {
    "demo-admin": ("demo-admin-pass", frozenset({Role.ADMIN}), frozenset()),
    "demo-h01": ("demo-h01-pass", frozenset({Role.HANDLER}), frozenset({TEAMS[0]})),
    "demo-lead": ("demo-lead-pass", frozenset({Role.TEAM_LEAD}), frozenset({TEAMS[0]})),
    "demo-trainer": ("demo-trainer-pass", frozenset({Role.TRAINER}), frozenset()),
}
DEMO_RECORDS = 5_000


def create_demo_store(folder: Path, records: int = DEMO_RECORDS) -> StoreLocation:
    """A new demo store in ``folder`` with :data:`DEMO_USERS` and ``records`` demo records."""
    location = resolve_location(folder)
    admin_password, admin_roles, admin_teams = DEMO_USERS["demo-admin"]
    with init_store(
        location, "demo-admin", admin_password, kdf=DEMO_KDF, roles=admin_roles, teams=admin_teams
    ) as login:
        accounts = AccountService(login)
        for name, (password, roles, teams) in DEMO_USERS.items():
            if name != "demo-admin":
                accounts.add(name, password, roles, teams)
        insert_demo_records(login.store.engine, records, seed=1, end=datetime.now(UTC))
    return location
