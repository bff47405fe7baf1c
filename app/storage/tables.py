"""ORM tables. Repositories turn rows into pydantic models; the UI never sees these."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC in Python; naive UTC in SQLite, timestamptz elsewhere."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


# The records in ``ix_records_durations``: those asked, with a duration. Written as the
# statistics' conditions compile (``asked IS 1`` on SQLite), so the planner sees that a
# query's condition implies the index's.
DURATIONS_WHERE = {
    "sqlite": "asked IS 1 AND duration_seconds IS NOT NULL",
    "postgresql": "asked IS TRUE AND duration_seconds IS NOT NULL",
}


class RecordRow(Base):
    """One screening record (the current version)."""

    __tablename__ = "records"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Calendar date and month in Europe/Stockholm, fixed at write time, for grouping.
    local_date: Mapped[date] = mapped_column(Date)
    local_month: Mapped[str] = mapped_column(String(7))
    handler: Mapped[str] = mapped_column(String(64))
    team: Mapped[str] = mapped_column(String(64))
    benefit: Mapped[str] = mapped_column(String(64))
    case_type: Mapped[str | None] = mapped_column(String(40))
    contact: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(16))
    indications: Mapped[bool | None] = mapped_column(Boolean)
    asked: Mapped[bool] = mapped_column(Boolean)
    not_asked_reason: Mapped[str | None] = mapped_column(String(40))
    answer: Mapped[str | None] = mapped_column(String(24))
    violence_forms: Mapped[str] = mapped_column(Text)  # JSON list
    immediate_danger: Mapped[bool] = mapped_column(Boolean)
    danger_actions: Mapped[str] = mapped_column(Text, server_default="[]")  # JSON list
    high_risk: Mapped[bool] = mapped_column(Boolean)
    risk_markers: Mapped[str] = mapped_column(Text, server_default="[]")  # JSON list
    children_affected: Mapped[bool | None] = mapped_column(Boolean)
    child_report: Mapped[bool] = mapped_column(Boolean)
    child_report_decision: Mapped[str | None] = mapped_column(String(32))
    no_child_exposed_reason: Mapped[str | None] = mapped_column(String(64))
    spontaneous_disclosure: Mapped[bool] = mapped_column(Boolean, server_default=false())
    info_given: Mapped[bool] = mapped_column(Boolean)
    referrals: Mapped[str] = mapped_column(Text)  # JSON list
    interpreter: Mapped[str] = mapped_column(String(24))
    language: Mapped[str] = mapped_column(String(2))
    client_sex: Mapped[str] = mapped_column(String(8))
    sheltered_housing: Mapped[bool] = mapped_column(Boolean)
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    protocol_id: Mapped[str] = mapped_column(String(64))
    protocol_version: Mapped[str] = mapped_column(String(20))
    practice: Mapped[bool] = mapped_column(Boolean)
    case_reference: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    # The blind index of the case reference under its handler's own secret
    # (app/storage/sealing.py): "seen before" without the reference itself.
    case_reference_index: Mapped[str | None] = mapped_column(String(64))
    # On the team server: the id of the store whose key slots sealed the case reference and
    # notes (the sealing is bound to it); on a device always empty (this store's own).
    sealed_in: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (
        Index("ix_records_practice_local_date", "practice", "local_date"),
        Index("ix_records_team_local_date", "team", "local_date"),
        Index("ix_records_handler_recorded_at", "handler", "recorded_at"),
        Index("ix_records_recorded_at", "recorded_at"),
        # Covering indexes for the statistics (migrations 0005, 0010, 0012 and 0014,
        # app/stats/cells.py ROUTES).
        Index(
            "ix_records_stats",
            "practice",
            "benefit",
            "local_month",
            "mode",
            "indications",
            "asked",
            "answer",
            "info_given",
            "child_report",
            "not_asked_reason",
            "immediate_danger",
            "high_risk",
            "children_affected",
            "sheltered_housing",
            "spontaneous_disclosure",
            "child_report_decision",
            "violence_forms",
            "risk_markers",
            "danger_actions",
            "duration_seconds",
            "team",
            "handler",
            "contact",
            "client_sex",
            "interpreter",
            "language",
            "local_date",
        ),
        Index(
            "ix_records_stats_people",
            "practice",
            "team",
            "handler",
            "client_sex",
            "interpreter",
            "language",
            "contact",
            "mode",
            "indications",
            "asked",
            "answer",
            "info_given",
            "child_report",
            "not_asked_reason",
            "immediate_danger",
            "high_risk",
            "children_affected",
            "sheltered_housing",
            "spontaneous_disclosure",
            "child_report_decision",
            "violence_forms",
            "risk_markers",
            "danger_actions",
            "duration_seconds",
            "benefit",
            "local_month",
            "local_date",
        ),
        # The durations of asked records, for the medians per benefit and month (migration
        # 0015a, app/stats/cells.py DURATIONS_ROUTE).
        Index(
            "ix_records_durations",
            "practice",
            "benefit",
            "local_month",
            "duration_seconds",
            "team",
            "handler",
            "local_date",
            sqlite_where=text(DURATIONS_WHERE["sqlite"]),
            # postgresql_where: with_postgresql_options()
        ),
    )


class DraftRow(Base):
    """One handler's in-progress screening (the session as JSON), autosaved on every step."""

    __tablename__ = "drafts"

    handler: Mapped[str] = mapped_column(String(64), primary_key=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    data: Mapped[str] = mapped_column(Text)


class RecordVersionRow(Base):
    """A superseded version of a record: a correction never overwrites silently."""

    __tablename__ = "record_versions"

    record_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    superseded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    data: Mapped[str] = mapped_column(Text)  # the record's JSON as it was
    indicators: Mapped[str] = mapped_column(Text)  # JSON list of the indicator ids then
    consequences: Mapped[str] = mapped_column(Text, server_default="[]")  # ids done then


class RecordIndicatorRow(Base):
    """An indicator the handler ticked for a record (the record JSON has only a yes/no)."""

    __tablename__ = "record_indicators"

    record_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    indicator_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class UserRow(Base):
    """A local account (issue 8). Roles and teams are JSON lists of codes and team ids.

    ``key_fingerprint`` names the public key of the user's key slot (encrypted stores);
    ``password_hash`` is the Argon2id hash used where there are no key slots (a server
    store). A removed user keeps the row, with ``disabled_at`` set, so the audit log's
    names stay meaningful.
    """

    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    roles: Mapped[str] = mapped_column(Text)
    teams: Mapped[str] = mapped_column(Text)
    key_fingerprint: Mapped[str | None] = mapped_column(String(64))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # JSON list of the user's public signing keys, hex (app/accounts/signing.py)
    signing_keys: Mapped[str | None] = mapped_column(Text)


class AuditRow(Base):
    """One audit entry; ``hash`` covers the entry and ``prev_hash`` (a hash chain)."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str | None] = mapped_column(String(36))
    subject: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)  # canonical JSON object, no personal data
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # Who signed ``hash`` and the Ed25519 signature (base64); none on a server, whose
    # function writes the entries (app/accounts/signing.py).
    signer: Mapped[str | None] = mapped_column(String(64))
    signature: Mapped[str | None] = mapped_column(String(100))

    __table_args__ = (
        Index("ix_audit_log_record_id", "record_id"),
        Index("ix_audit_log_actor_seq", "actor", "seq"),
    )


class AuditHeadRow(Base):
    """The newest audit entry's number and hash, updated with every append."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class StoreSecretRow(Base):
    """A secret the store keeps for a companion file (the practice store's key, as hex)."""

    __tablename__ = "store_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


class StorePolicyRow(Base):
    """A policy an administrator set for everyone using the store (app/storage/policies.py)."""

    __tablename__ = "store_policies"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    changed_by: Mapped[str] = mapped_column(String(64))


class RecordAggregateRow(Base):
    """Monthly counts of records deleted by retention, so statistics over them stay possible."""

    __tablename__ = "record_aggregates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    local_month: Mapped[str] = mapped_column(String(7))
    team: Mapped[str] = mapped_column(String(64))
    handler: Mapped[str] = mapped_column(String(64))
    benefit: Mapped[str] = mapped_column(String(64))
    contact: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(16))
    indications: Mapped[bool | None] = mapped_column(Boolean)
    not_asked_reason: Mapped[str | None] = mapped_column(String(40))
    client_sex: Mapped[str] = mapped_column(String(8))
    interpreter: Mapped[str] = mapped_column(String(24))
    language: Mapped[str] = mapped_column(String(2))
    # The children step's decision (migration 0012; none for months purged before it).
    child_report_decision: Mapped[str | None] = mapped_column(String(32))
    # The records' JSON lists as stored (migration 0014; "[]" for months purged before it).
    violence_forms: Mapped[str] = mapped_column(Text, server_default="[]")
    risk_markers: Mapped[str] = mapped_column(Text, server_default="[]")
    danger_actions: Mapped[str] = mapped_column(Text, server_default="[]")
    records: Mapped[int] = mapped_column(Integer)
    asked: Mapped[int] = mapped_column(Integer)
    disclosed: Mapped[int] = mapped_column(Integer)
    info_given: Mapped[int] = mapped_column(Integer)  # asked and info given
    child_reports: Mapped[int] = mapped_column(Integer)
    # Records with the flag true (migration 0010; 0 for months purged before it).
    high_risk: Mapped[int] = mapped_column(Integer, server_default="0")
    immediate_danger: Mapped[int] = mapped_column(Integer, server_default="0")
    children_affected: Mapped[int] = mapped_column(Integer, server_default="0")
    sheltered_housing: Mapped[int] = mapped_column(Integer, server_default="0")
    # Told without being asked (migration 0012; 0 for months purged before it).
    spontaneous_disclosures: Mapped[int] = mapped_column(Integer, server_default="0")
    duration_count: Mapped[int] = mapped_column(Integer)
    duration_sum: Mapped[int] = mapped_column(Integer)
    purged_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_record_aggregates_team_month", "team", "local_month"),)


