"""Retention: delete individual records older than a cut-off, keeping monthly counts.

The agency's archive rules decide the period; nothing here hard-codes one (the
``retention_days`` setting is "not set" by default, which keeps everything).
Before records are deleted, their counts per month and per statistics dimension
go into ``record_aggregates`` in the same transaction, so statistics over a purged
period stay available. Practice records are deleted without aggregates (they never
count). ``secure_delete`` is on, so deleted rows are overwritten in the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Integer, case, cast, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from app.accounts.audit import AuditEvent, AuditLog
from app.accounts.principal import Role
from app.accounts.session import Login
from app.accounts.slot_file import now_utc
from app.errors import UserError
from app.i18n import _, to_local
from app.storage.tables import RecordAggregateRow, RecordRow, UTCDateTime

DIMENSIONS = (
    "local_month",
    "team",
    "handler",
    "benefit",
    "contact",
    "mode",
    "indications",
    "not_asked_reason",
    "client_sex",
    "interpreter",
    "language",
    "child_report_decision",
    "violence_forms",
    "risk_markers",
    "danger_actions",
)


@dataclass(frozen=True)
class PurgeOutcome:
    cutoff: date
    records: int
    aggregate_rows: int


def cutoff_from(text_value: str, *, today: date) -> date:
    """``--older-than``: a number of days before today, or a date (records before it go)."""
    value = text_value.strip()
    if value.isdigit():
        return today - timedelta(days=int(value))
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(
            _("{value!r} is neither a number of days nor a date like 2025-01-31.").format(
                value=value[:40]
            )
        ) from None


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(cast(case((condition, 1), else_=0), Integer))


def count_older(login: Login, cutoff: date) -> int:
    """How many records (practice ones included) a purge with ``cutoff`` would delete."""
    login.principal.require(Role.ADMIN)
    with Session(login.store.engine) as session:
        query = select(func.count()).select_from(RecordRow).where(RecordRow.local_date < cutoff)
        return int(session.execute(query).scalar_one())


def purge(login: Login, cutoff: date, *, now: datetime | None = None) -> PurgeOutcome:
    """Delete every record whose Stockholm date is before ``cutoff``, after aggregating it."""
    login.principal.require(Role.ADMIN)
    moment = now or now_utc()
    if cutoff > to_local(moment).date():
        raise UserError(_("The cut-off date is in the future; nothing was deleted."))
    real = (RecordRow.local_date < cutoff) & RecordRow.practice.is_(False)
    columns = [getattr(RecordRow, name) for name in DIMENSIONS]
    asked = RecordRow.asked.is_(True)
    source = (
        select(
            *columns,
            func.count(),
            _flag(asked),
            _flag(RecordRow.answer == "disclosed"),
            _flag(asked & RecordRow.info_given.is_(True)),
            _flag(RecordRow.child_report.is_(True)),
            _flag(RecordRow.high_risk.is_(True)),
            _flag(RecordRow.immediate_danger.is_(True)),
            _flag(RecordRow.children_affected.is_(True)),
            _flag(RecordRow.sheltered_housing.is_(True)),
            _flag(RecordRow.spontaneous_disclosure.is_(True)),
            _flag(asked & RecordRow.duration_seconds.is_not(None)),
            func.coalesce(func.sum(case((asked, RecordRow.duration_seconds), else_=None)), 0),
            literal(moment, type_=UTCDateTime()),
        )
        .where(real)
        .group_by(*columns)
    )
    targets = [
        *DIMENSIONS,
        "records",
        "asked",
        "disclosed",
        "info_given",
        "child_reports",
        "high_risk",
        "immediate_danger",
        "children_affected",
        "sheltered_housing",
        "spontaneous_disclosures",
        "duration_count",
        "duration_sum",
        "purged_at",
    ]
    engine = login.store.engine
    with Session(engine) as session, session.begin():
        before = int(
            session.execute(select(func.count()).select_from(RecordAggregateRow)).scalar_one()
        )
        session.execute(insert(RecordAggregateRow).from_select(targets, source))
        after = int(
            session.execute(select(func.count()).select_from(RecordAggregateRow)).scalar_one()
        )
        deleted = session.execute(delete(RecordRow).where(RecordRow.local_date < cutoff))
        count = int(getattr(deleted, "rowcount", 0) or 0)
        AuditLog(engine).append_in(  # committed with the deletion, or neither is
            session.connection(),
            login.principal.username,
            AuditEvent.RECORDS_PURGED,
            detail={
                "before": cutoff.isoformat(),
                "records": count,
                "aggregate_rows": after - before,
            },
        )
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return PurgeOutcome(cutoff=cutoff, records=count, aggregate_rows=after - before)
