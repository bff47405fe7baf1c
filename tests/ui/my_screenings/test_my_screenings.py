"""My screenings: the handler's own list, read-only details with the record's own protocol
version, and corrections that keep the old version."""

from __future__ import annotations

import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app.i18n import STOCKHOLM, _, current_language
from app.screening import protocols as protocols_module
from app.screening.enums import Answer
from app.screening.protocols import protocol_set
from app.settings import Settings
from app.storage.versions import RecordVersions
from app.ui.my_screenings.correct import CorrectionDialog
from app.ui.my_screenings.page import MyScreeningsPage
from tests.ui.wizard.wizard_driver import Driver, mnemonic_of

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

V2_QUESTION_SV = "Syntetisk fråga som bara finns i version 2?"
V2_QUESTION_EN = "A synthetic question only in version 2?"


@pytest.fixture
def two_sickness_versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Version 2 of the sickness benefit protocol beside version 1, with another first question."""
    folder = tmp_path / "protocols"
    shutil.copytree(protocols_module.protocols_dir(), folder)
    v1 = protocol_set().latest("sickness_benefit")
    text = (folder / "sickness_benefit.v1.yaml").read_text(encoding="utf-8")
    first = v1.script.questions[0].text
    text = text.replace("version: '1'", "version: '2'")
    text = text.replace(first.sv, V2_QUESTION_SV).replace(first.en, V2_QUESTION_EN)
    (folder / "sickness_benefit.v2.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(protocols_module, "protocols_dir", lambda: folder)
    protocol_set.cache_clear()
    assert protocol_set().latest("sickness_benefit").version == "2"
    yield v1
    protocol_set.cache_clear()


def local(day_offset: int = 0, hour: int = 10) -> str:
    today = datetime.now(STOCKHOLM).date()
    moment = datetime(today.year, today.month, today.day, hour, tzinfo=STOCKHOLM)
    return (moment + timedelta(days=day_offset)).isoformat()


@pytest.fixture
def page(qtbot, store):  # type: ignore[no-untyped-def]
    widget = MyScreeningsPage(store, Settings())
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    return widget


def loaded(qtbot, page: MyScreeningsPage) -> list:  # type: ignore[no-untyped-def,type-arg]
    qtbot.waitUntil(lambda: not page.loading)
    return [page.model.record_at(row) for row in range(page.model.rowCount())]


def test_today_this_week_and_search_show_only_my_screenings(
    qtbot, store, page, make_record
) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(STOCKHOLM)
    monday = -now.weekday()
    versions = RecordVersions(store.engine)
    today = make_record(
        handler="handler-1",
        recorded_at=local(0, 0),
        case_reference="DEMO-000501",
    )
    this_week = make_record(
        handler="handler-1", recorded_at=local(monday, 0), case_reference="DEMO-000502"
    )
    last_week = make_record(
        handler="handler-1", recorded_at=local(monday - 1, 12), case_reference="DEMO-000503"
    )
    # a colleague with an account: their case reference is sealed to them (issue 14)
    theirs = make_record(handler="test-h02", recorded_at=local(0, 0), case_reference="DEMO-000501")
    for record in (today, this_week, last_week, theirs):
        versions.save(record)
    page.refresh()
    shown = {r.id for r in loaded(qtbot, page)}
    assert shown == {today.id} | ({this_week.id} if monday == 0 else set())
    assert page.status.text() == ("1 screening." if len(shown) == 1 else "2 screeningar.")

    Driver(qtbot, None).alt(mnemonic_of(page.week))  # type: ignore[arg-type]
    qtbot.waitUntil(page.week.isChecked)
    qtbot.waitUntil(lambda: {r.id for r in loaded(qtbot, page)} == {today.id, this_week.id})

    page.search.setFocus()
    qtbot.keyClicks(page.search, "demo-00050")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: {r.id for r in loaded(qtbot, page)} == {today.id, this_week.id, last_week.id}
    )
    page.search.clear()
    qtbot.keyClicks(page.search, "sjukpenning")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(loaded(qtbot, page)) == 3, timeout=3000)


@pytest.mark.usefixtures("english")
def test_an_empty_search_lists_nothing_new_and_says_what_to_type(
    qtbot, store, page, make_record
) -> None:  # type: ignore[no-untyped-def]
    versions = RecordVersions(store.engine)
    versions.save(make_record(handler="handler-1", recorded_at=local(-400, 10)))  # long ago
    page.refresh()
    assert loaded(qtbot, page) == []
    page.search.setFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.status.text() == "Type a case reference or a benefit to search for."
    assert not page.loading
    assert page.model.rowCount() == 0  # not every screening of every date
    assert page.today.isChecked()


def test_the_list_shows_its_columns_whole_beside_the_details(
    qtbot, store, page, make_record
) -> None:  # type: ignore[no-untyped-def]
    versions = RecordVersions(store.engine)
    versions.save(make_record(handler="handler-1", recorded_at=local(0, 0)))
    page.refresh()
    assert len(loaded(qtbot, page)) == 1
    header = page.table.horizontalHeader()
    outcome = page.model.columns.index("outcome")
    assert header.isSectionHidden(page.model.columns.index("handler"))  # they are all mine
    assert page.table.columnWidth(outcome) >= page.table.sizeHintForColumn(outcome)
    right_edge = page.table.columnViewportPosition(outcome) + page.table.columnWidth(outcome)
    assert right_edge <= page.table.viewport().width()  # "Answer or reason" is not cut
    assert page.detail.width() > page.width() // 3


def test_a_record_opens_read_only_with_the_questions_of_its_own_protocol_version(  # type: ignore[no-untyped-def]
    qtbot, store, page, make_record, two_sickness_versions
) -> None:
    v1 = two_sickness_versions
    record = make_record(
        handler="handler-1",
        recorded_at=local(0, 0),
        protocol={"id": "sickness_benefit", "version": "1"},
    )
    RecordVersions(store.engine).save(record, ["health_signs"])
    page.refresh()
    assert [r.id for r in loaded(qtbot, page)] == [record.id]
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(page.detail.versions))
    text = page.detail.toPlainText()
    assert v1.script.questions[0].text.sv in text
    assert V2_QUESTION_SV not in text
    assert v1.indicator("health_signs").text.sv in text, "the sign in words, not its id"
    assert "health_signs" not in text
    assert page.detail.isReadOnly()


def test_the_details_tell_which_prompts_for_the_case_were_done(  # type: ignore[no-untyped-def]
    qtbot, store, page, make_record
) -> None:
    protocol = protocol_set().latest("sgi_customer_meeting")
    record = make_record(
        handler="handler-1",
        recorded_at=local(0, 0),
        benefit="sgi_customer_meeting",
        case_type=None,
        mode=protocol.mode_for(None).value,
        indications=True,
        protocol={"id": protocol.id, "version": protocol.version},
    )
    RecordVersions(store.engine).save(record, consequences=["inform_other_cases"])
    page.refresh()
    assert [r.id for r in loaded(qtbot, page)] == [record.id]
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(page.detail.versions))
    text = " ".join(page.detail.toPlainText().split())
    texts = {item.id: item.text.get(current_language()) for item in protocol.consequences}
    assert _("Done: {prompt}").format(prompt=texts["inform_other_cases"]) in text
    assert _("Not done: {prompt}").format(prompt=texts["adapt_contact"]) in text


def test_a_correction_makes_a_new_version_and_keeps_the_old(
    qtbot, store, page, make_record
) -> None:  # type: ignore[no-untyped-def]
    record = make_record(
        handler="handler-1", recorded_at=local(0, 0), answer="not_disclosed", notes=None
    )
    versions = RecordVersions(store.engine)
    versions.save(record)
    page.refresh()
    loaded(qtbot, page)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(page.correct_button.isEnabled)

    polls = []

    def in_dialog() -> None:
        polls.append(1)
        assert len(polls) < 500, "the correction dialog never opened"
        dialog = next(
            (
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, CorrectionDialog) and w.isVisible()
            ),
            None,
        )
        if dialog is None:
            QTimer.singleShot(10, in_dialog)  # not open yet: the button clicks 100 ms later
            return
        dialog.answer.setFocus()
        qtbot.keyClick(dialog.answer, Qt.Key.Key_Home)  # "disclosed" comes first
        dialog.forms[next(iter(dialog.forms))].setChecked(True)
        dialog.notes.setFocus()
        qtbot.keyClicks(dialog.notes, "Synthetic correction")
        save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        if dialog.isVisible():  # not accepted: close it so the test fails instead of hanging
            dialog.reject()

    QTimer.singleShot(0, in_dialog)
    Driver(qtbot, None).alt(mnemonic_of(page.correct_button))  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: len(page.detail.versions) == 2, timeout=5000)
    history = versions.history(record.id)
    assert [item.version for item in history] == [1, 2]
    assert history[0].record == record
    assert history[1].record.answer is Answer.DISCLOSED
    assert history[1].record.notes == "Synthetic correction"
    assert store.records.get(record.id) == history[1].record
    assert store.records.count() == 1
    assert "rättad; 1 tidigare version finns kvar." in page.detail.toPlainText()


def test_a_correction_that_does_not_fit_is_explained_and_not_saved(qtbot, make_record) -> None:  # type: ignore[no-untyped-def]
    from app.screening.labels import field_label

    record = make_record(answer="not_disclosed")
    dialog = CorrectionDialog(record)
    qtbot.addWidget(dialog)
    dialog.children_combo.setCurrentIndex(dialog.children_combo.findData(False))
    dialog.child_report.setChecked(True)
    dialog.accept()
    assert dialog.result_record is None
    problem = dialog.problems.text()
    assert field_label("child_report") in problem
    assert "_" not in problem, "the field as the handler reads it, never its id"


def test_the_details_show_what_the_danger_and_children_steps_recorded(make_record) -> None:  # type: ignore[no-untyped-def]
    from app.i18n import _
    from app.screening.enums import ChildDecision, DangerAction
    from app.screening.labels import child_decision_label, danger_action_label, language_label
    from app.ui.my_screenings.detail import record_rows

    record = make_record(
        asked=False,
        answer=None,
        not_asked_reason="not_alone",
        spontaneous_disclosure=True,
        immediate_danger=True,
        danger_actions=["called_112"],
        children_affected=True,
        child_report=True,
        child_report_decision="reported_now",
    )
    rows = dict(record_rows(record))
    values = rows.values()
    assert rows[_("Client's language")] == language_label("sv")
    assert rows[_("Protocol")].endswith(", version 1")
    assert not [value for value in values if re.search(r"\b[a-z]+_[a-z_]+\b", value)]
    assert danger_action_label(DangerAction.CALLED_112) in values
    assert child_decision_label(ChildDecision.REPORTED_NOW) in values