class PracticeResultRow(Base):
    """A scored practice run (issue 7). Only the practice store (practice.db) holds any."""

    __tablename__ = "practice_results"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime())
    local_date: Mapped[date] = mapped_column(Date)  # Europe/Stockholm, for date filters
    trainee: Mapped[str] = mapped_column(String(64))
    cohort: Mapped[str] = mapped_column(String(64))
    scenario: Mapped[str] = mapped_column(String(64))
    score: Mapped[int] = mapped_column(Integer)
    max_score: Mapped[int] = mapped_column(Integer)
    record_id: Mapped[str | None] = mapped_column(String(36))

    __table_args__ = (
        Index("ix_practice_results_trainee_finished_at", "trainee", "finished_at"),
        Index("ix_practice_results_scenario_finished_at", "scenario", "finished_at"),
    )


class PracticeResultItemRow(Base):
    """One rubric item of a practice run: passed or missed (counted for most-missed items)."""

    __tablename__ = "practice_result_items"

    result_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("practice_results.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    weight: Mapped[int] = mapped_column(Integer)
    passed: Mapped[bool] = mapped_column(Boolean)


class RecordConsequenceRow(Base):
    """A consequence of the protocol (e.g. ``inform_other_cases``) the handler marked as done."""

    __tablename__ = "record_consequences"

    record_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    consequence_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class CaseCountRow(Base):
    """The number of cases in the case system in a month, per team and benefit (issue 13):
    the real denominator of coverage. ``vagafraga cases import`` replaces a row."""

    __tablename__ = "case_counts"

    local_month: Mapped[str] = mapped_column(String(7), primary_key=True)
    team: Mapped[str] = mapped_column(String(64), primary_key=True)
    benefit: Mapped[str] = mapped_column(String(64), primary_key=True)
    cases: Mapped[int] = mapped_column(Integer)


class FollowupRow(Base):
    """A callback agreed to ask again (issue 13): the day and part of day, never a phone
    number. Made when a screening ends not asked with a callback; closed by the next
    screening of the same case (``closed_by`` names it)."""

    __tablename__ = "followups"

    record_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    handler: Mapped[str] = mapped_column(String(64))
    due_day: Mapped[date] = mapped_column(Date)
    day_part: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(36))

    __table_args__ = (Index("ix_followups_handler_closed_due", "handler", "closed_at", "due_day"),)


