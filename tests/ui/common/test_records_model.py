"""The records table model, without a window."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.i18n import set_language
from app.ui.common.records_model import RecordsTableModel


def test_rows_show_translated_values(make_record) -> None:  # type: ignore[no-untyped-def]
    model = RecordsTableModel()
    asked = make_record(recorded_at="2026-01-31T23:30:00Z")
    not_asked = make_record(asked=False, answer=None, not_asked_reason="not_alone")
    model.set_records([asked, not_asked])
    assert model.rowCount() == 2
    assert model.columnCount() == 6
    cell = lambda row, col: model.data(model.index(row, col))  # noqa: E731
    assert cell(0, 0) == "2026-02-01 00:30"
    assert cell(0, 1) == "Sjukpenning"
    assert cell(0, 2) == "Telefon"
    assert cell(0, 3) == "Ja"
    assert cell(0, 4) == "Berättade inte om våld"
    assert cell(1, 4) == "Inte ensam"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Datum"


def test_english_labels(make_record) -> None:  # type: ignore[no-untyped-def]
    set_language("en")
    model = RecordsTableModel()
    model.set_records([make_record()])
    assert model.data(model.index(0, 1)) == "Sickness benefit"
    assert model.headerData(4, Qt.Orientation.Horizontal) == "Answer or reason"


def test_an_administrator_sees_no_answer_where_a_handler_does(make_record) -> None:  # type: ignore[no-untyped-def]
    from app.accounts.access import Principal, Role, record_access, view_of

    disclosed = make_record(handler="test-h02", asked=True, answer="disclosed")
    admin = Principal("test-admin", frozenset({Role.ADMIN}))
    owner = Principal("test-h02", frozenset({Role.HANDLER}))
    model = RecordsTableModel()
    model.set_records([view_of(disclosed, record_access(p, disclosed)) for p in (owner, admin)])
    assert model.data(model.index(0, 4)) == "Berättade om våld"
    assert model.data(model.index(1, 4)) == "–"  # less than a team lead sees (issue 14)
