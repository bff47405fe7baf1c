"""The dashboard's tables as text (shared by the screen and the PDF)."""

from __future__ import annotations

import re

from app.i18n import set_language
from app.stats.dashboard_data import DashboardData
from app.stats.metrics import LIST_COUNTS
from app.stats.report_tables import (
    equality_table,
    group_table,
    items_table,
    key_label,
    list_count_titles,
    reasons_table,
    summary_table,
)


def test_summary_against_the_goal(dashboard_data: DashboardData) -> None:
    set_language("en")
    rows = summary_table(dashboard_data.total, 1).rows
    assert rows[0][0] == "Routine asking"
    assert rows[0][1] == "60.0\xa0% (23.1\xa0%–88.2\xa0%)"  # Wilson 95 % of 3/5
    assert rows[0][2] == "goal 100.0\xa0%"


def test_group_tables_and_the_handler_note(dashboard_data: DashboardData) -> None:
    set_language("en")
    benefits = group_table(dashboard_data.by_benefit, 1)
    assert benefits.header[0] == "Benefit"
    assert [row[0] for row in benefits.rows] == ["Maintenance support", "Sickness benefit"]
    assert benefits.rows[1][2] == "–"  # coverage: no case counts imported
    assert benefits.rows[1][3] == "50.0\xa0% (2/4)"
    assert benefits.note == ""
    handlers = group_table(dashboard_data.by_handler, 5, medians=False)
    assert "Median time (s)" not in handlers.header
    # the rate is hidden too; a handler has no case counts (no coverage)
    assert handlers.rows[0][:4] == ["test-h01", "<5", "–", "– (<5/<5)"]
    assert handlers.note == "Counts below 5 are shown as <5."


def test_reasons_with_their_share(dashboard_data: DashboardData) -> None:
    set_language("en")
    rows = {row[0]: row[1:] for row in reasons_table(dashboard_data.total, 1).rows}
    assert rows["Not alone"] == ["1", "25.0\xa0%"]  # 1 of the 4 not asked
    assert rows["Other reason"] == ["0", "0.0\xa0%"]


def test_equality_table_carries_the_sentences(dashboard_data: DashboardData) -> None:
    result = dashboard_data.equality[0]  # loaded in Swedish: labels are made at load time
    table = equality_table(result, 1)
    assert [row[0] for row in table.rows] == ["Kvinna", "Man"]
    assert table.note.endswith(" ".join(test.sentence for test in result.tests))
    # where asking was possible: Fisher's exact test on 2 of 2 against 1 of 2
    assert "p = 1,000" in table.note
    assert [row[3] for row in table.rows] == ["1", "0"]  # routine, blocked: R3 (not alone)


def test_a_benefit_no_longer_installed_keeps_its_code() -> None:
    assert key_label("benefit", "retired_benefit") == "retired_benefit"
    assert key_label("month", "2026-03") == "2026-03"


def test_summary_counts_unasked_disclosures_and_every_child_decision(
    dashboard_data: DashboardData,
) -> None:
    """R3 told without being asked; reported now R2, consultation R5, no child exposed R8;
    reported earlier only in practice (R9), so 0 is shown."""
    set_language("en")
    rows = {row[0]: row[1] for row in summary_table(dashboard_data.total, 1).rows}
    assert rows["Told about violence without being asked"] == "1"
    assert rows["Child decision: reported now"] == "1"
    assert rows["Child decision: reported earlier"] == "0"
    assert rows["Child decision: anonymous consultation with social services"] == "1"
    assert rows["Child decision: no child exposed"] == "1"
    set_language("sv")
    rows = {row[0]: row[1] for row in summary_table(dashboard_data.total, 1).rows}
    assert rows["Berättade om våld utan att bli tillfrågad"] == "1"
    assert rows["Beslut om barn: anmält tidigare"] == "0"


