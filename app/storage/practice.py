"""The practice store: a separate database file for practice runs, and their results.

Practice data never reaches the real store or its statistics: the practice
wizard saves into ``<data_dir>/practice.db``, opened through the same engine
factory and migrations as the real store (its schema-upgrade backups go to
``<data_dir>/backups/practice/``) and encrypted with a key the real store keeps for it
(:func:`practice_key`). Results are counted in SQL for the trainer: per trainee, per
scenario, and the rubric items most often missed.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

from sqlalchemy import ColumnElement, Engine, case, distinct, func, select
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from app.errors import UserError
from app.i18n import to_local
from app.storage import migrate
from app.storage.encryption import encrypt_copy, is_plain_sqlite, replace_wiped
from app.storage.engine import StoreLocation
from app.storage.store import Store, not_a_store_message, open_store
from app.storage.tables import PracticeResultItemRow, PracticeResultRow, StoreSecretRow
from app.training.results import (
    ItemOutcome,
    MissedItem,
    ResultsFilter,
    ScenarioSummary,
    StoredResult,
    TraineeSummary,
)

PRACTICE_FILENAME = "practice.db"


def practice_location(data_dir: Path) -> StoreLocation:
    """The practice store beside the real one: always a local SQLite file."""
    folder = Path(data_dir).expanduser()
    return StoreLocation(sqlite_file=folder / PRACTICE_FILENAME, data_dir=folder)


PRACTICE_KEY = "practice_db_key"


def practice_key(main: Store) -> bytes | None:
    """The practice store's database key, kept inside the main store (made on first use).

    An encrypted main store (SQLCipher) or a server's keeps it at rest as it keeps the
    records; a rekey of the main store therefore never strands the practice store. An
    unencrypted main store (tests, or one from before accounts) has no key to give: its
    practice store is unencrypted too.
    """
    if main.location.is_sqlite and not main.engine.url.password:
        return None
    for _attempt in range(2):  # two first uses at once: one makes the key, both use it
        try:
            with Session(main.engine) as session, session.begin():
                stored = session.get(StoreSecretRow, PRACTICE_KEY)
                if stored is None:
                    stored = StoreSecretRow(name=PRACTICE_KEY, value=secrets.token_bytes(32).hex())
                    session.add(stored)
                return bytes.fromhex(stored.value)
        except IntegrityError:
            continue
    raise UserError(not_a_store_message(main.location))


def open_practice_store(main: Store) -> Store:
    """Open (create or upgrade) the practice store beside ``main``, encrypted with the
    key ``main`` keeps for it; an unencrypted practice store from before is encrypted
    in place first."""
    location = practice_location(main.location.data_dir)
    key = practice_key(main)
    path = location.sqlite_path
    assert path is not None
    if key is not None and is_plain_sqlite(path):
        replace_wiped(path, encrypt_copy(path, key))
    store = open_store(location, key=key, upgrade=False)
    try:
        migrate.upgrade(store.engine, location.data_dir / "backups" / "practice")
    except (OperationalError, DatabaseError):
        store.close()
        raise UserError(not_a_store_message(location)) from None
    return store


class PracticeResults:
    """Practice results in the practice store: stored, listed and counted."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, result: StoredResult) -> None:
        finished = result.finished_at.astimezone(UTC)
        with Session(self._engine) as session, session.begin():
            if session.get(PracticeResultRow, str(result.id)) is not None:
                raise UserError("A practice result with this id is already stored.")
            session.add(
                PracticeResultRow(
                    id=str(result.id),
                    finished_at=finished,
                    local_date=to_local(finished).date(),
                    trainee=result.trainee,
                    cohort=result.cohort,
                    scenario=result.scenario,
                    score=result.score,
                    max_score=result.max_score,
                    record_id=str(result.record_id) if result.record_id else None,
                )
            )
            session.flush()
            session.add_all(
                PracticeResultItemRow(
                    result_id=str(result.id),
                    item_id=item.id,
                    weight=item.weight,
                    passed=item.passed,
                )
                for item in result.items
            )

    def runs(
        self, flt: ResultsFilter | None = None, *, limit: int | None = None
    ) -> list[StoredResult]:
        """Newest first, each with its items."""
        query = select(PracticeResultRow).where(*_where(flt))
        query = query.order_by(PracticeResultRow.finished_at.desc(), PracticeResultRow.id)
        if limit is not None:
            query = query.limit(limit)
        with Session(self._engine) as session:
            rows = list(session.scalars(query))
            items: dict[str, list[ItemOutcome]] = {row.id: [] for row in rows}
            if rows:
                found = session.scalars(
                    select(PracticeResultItemRow)
                    .where(PracticeResultItemRow.result_id.in_(list(items)))
                    .order_by(PracticeResultItemRow.result_id)
                )
                for item in found:
                    items[item.result_id].append(
                        ItemOutcome(id=item.item_id, passed=item.passed, weight=item.weight)
                    )
            return [_stored(row, items[row.id]) for row in rows]

    def count(self, flt: ResultsFilter | None = None) -> int:
        query = select(func.count()).select_from(PracticeResultRow).where(*_where(flt))
        with Session(self._engine) as session:
            return int(session.execute(query).scalar_one())

    def by_trainee(self, flt: ResultsFilter | None = None) -> list[TraineeSummary]:
        row = PracticeResultRow
        query = (
            select(
                row.trainee,
                func.count(),
                func.count(distinct(row.scenario)),
                func.sum(row.score),
                func.sum(row.max_score),
                func.sum(case((row.score == row.max_score, 1), else_=0)),
                func.max(row.finished_at),
            )
            .where(*_where(flt))
            .group_by(row.trainee)
            .order_by(row.trainee)
        )
        with Session(self._engine) as session:
            return [
                TraineeSummary(
                    trainee=trainee,
                    runs=runs,
                    scenarios=scenarios,
                    score=int(score or 0),
                    max_score=int(maximum or 0),
                    full_marks=int(full or 0),
                    last_at=_aware(last),
                )
                for trainee, runs, scenarios, score, maximum, full, last in session.execute(query)
            ]

    def by_scenario(self, flt: ResultsFilter | None = None) -> list[ScenarioSummary]:
        row = PracticeResultRow
        query = (
            select(
                row.scenario,
                func.count(),
                func.count(distinct(row.trainee)),
                func.sum(row.score),
                func.sum(row.max_score),
                func.sum(case((row.score == row.max_score, 1), else_=0)),
            )
            .where(*_where(flt))
            .group_by(row.scenario)
            .order_by(row.scenario)
        )
        with Session(self._engine) as session:
            return [
                ScenarioSummary(
                    scenario=scenario,
                    runs=runs,
                    trainees=trainees,
                    score=int(score or 0),
                    max_score=int(maximum or 0),
                    full_marks=int(full or 0),
                )
                for scenario, runs, trainees, score, maximum, full in session.execute(query)
            ]

    def most_missed(
        self, flt: ResultsFilter | None = None, *, limit: int | None = None
    ) -> list[MissedItem]:
        """Rubric items by how often they were missed (most first); never-missed items last."""
        item, result = PracticeResultItemRow, PracticeResultRow
        missed = func.sum(case((item.passed.is_(False), 1), else_=0))
        query = (
            select(result.scenario, item.item_id, func.count(), missed)
            .join(result, result.id == item.result_id)
            .where(*_where(flt))
            .group_by(result.scenario, item.item_id)
            .order_by(
                missed.desc(), (missed * 1.0 / func.count()).desc(), result.scenario, item.item_id
            )
        )
        if limit is not None:
            query = query.limit(limit)
        with Session(self._engine) as session:
            return [
                MissedItem(scenario=scenario, item=item_id, runs=runs, missed=int(count or 0))
                for scenario, item_id, runs, count in session.execute(query)
            ]


def _where(flt: ResultsFilter | None) -> list[ColumnElement[bool]]:
    """The filter's conditions on ``practice_results``."""
    if flt is None:
        return []
    row = PracticeResultRow
    conditions: list[ColumnElement[bool]] = []
    if flt.trainee is not None:
        conditions.append(row.trainee == flt.trainee)
    if flt.scenario is not None:
        conditions.append(row.scenario == flt.scenario)
    if flt.cohort is not None:
        conditions.append(row.cohort == flt.cohort)
    if flt.date_from is not None:
        conditions.append(row.local_date >= flt.date_from)
    if flt.date_to is not None:
        conditions.append(row.local_date <= flt.date_to)
    return conditions


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _stored(row: PracticeResultRow, items: list[ItemOutcome]) -> StoredResult:
    return StoredResult(
        id=UUID(row.id),
        finished_at=row.finished_at,
        trainee=row.trainee,
        cohort=row.cohort,
        scenario=row.scenario,
        score=row.score,
        max_score=row.max_score,
        items=items,
        record_id=UUID(row.record_id) if row.record_id else None,
    )
