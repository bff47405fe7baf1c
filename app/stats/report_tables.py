"""The dashboard's tables as translated text: the same cells on screen and in the PDF.

Per-handler tables hide small counts (:mod:`app.stats.suppression`).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import UserError
from app.i18n import N_, _, format_number, format_rate
from app.screening.enums import DangerAction, NotAskedReason, RiskMarker, ViolenceForm
from app.screening.labels import (
    benefit_label,
    danger_action_label,
    reason_label,
    risk_marker_label,
    violence_form_label,
)
from app.stats.equality import DIMENSION_TITLES, EqualityResult, value_label
from app.stats.export import cell_text, purged_note
from app.stats.metrics import (
    CHILD_DECISION_COUNTS,
    DANGER_ACTION_COUNTS,
    RISK_MARKER_COUNTS,
    ROUTINE_ASKING_GOAL,
    VIOLENCE_FORM_COUNTS,
    Metrics,
)
from app.stats.service import StatsResult
from app.stats.suppression import hidden_label

GROUP_COLUMNS = (
    ("opportunities", N_("Opportunities")),
    ("coverage_rate", N_("Coverage, of cases")),
    ("routine_asking_rate", N_("Routine asking")),
    ("indication_asking_rate", N_("Asking on indication")),
    ("indication_rate", N_("Indications, of on-indication contacts")),
    ("identification_rate", N_("Disclosed, of asked")),
    ("info_rate", N_("Information, of asked")),
    ("child_reports", N_("Child reports")),
    ("median_duration_seconds", N_("Median time (s)")),
)
# The children step's decisions as counted (metrics.CHILD_DECISION_COUNTS), in its order.
CHILD_DECISION_TITLES = {
    CHILD_DECISION_COUNTS["reported_now"]: N_("Child decision: reported now"),
    CHILD_DECISION_COUNTS["reported_earlier"]: N_("Child decision: reported earlier"),
    CHILD_DECISION_COUNTS["consulted_social_services"]: N_(
        "Child decision: anonymous consultation with social services"
    ),
    CHILD_DECISION_COUNTS["no_child_exposed"]: N_("Child decision: no child exposed"),
}


def list_count_titles() -> dict[str, str]:
    """Every count of a JSON list's items (``violence_<form>``, ``risk_<marker>``,
    ``danger_<action>``) with its translated title, built from the screening's labels."""
    return {
        **{
            VIOLENCE_FORM_COUNTS[form.value]: _("Violence form: {form}").format(
                form=violence_form_label(form)
            )
            for form in ViolenceForm
        },
        **{
            RISK_MARKER_COUNTS[marker.value]: _("Risk marker: {marker}").format(
                marker=risk_marker_label(marker)
            )
            for marker in RiskMarker
        },
        **{
            DANGER_ACTION_COUNTS[action.value]: _("Immediate danger, done: {action}").format(
                action=danger_action_label(action)
            )
            for action in DangerAction
        },
    }


DIMENSION_NAMES = {
    "benefit": N_("Benefit"),
    "month": N_("Month"),
    "handler": N_("Handler"),
    "team": N_("Team"),
    "contact": N_("Contact"),
    "mode": N_("Mode"),
    **DIMENSION_TITLES,
}


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    note: str = ""


def key_label(dimension: str, value: str) -> str:
    if dimension == "benefit":
        try:
            return benefit_label(value)
        except UserError:  # a benefit whose protocol is no longer installed
            return value
    return value_label(dimension, value)


def interval_text(metrics: Metrics, rate: str) -> str:
    """``"50.4 % (50.3–50.5 %)"``, or an en dash when there is no rate."""
    value, interval = metrics.rate(rate), metrics.interval(rate)
    if value is None or interval is None:
        return "–"
    return f"{format_rate(value)} ({format_rate(interval[0])}–{format_rate(interval[1])})"


def _item_rows(total: Metrics, names: dict[str, str]) -> list[list[str]]:
    """A row per count of a list's items: title, count, nothing to compare with."""
    titles = list_count_titles()
    return [[titles[name], format_number(total.count(name)), ""] for name in names.values()]


def items_table(total: Metrics) -> Table:
    """The counts of every violence form, risk marker and danger action (the PDF gives
    them a page of their own: the first page has no room for them)."""
    rows = [
        row[:2]  # no goal to compare with: no third column
        for names in (VIOLENCE_FORM_COUNTS, RISK_MARKER_COUNTS, DANGER_ACTION_COUNTS)
        for row in _item_rows(total, names)
    ]
    return Table([_("Figure"), _("Records")], rows)


