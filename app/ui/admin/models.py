"""Table models of the admin tab: user accounts and audit entries. Tested without a window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.accounts.principal import ROLE_TITLES
from app.i18n import _, format_datetime
from app.ui.common.table_model import TableModel

if TYPE_CHECKING:  # the users list is the first page an administrator sees: no storage layer
    from app.accounts.audit import AuditEntry
    from app.accounts.users import User


class UsersModel(TableModel):
    columns = ("username", "roles", "teams", "created", "status")

    def title(self, column: str) -> str:
        return {
            "username": _("User name"),
            "roles": _("Roles"),
            "teams": _("Teams"),
            "created": _("Created"),
            "status": _("Status"),
        }[column]

    def text(self, item: User, column: str) -> str:
        if column == "username":
            return item.username
        if column == "roles":
            return ", ".join(sorted(_(ROLE_TITLES[role]) for role in item.roles))
        if column == "teams":
            return ", ".join(sorted(item.teams)) or "–"
        if column == "created":
            return format_datetime(item.created_at)
        return _("Active") if item.active else _("Removed")


class AuditModel(TableModel):
    columns = ("seq", "at", "actor", "event", "record_id", "subject")

    def title(self, column: str) -> str:
        return {
            "seq": _("Entry"),
            "at": _("Time"),
            "actor": _("User"),
            "event": _("What"),
            "record_id": _("Record"),
            "subject": _("Concerning"),
        }[column]

    def text(self, item: AuditEntry, column: str) -> str:
        if column == "seq":
            return str(item.seq)
        if column == "at":
            return format_datetime(item.at)
        if column == "event":
            from app.accounts.audit import EVENT_TITLES, AuditEvent  # loaded with its page

            try:
                return _(EVENT_TITLES[AuditEvent(item.event)])
            except ValueError:
                return item.event
        value = getattr(item, column)
        return str(value) if value else "–"
