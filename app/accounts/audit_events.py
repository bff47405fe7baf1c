"""What the audit log records: the events, their titles for people, the "looking" ones."""

from __future__ import annotations

from enum import StrEnum

from app.i18n import N_


class AuditEvent(StrEnum):
    STORE_CREATED = "store_created"
    LOGIN_SUCCEEDED = "login_succeeded"
    LOGIN_FAILED = "login_failed"
    RECORD_VIEWED = "record_viewed"
    RECORD_CORRECTED = "record_corrected"
    RECORDS_EXPORTED = "records_exported"
    RECORDS_IMPORTED = "records_imported"
    RECORDS_PURGED = "records_purged"
    STATS_EXPORTED = "stats_exported"
    ACCOUNT_ADDED = "account_added"
    ACCOUNT_REMOVED = "account_removed"
    ACCOUNT_ROLES_CHANGED = "account_roles_changed"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    DIRECTORY_CHANGED = "directory_changed"
    STORE_REKEYED = "store_rekeyed"
    BACKUP_MADE = "backup_made"
    AUDIT_EXPORTED = "audit_exported"
    CASE_COUNTS_IMPORTED = "case_counts_imported"
    RECORDS_SYNCED = "records_synced"
    DEVICE_AUDIT_CUT = "device_audit_cut"
    POLICY_CHANGED = "policy_changed"
    RECORDS_HANDED_OVER = "records_handed_over"
    STORE_DECRYPTED = "store_decrypted"
    CHANGE_REPAIRED = "change_repaired"


EVENT_TITLES: dict[AuditEvent, str] = {
    AuditEvent.STORE_CREATED: N_("Store created"),
    AuditEvent.LOGIN_SUCCEEDED: N_("Signed in"),
    AuditEvent.LOGIN_FAILED: N_("Failed sign-in"),
    AuditEvent.RECORD_VIEWED: N_("Viewed a record"),
    AuditEvent.RECORD_CORRECTED: N_("Corrected a record"),
    AuditEvent.RECORDS_EXPORTED: N_("Exported records"),
    AuditEvent.RECORDS_IMPORTED: N_("Imported records"),
    AuditEvent.RECORDS_PURGED: N_("Deleted old records"),
    AuditEvent.STATS_EXPORTED: N_("Exported statistics"),
    AuditEvent.ACCOUNT_ADDED: N_("Added a user"),
    AuditEvent.ACCOUNT_REMOVED: N_("Removed a user"),
    AuditEvent.ACCOUNT_ROLES_CHANGED: N_("Changed a user's roles"),
    AuditEvent.PASSWORD_CHANGED: N_("Changed own password"),
    AuditEvent.PASSWORD_RESET: N_("Reset a user's password"),
    AuditEvent.DIRECTORY_CHANGED: N_("Changed the support directory"),
    AuditEvent.STORE_REKEYED: N_("Changed the database key"),
    AuditEvent.BACKUP_MADE: N_("Made a backup"),
    AuditEvent.AUDIT_EXPORTED: N_("Exported the audit log"),
    AuditEvent.CASE_COUNTS_IMPORTED: N_("Imported case counts"),
    AuditEvent.RECORDS_SYNCED: N_("Sent records to the team server"),
    AuditEvent.DEVICE_AUDIT_CUT: N_("A computer's audit log was found cut short or replaced"),
    AuditEvent.POLICY_CHANGED: N_("Changed a policy of the store"),
    AuditEvent.RECORDS_HANDED_OVER: N_("Handed own records over to a successor"),
    AuditEvent.STORE_DECRYPTED: N_("Wrote a plain copy of the store"),
    AuditEvent.CHANGE_REPAIRED: N_("Completed or undid a change that a crash cut short"),
}

# What "what did this user look at" shows.
LOOKING_EVENTS = (
    AuditEvent.RECORD_VIEWED,
    AuditEvent.RECORD_CORRECTED,
    AuditEvent.RECORDS_EXPORTED,
    AuditEvent.STATS_EXPORTED,
)
