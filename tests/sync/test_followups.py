"""Follow-ups travel with their records: a wait with a callback syncs, the next screening
of the case closes it on the device, the next sync carries the closing, and a team lead's
figures on the server equal the device's; restore brings the follow-up back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from app.screening.enums import DayPart
from app.screening.record import ScreeningRecord
from app.stats.filters import StatsQuery
from app.stats.service import StatsService
from app.storage.followups import Followups
from app.storage.versions import RecordVersions
from app.sync.push import run_sync
from app.sync.restore import run_restore
from app.sync.server import team_store
from app.sync.state import count_waiting
from tests.sync.conftest import Device, Team

MakeRecord = Callable[..., ScreeningRecord]
QUERY = StatsQuery(teams=("test-team-a",))


def _figures(engine: object) -> tuple[int, int]:
    total = StatsService(engine).run(QUERY).to_json()["total"]  # type: ignore[arg-type]
    return total["followups_open"], total["followups_done"]


def test_a_follow_up_and_its_later_closing_travel_to_the_server_and_back(
    team: Team,
    device: Callable[..., Device],
    make_record: MakeRecord,
    tmp_path: Path,
) -> None:
    mine = device("test-h01")
    engine, principal = mine.login.store.engine, mine.login.principal
    server = team.for_user("test-h01")
    wait = make_record(
        handler="test-h01",
        team="test-team-a",
        asked=False,
        answer=None,
        not_asked_reason="unsafe_to_talk",
        case_reference="TEST-FOLLOW-1",
    )
    RecordVersions(engine).save(wait, callback=(date(2026, 3, 13), DayPart.MORNING))
    assert run_sync(engine, principal, server).summary()["pushed"] == 1
    assert team.count("SELECT count(*) FROM followups WHERE closed_at IS NULL") == 1
    with team_store(team.for_user("test-lead"), tmp_path) as store:
        assert _figures(store.engine) == _figures(engine) == (1, 0)

    # The next screening of the case closes the follow-up on the device: the earlier
    # record waits again (its follow-up changed) along with the new one.
    later = make_record(handler="test-h01", team="test-team-a", case_reference="TEST-FOLLOW-1")
    mine.save(later)
    assert Followups(engine).for_handler("test-h01") == []
    assert count_waiting(engine, "test-h01") == 2

    outcome = run_sync(engine, principal, server)
    assert outcome.waiting == 0
    assert team.count("SELECT count(*) FROM followups WHERE closed_at IS NULL") == 0
    assert team.count(f"SELECT count(*) FROM followups WHERE closed_by = '{later.id}'") == 1
    with team_store(team.for_user("test-lead"), tmp_path) as store:
        assert _figures(store.engine) == _figures(engine) == (0, 1)
    # Idempotent: nothing waits, a repeated sync changes nothing.
    assert run_sync(engine, principal, server).summary() == {
        "pushed": 0,
        "already_there": 0,
        "waiting": 0,
    }
    assert team.count("SELECT count(*) FROM followups") == 1

    # A new computer of the same handler gets the follow-up back, closed.
    other = device("test-h01")
    run_restore(other.login.store.engine, other.login.principal, server)
    [restored] = Followups(other.login.store.engine).for_handler("test-h01", include_closed=True)
    assert restored.record_id == wait.id
    assert restored.closed_by == later.id
    assert restored.due_day == date(2026, 3, 13)
    assert count_waiting(other.login.store.engine, "test-h01") == 0