def summary_table(total: Metrics, *, items: bool = True) -> Table:
    """The key figures against the goal; with ``items``, the counts of every violence
    form, risk marker and danger action beside the figure they detail."""

    def counted(names: dict[str, str]) -> list[list[str]]:
        return _item_rows(total, names) if items else []

    rows = [
        [
            _("Routine asking"),
            interval_text(total, "routine_asking_rate"),
            _("goal {goal}").format(goal=format_rate(ROUTINE_ASKING_GOAL)),
        ],
        [_("Asking on indication"), interval_text(total, "indication_asking_rate"), ""],
        [
            _("Coverage, of cases"),
            interval_text(total, "coverage_rate") if total.cases is not None else "–",
            _("cases {count}").format(count=format_number(total.cases))
            if total.cases is not None
            else _("no case counts imported"),
        ],
        [_("Disclosed, of asked"), interval_text(total, "identification_rate"), ""],
        *counted(VIOLENCE_FORM_COUNTS),
        [
            _("Told about violence without being asked"),
            format_number(total.count("spontaneous_disclosures")),
            "",
        ],
        [_("Information, of asked"), interval_text(total, "info_rate"), ""],
        [_("Opportunities"), format_number(total.count("opportunities")), ""],
        [
            _("Indications, of on-indication contacts"),
            interval_text(total, "indication_rate"),
            "",
        ],
        [_("High risk"), format_number(total.count("high_risk")), ""],
        *counted(RISK_MARKER_COUNTS),
        [_("Immediate danger"), format_number(total.count("immediate_danger")), ""],
        *counted(DANGER_ACTION_COUNTS),
        [_("Children affected"), format_number(total.count("children_affected")), ""],
        [_("Child reports"), format_number(total.count("child_reports")), ""],
        [_("Child reports, of children affected"), interval_text(total, "child_report_rate"), ""],
        *[
            [_(title), format_number(total.count(name)), ""]
            for name, title in CHILD_DECISION_TITLES.items()
        ],
        [_("Sheltered housing"), format_number(total.count("sheltered_housing")), ""],
        [
            _("Follow-ups open / done"),
            f"{format_number(total.count('followups_open'))} / "
            f"{format_number(total.count('followups_done'))}",
            "",
        ],
        [
            _("Median time (s)"),
            cell_text(total.as_dict(), "median_duration_seconds"),
            "",
        ],
        [_("Total time (s)"), format_number(total.count("total_duration_seconds")), ""],
    ]
    note = purged_note(total.purged_records)
    return Table([_("Figure"), _("Value (95 % interval)"), ""], rows, note)


def group_table(result: StatsResult, small_count: int, *, medians: bool = True) -> Table:
    """One row per group; a per-handler table hides counts below ``small_count``.

    ``medians=False`` leaves out the median column (the dashboard does not load
    per-handler medians: they would double its loading time).
    """
    data = result.to_json(small_count=small_count)
    columns = [c for c in GROUP_COLUMNS if medians or c[0] != "median_duration_seconds"]
    header = [_(DIMENSION_NAMES[dim]) for dim in result.by]
    header += [_(title) for _name, title in columns]
    rows = []
    for block in data["groups"]:
        keys = [key_label(dim, block["key"][dim]) for dim in result.by]
        rows.append([*keys, *[cell_text(block, name) for name, _title in columns]])
    note = ""
    if result.per_handler:
        note = _("Counts below {threshold} are shown as {hidden}.").format(
            threshold=small_count, hidden=hidden_label(small_count)
        )
    return Table(header, rows, note)


def reasons_table(total: Metrics) -> Table:
    not_asked = total.count("opportunities") - total.count("asked")
    rows = []
    for reason in NotAskedReason:
        count = int(total.not_asked_by_reason.get(reason.value, 0))
        share = count / not_asked if not_asked else None
        rows.append([reason_label(reason), format_number(count), format_rate(share)])
    return Table([_("Reason"), _("Not asked"), _("Share of not asked")], rows)


def equality_table(result: EqualityResult) -> Table:
    """Asking where it was possible, with the opportunities blocked by the safety rules."""
    header = [
        _(DIMENSION_TITLES[result.dimension]),
        _("Routine asking"),
        _("Routine opportunities"),
        _("Routine, blocked"),
        _("Asking on indication"),
        _("Opportunities on indication"),
        _("On indication, blocked"),
    ]
    rows = [
        [
            group.label,
            interval_text(group.metrics, "routine_asking_rate"),
            format_number(group.metrics.count("routine_opportunities")),
            format_number(group.metrics.count("routine_blocked")),
            interval_text(group.metrics, "indication_asking_rate"),
            format_number(group.metrics.count("indication_opportunities")),
            format_number(group.metrics.count("indication_blocked")),
        ]
        for group in result.groups
    ]
    note = _(
        "Among the opportunities where asking was possible; those not asked because the "
        "safety rules block asking are shown beside them."
    )
    return Table(header, rows, " ".join([note, *(test.sentence for test in result.tests)]))
