"""The dashboard's tables as translated text: the same cells on screen and in the PDF.

Every table hides small counts the same way (:mod:`app.stats.suppression`): a count
below the threshold is shown as ``"<N>"``, and a rate, share or time that would give
such a count back is not shown. :class:`Shown` is the one place that applies the rule.
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
from app.stats.suppression import hidden_label, is_small, suppress

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


class Shown:
    """One block of figures as every table shows it: counts below ``small_count`` hidden
    (``"<5"``), and a rate whose numerator or denominator is hidden not shown."""

    def __init__(self, metrics: Metrics, small_count: int) -> None:
        self.metrics = metrics
        self.small_count = small_count
        self.block = suppress(metrics.as_dict(), small_count)

    def count(self, name: str) -> str:
        return cell_text(self.block, name)

    def interval(self, rate: str) -> str:
        """``"50.4 % (50.3–50.5 %)"``, or an en dash when there is none or it is hidden."""
        return "–" if self.block[rate] is None else interval_text(self.metrics, rate)

    def hidden(self, count: int) -> bool:
        return is_small(count, self.small_count)

    def number(self, count: int) -> str:
        """Any other count of records (a reason's), hidden the same way."""
        return hidden_label(self.small_count) if self.hidden(count) else format_number(count)


def hidden_note(small_count: int) -> str:
    """What a table says under it, when its threshold can hide anything."""
    if small_count <= 1:
        return ""
    return _("Counts below {threshold} are shown as {hidden}.").format(
        threshold=small_count, hidden=hidden_label(small_count)
    )


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


def _item_rows(total: Shown, names: dict[str, str]) -> list[list[str]]:
    """A row per count of a list's items: title, count, nothing to compare with."""
    titles = list_count_titles()
    return [[titles[name], total.count(name), ""] for name in names.values()]


def items_table(metrics: Metrics, small_count: int) -> Table:
    """The counts of every violence form, risk marker and danger action (the PDF gives
    them a page of their own: the first page has no room for them)."""
    total = Shown(metrics, small_count)
    rows = [
        row[:2]  # no goal to compare with: no third column
        for names in (VIOLENCE_FORM_COUNTS, RISK_MARKER_COUNTS, DANGER_ACTION_COUNTS)
        for row in _item_rows(total, names)
    ]
    return Table([_("Figure"), _("Records")], rows, hidden_note(small_count))


def summary_table(metrics: Metrics, small_count: int, *, items: bool = True) -> Table:
    """The key figures against the goal; with ``items``, the counts of every violence
    form, risk marker and danger action beside the figure they detail."""
    total = Shown(metrics, small_count)

    def counted(names: dict[str, str]) -> list[list[str]]:
        return _item_rows(total, names) if items else []

    rows = [
        [
            _("Routine asking"),
            total.interval("routine_asking_rate"),
            _("goal {goal}").format(goal=format_rate(ROUTINE_ASKING_GOAL)),
        ],
        [_("Asking on indication"), total.interval("indication_asking_rate"), ""],
        [
            _("Coverage, of cases"),
            total.interval("coverage_rate") if metrics.cases is not None else "–",
            _("cases {count}").format(count=format_number(metrics.cases))
            if metrics.cases is not None
            else _("no case counts imported"),
        ],
        [_("Disclosed, of asked"), total.interval("identification_rate"), ""],
        *counted(VIOLENCE_FORM_COUNTS),
        [
            _("Told about violence without being asked"),
            total.count("spontaneous_disclosures"),
            "",
        ],
        [_("Information, of asked"), total.interval("info_rate"), ""],
        [_("Opportunities"), total.count("opportunities"), ""],
        [
            _("Indications, of on-indication contacts"),
            total.interval("indication_rate"),
            "",
        ],
        [_("High risk"), total.count("high_risk"), ""],
        *counted(RISK_MARKER_COUNTS),
        [_("Immediate danger"), total.count("immediate_danger"), ""],
        *counted(DANGER_ACTION_COUNTS),
        [_("Children affected"), total.count("children_affected"), ""],
        [_("Child reports"), total.count("child_reports"), ""],
        [_("Child reports, of children affected"), total.interval("child_report_rate"), ""],
        *[[_(title), total.count(name), ""] for name, title in CHILD_DECISION_TITLES.items()],
        [_("Sheltered housing"), total.count("sheltered_housing"), ""],
        [
            _("Follow-ups open / done"),
            f"{total.count('followups_open')} / {total.count('followups_done')}",
            "",
        ],
        [
            _("Median time (s)"),
            total.count("median_duration_seconds"),
            "",
        ],
        [_("Total time (s)"), total.count("total_duration_seconds"), ""],
    ]
    note = " ".join(filter(None, [purged_note(metrics.purged_records), hidden_note(small_count)]))
    return Table([_("Figure"), _("Value (95 % interval)"), ""], rows, note)


def group_table(result: StatsResult, small_count: int, *, medians: bool = True) -> Table:
    """One row per group, counts below ``small_count`` hidden.

    ``medians=False`` leaves out the median column (the dashboard does not load
    per-handler medians: they would double its loading time).
    """
    columns = [c for c in GROUP_COLUMNS if medians or c[0] != "median_duration_seconds"]
    header = [_(DIMENSION_NAMES[dim]) for dim in result.by]
    header += [_(title) for _name, title in columns]
    rows = []
    for group in result.groups:
        shown = Shown(group.metrics, small_count)
        keys = [key_label(dim, group.key[dim]) for dim in result.by]
        rows.append([*keys, *[shown.count(name) for name, _title in columns]])
    return Table(header, rows, hidden_note(small_count))


def reasons_table(total: Metrics, small_count: int) -> Table:
    """Each reason's count and share of those not asked (a hidden count hides its share)."""
    shown = Shown(total, small_count)
    not_asked = total.count("opportunities") - total.count("asked")
    rows = []
    for reason in NotAskedReason:
        count = int(total.not_asked_by_reason.get(reason.value, 0))
        share = count / not_asked if not_asked and not shown.hidden(count) else None
        rows.append([reason_label(reason), shown.number(count), format_rate(share)])
    header = [_("Reason"), _("Not asked"), _("Share of not asked")]
    return Table(header, rows, hidden_note(small_count))


def equality_table(result: EqualityResult, small_count: int) -> Table:
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
    rows = []
    for group in result.groups:
        shown = Shown(group.metrics, small_count)
        rows.append(
            [
                group.label,
                shown.interval("routine_asking_rate"),
                shown.count("routine_opportunities"),
                shown.count("routine_blocked"),
                shown.interval("indication_asking_rate"),
                shown.count("indication_opportunities"),
                shown.count("indication_blocked"),
            ]
        )
    note = _(
        "Among the opportunities where asking was possible; those not asked because the "
        "safety rules block asking are shown beside them."
    )
    sentences = [note, *(test.sentence for test in result.tests), hidden_note(small_count)]
    return Table(header, rows, " ".join(filter(None, sentences)))
