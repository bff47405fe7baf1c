"""The record service per role: what each may list, view, export, import and correct."""

from __future__ import annotations

import io
import json
from uuid import UUID

import pytest

from app.accounts.access import (
    SUMMARY_HIDDEN,
    Access,
    AccessDeniedError,
    RecordSummary,
    record_access,
    view_of,
)
from app.accounts.services import RecordService
from app.errors import UserError
from app.screening.record import ScreeningRecord
from app.storage.repository import RecordFilter


@pytest.fixture
def records(admin, make_record) -> dict[str, ScreeningRecord]:
    made = {
        "h01": make_record(
            handler="test-h01",
            team="test-team-a",
            asked=True,
            answer="disclosed",
            violence_forms=["threats"],
            case_reference="TEST-CASE-1",
            notes="test note one",
        ),
        "h02": make_record(
            handler="test-h02", team="test-team-a", case_reference="TEST-CASE-2", notes="n2"
        ),
        "h03": make_record(handler="test-h03", team="test-team-b", notes="n3"),
        "practice": make_record(handler="test-h02", team="test-team-a", practice=True),
    }
    admin.store.records.import_records(list(made.values()))
    return made


def service(sign_in, name: str) -> RecordService:
    login = sign_in(name)
    return RecordService(login.store, login.principal)


def listed(svc: RecordService) -> dict[UUID, ScreeningRecord | RecordSummary]:
    return {item.id: item for item in svc.list(RecordFilter(include_practice=True))}


def test_a_handler_lists_and_views_only_their_own_records_in_full(sign_in, records) -> None:
    svc = service(sign_in, "test-h01")
    assert listed(svc) == {records["h01"].id: records["h01"]}
    assert svc.get(records["h01"].id) == records["h01"]
    for other in ("h02", "h03", "practice"):
        with pytest.raises(UserError, match="that you may see"):
            svc.get(records[other].id)
    assert svc.count(RecordFilter(include_practice=True)) == 1


def test_a_team_lead_sees_their_teams_records_without_details(sign_in, records) -> None:
    svc = service(sign_in, "test-lead")
    items = listed(svc)
    assert set(items) == {records["h01"].id, records["h02"].id}
    assert all(isinstance(item, RecordSummary) for item in items.values())
    viewed = svc.get(records["h01"].id)
    assert isinstance(viewed, RecordSummary)
    text = viewed.model_dump_json()
    for hidden in ("TEST-CASE-1", "test note one", "threats", "disclosed", "referrals"):
        assert hidden not in text
    with pytest.raises(UserError):
        svc.get(records["h03"].id)


def test_a_trainer_sees_practice_data_only(sign_in, records) -> None:
    svc = service(sign_in, "test-trainer")
    assert set(listed(svc)) == {records["practice"].id}
    with pytest.raises(UserError):
        svc.get(records["h01"].id)


def test_an_admin_sees_records_but_never_case_references_or_notes(sign_in, records) -> None:
    svc = service(sign_in, "test-admin")
    items = listed(svc)
    assert set(items) == {records[k].id for k in ("h01", "h02", "h03")}
    # less than a team lead on screen (issue 14): the summary, without answer details
    for item in items.values():
        assert isinstance(item, RecordSummary)
        assert not SUMMARY_HIDDEN & set(item.model_dump())
    viewed = svc.get(records["h01"].id)
    assert isinstance(viewed, RecordSummary)


def test_every_individual_view_is_audited_with_the_record_id(sign_in, records, admin) -> None:
    service(sign_in, "test-h01").get(records["h01"].id)
    service(sign_in, "test-lead").get(records["h02"].id)
    assert [e.actor for e in admin.audit.who_viewed(str(records["h01"].id))] == ["test-h01"]
    assert [str(e.record_id) for e in admin.audit.viewed_by("test-lead")] == [
        str(records["h02"].id)
    ]


def test_a_refused_view_leaves_no_view_entry(sign_in, records, admin) -> None:
    with pytest.raises(UserError):
        service(sign_in, "test-h01").get(records["h02"].id)
    assert admin.audit.who_viewed(str(records["h02"].id)) == []