def test_summary_counts_every_violence_form_risk_marker_and_danger_action(
    dashboard_data: DashboardData,
) -> None:
    """Physical and sexual violence R2; afraid R2 R5, sexual violence R2, afraid of the
    other parent R8; called 112 and a safe place R2. Threats, stalking and police
    contacted only in practice (R9): 0. Titles from the screening's labels, no codes."""
    set_language("en")
    summary = summary_table(dashboard_data.total, 1)
    rows = {row[0]: row[1] for row in summary.rows}
    assert rows["Violence form: Physical violence"] == "1"
    assert rows["Violence form: Sexual violence"] == "1"
    assert rows["Violence form: Sexual harassment"] == "0"
    assert rows["Violence form: Threats of violence"] == "0"
    assert rows["Risk marker: Afraid of the person"] == "2"
    assert rows["Risk marker: Sexual violence"] == "1"
    assert rows["Risk marker: Afraid of the other parent"] == "1"
    assert rows["Risk marker: Stalking"] == "0"
    assert rows["Immediate danger, done: I called 112"] == "1"
    assert rows["Immediate danger, done: The person is in a safe place"] == "1"
    assert rows["Immediate danger, done: Police contacted"] == "0"
    items = sum(len(counts) for counts in LIST_COUNTS.values())
    assert (
        len(summary_table(dashboard_data.total, 1, items=False).rows) == len(summary.rows) - items
    )
    titles = set(list_count_titles().values())
    assert len(titles) == items  # "Sexual violence" is a form and a marker: two titles
    assert items_table(dashboard_data.total, 1).rows == [
        row[:2] for row in summary.rows if row[0] in titles
    ]
    set_language("sv")
    titles = [row[0] for row in summary_table(dashboard_data.total, 1).rows]
    rows = {row[0]: row[1] for row in summary_table(dashboard_data.total, 1).rows}
    assert rows["Våldsform: Fysiskt våld"] == "1"
    assert rows["Riskfaktor: Rädd för den som utövar våldet"] == "2"
    assert rows["Akut fara, åtgärd: Jag ringde 112"] == "1"
    for title in titles:  # no internal name (violence_physical, risk_fear, ...) on screen
        assert "_" not in title


def test_every_table_hides_counts_below_the_threshold(dashboard_data: DashboardData) -> None:
    """The same rule in every table (screen and report): a count below 5 is "<5", and a
    rate, share or time that would give it back is not shown."""
    set_language("en")
    total = dashboard_data.total
    tables = [
        summary_table(total, 5),
        items_table(total, 5),
        group_table(dashboard_data.by_month, 5),
        group_table(dashboard_data.by_benefit, 5),
        group_table(dashboard_data.by_handler, 5, medians=False),
        reasons_table(total, 5),
        *[equality_table(result, 5) for result in dashboard_data.equality],
    ]
    for table in tables:
        assert table.note.endswith("Counts below 5 are shown as <5.")
        for row in table.rows:
            for cell in row[1:]:
                assert shown_counts(cell) == [], (row[0], cell)
    summary = {row[0]: row[1] for row in tables[0].rows}
    assert summary["Routine asking"] == "–"  # 3 of 5: the 3 is hidden, so is the rate
    assert summary["Opportunities"] == "8"  # nothing hidden at or over the threshold
    assert summary["Child decision: reported earlier"] == "0"  # a zero describes nobody
    assert summary["High risk"] == "<5"
    reasons = {row[0]: row[1:] for row in tables[5].rows}
    assert reasons["Not alone"] == ["<5", "–"]  # its share would give the 1 back
    assert [row[3] for row in tables[-3].rows] == ["<5", "0"]  # routine, blocked (sex)


def shown_counts(cell: str) -> list[int]:
    """The counts a cell shows between 0 and 5 (not inside a rate or an interval)."""
    without_rates = re.sub(r"[\d.,\xa0]+\xa0%", "", cell)
    return [
        int(n) for n in re.findall(r"(?<![\d.,])\d+(?![\d.,])", without_rates) if 0 < int(n) < 5
    ]
