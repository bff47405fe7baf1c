"""Setting the store's policies (:mod:`app.storage.policies`): administrators only, audited."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.accounts.audit import AuditEvent, AuditLog
from app.accounts.principal import Role
from app.accounts.session import Login
from app.accounts.slot_file import now_utc
from app.errors import UserError
from app.i18n import _
from app.storage.policies import POLICIES, Policy, store_policies
from app.storage.tables import StorePolicyRow


def parse_policy(name: str) -> Policy:
    try:
        return Policy(name)
    except ValueError:
        raise UserError(
            _("Unknown policy {name}; the policies are {names}.").format(
                name=name[:64], names=", ".join(policy.value for policy in Policy)
            )
        ) from None


class PolicyService:
    def __init__(self, login: Login) -> None:
        self._login = login

    def show(self) -> dict[Policy, int]:
        return store_policies(self._login.store.engine)

    def set(self, policy: Policy, value: int) -> None:
        """Set ``policy`` for every user of the store; audited (on a server, by its function)."""
        self._login.principal.require(Role.ADMIN)
        limits = POLICIES[policy]
        if not limits.minimum <= value <= limits.maximum:
            raise UserError(
                _("{name} must be from {minimum} to {maximum}.").format(
                    name=policy.value, minimum=limits.minimum, maximum=limits.maximum
                )
            )
        engine = self._login.store.engine
        if self._login.location.is_server:
            with engine.begin() as connection:
                connection.execute(
                    text("SELECT vagafraga_set_policy(:name, :value)"),
                    {"name": policy.value, "value": value},
                )
            return
        me = self._login.principal.username
        with Session(engine) as session, session.begin():
            row = session.get(StorePolicyRow, policy.value)
            if row is None:
                row = StorePolicyRow(name=policy.value)
                session.add(row)
            row.value = value
            row.changed_at = now_utc()
            row.changed_by = me
            session.flush()
            AuditLog(engine).append_in(
                session.connection(),
                me,
                AuditEvent.POLICY_CHANGED,
                subject=policy.value,
                detail={"value": value},
            )