class SyncStateRow(Base):
    """On a handler's device: the version of a record the team server acknowledged (issue 15).

    A record is waiting to sync while it has no row here, its current version differs, or
    its follow-up is in another state than ``followup`` (0 none, 1 open, 2 closed).
    """

    __tablename__ = "sync_state"

    record_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64))
    followup: Mapped[int] = mapped_column(Integer, server_default="0")
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SyncInfoRow(Base):
    """On a handler's device: small named values of its sync (the device id)."""

    __tablename__ = "sync_info"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class UserKeyCopyRow(Base):
    """On the team server: a handler's own X25519 private key, wrapped by their password
    exactly as in their key slot (Argon2id, AES-256-GCM; ``wrapped`` is the JSON of
    :meth:`KeyFile.wrapped_copy`), so ``sync --restore`` on a new computer opens their
    sealed fields. Readable and writable by that handler only (row-level security)."""

    __tablename__ = "user_key_copies"

    handler: Mapped[str] = mapped_column(String(64), primary_key=True)
    wrapped: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SyncWitnessRow(Base):
    """On the team server: the newest audit head seen from each device (the witness)."""

    __tablename__ = "sync_witness"

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    handler: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    # The head entry's signature by its writer and their public key (app/accounts/signing.py)
    signer: Mapped[str | None] = mapped_column(String(64))
    signature: Mapped[str | None] = mapped_column(String(100))
    signing_key: Mapped[str | None] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_sync_witness_handler", "handler"),)


def with_postgresql_options() -> None:
    """The tables' PostgreSQL-only options (the durations index's condition), given where a
    PostgreSQL schema is made or compared (the migrations' environment). Not at import:
    naming one loads SQLAlchemy's postgresql dialect package with its drivers' modules
    (about 20 ms of processor time), which signing in to an encrypted SQLite store never
    uses."""
    for index in Base.metadata.tables["records"].indexes:
        if index.name == "ix_records_durations":
            index.dialect_kwargs["postgresql_where"] = text(DURATIONS_WHERE["postgresql"])