def export(svc: RecordService, **options: bool) -> list[dict[str, object]]:
    out = io.BytesIO()
    svc.export(RecordFilter(include_practice=True), out, "jsonl", **options)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_a_handler_exports_their_own_records_with_sensitive_fields_if_asked(
    sign_in, records, admin
) -> None:
    svc = service(sign_in, "test-h01")
    assert [row["notes"] for row in export(svc, include_sensitive=True)] == ["test note one"]
    assert "notes" not in export(svc)[0]
    exported = [e for e in admin.audit.entries() if e.event == "records_exported"]
    assert [e.detail["include_sensitive"] for e in exported] == [True, False]


def test_an_admin_exports_without_sensitive_fields_and_cannot_ask_for_them(
    sign_in, records
) -> None:
    svc = service(sign_in, "test-admin")
    rows = export(svc)
    assert len(rows) == 3
    assert all("notes" not in row and "case_reference" not in row for row in rows)
    with pytest.raises(AccessDeniedError, match="3 records"):
        export(svc, include_sensitive=True)


def test_a_team_lead_exports_statistics_not_records(sign_in, records) -> None:
    with pytest.raises(AccessDeniedError):
        export(service(sign_in, "test-lead"))


def test_imports_are_limited_to_what_is_yours(sign_in, make_record, admin) -> None:
    svc = service(sign_in, "test-h01")
    mine = make_record(handler="test-h01")
    theirs = make_record(handler="test-h02")
    with pytest.raises(AccessDeniedError, match="record 2"):
        svc.import_records([mine, theirs])
    assert admin.store.records.count(RecordFilter(include_practice=True)) == 0
    assert svc.import_records([mine]).added == 1
    lead = service(sign_in, "test-lead")
    assert lead.import_records([theirs]).added == 1


def test_only_the_handler_corrects_their_record_and_it_is_audited(sign_in, records, admin) -> None:
    changed = records["h01"].model_copy(update={"notes": "test note corrected"})
    with pytest.raises(UserError, match="correct"):
        service(sign_in, "test-lead").correct(changed)
    with pytest.raises(UserError, match="correct"):
        service(sign_in, "test-admin").correct(changed)
    owner = service(sign_in, "test-h01")
    assert owner.correct(changed) == 2
    assert owner.get(changed.id).notes == "test note corrected"
    assert admin.store.records.get(changed.id).notes is None  # sealed to test-h01 (issue 14)
    viewed = [e.event for e in admin.audit.who_viewed(str(changed.id))]
    assert viewed == ["record_corrected", "record_viewed"]


def test_saving_is_for_your_own_screenings(sign_in, make_record) -> None:
    svc = service(sign_in, "test-h01")
    svc.save(make_record(handler="test-h01"))
    with pytest.raises(AccessDeniedError):
        svc.save(make_record(handler="test-h02"))
    with pytest.raises(AccessDeniedError):
        service(sign_in, "test-lead").save(make_record(handler="test-lead"))


@pytest.mark.parametrize(
    "name", ["test-h01", "test-h02", "test-h03", "test-lead", "test-trainer", "test-admin"]
)
def test_a_list_shows_each_role_what_the_checked_record_shows(sign_in, records, name) -> None:
    """The list builds its items straight from the stored fields (no second check of the
    record's rules): each item is what a fully checked record cut to the role's access is."""
    svc = service(sign_in, name)
    checked = sorted(records.values(), key=lambda r: (-r.recorded_at.timestamp(), str(r.id)))
    expected = []
    for record in checked:
        access = record_access(svc.principal, record)
        if access is not Access.NONE:
            expected.append(view_of(record, access))
    items = svc.list(RecordFilter(include_practice=True))
    assert [item.model_dump(mode="json") for item in items] == [
        item.model_dump(mode="json") for item in expected
    ]
    assert [type(item) for item in items] == [type(item) for item in expected]
