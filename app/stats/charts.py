"""The dashboard's charts as matplotlib figures (no pyplot, no Qt: usable in a worker
thread, on screen through the Qt canvas, and in the PDF report).

Import this module only when charts are needed: matplotlib takes a while to load.
"""

from __future__ import annotations

import math
import textwrap
from datetime import date
from typing import Any

from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from app.i18n import _, format_rate
from app.screening.enums import NotAskedReason
from app.screening.labels import benefit_label, reason_label
from app.stats.dashboard_data import DashboardData
from app.stats.equality import DIMENSION_TITLES, EqualityResult
from app.stats.metrics import RATES, ROUTINE_ASKING_GOAL, Metrics
from app.stats.suppression import is_small

SIZE = (7.0, 3.4)
ROUTINE_COLOUR = "#1f5f8b"
INDICATION_COLOUR = "#c2571a"
GOAL_COLOUR = "#2e7d32"


def _rate_axis(axes: Any) -> None:
    axes.set_ylim(0, 1.05)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.grid(axis="y", alpha=0.3)


def _goal(axes: Any, horizontal: bool = True) -> None:
    label = _("Goal for routine asking: {goal}").format(goal=format_rate(ROUTINE_ASKING_GOAL))
    if horizontal:
        axes.axhline(ROUTINE_ASKING_GOAL, color=GOAL_COLOUR, linestyle="--", label=label)
    else:
        axes.axvline(ROUTINE_ASKING_GOAL, color=GOAL_COLOUR, linestyle="--", label=label)


def _legend(figure: Any, axes: Any) -> None:
    handles, labels = axes.get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncols=3, fontsize="small")


def shown_rate(
    metrics: Metrics, rate: str, small_count: int
) -> tuple[float, tuple[float, float]] | None:
    """A rate and its interval as a chart shows them: none for 0/0, nor when its
    numerator or denominator is a hidden small count (the tables hide it too)."""
    value, interval = metrics.rate(rate), metrics.interval(rate)
    if value is None or interval is None:
        return None
    if any(is_small(metrics.count(name), small_count) for name in RATES[rate]):
        return None
    return value, interval


def _errors(
    metrics: list[Metrics], rate: str, small_count: int
) -> tuple[list[float], list[list[float]]]:
    """Rates (NaN where there is none: no bar) and their asymmetric Wilson error bars."""
    values, below, above = [], [], []
    for item in metrics:
        shown = shown_rate(item, rate, small_count)
        value, (low, high) = shown if shown is not None else (math.nan, (math.nan, math.nan))
        values.append(value)
        below.append(value - low)
        above.append(high - value)
    return values, [below, above]


def months_between(first: date, last: date) -> list[str]:
    """Every month from ``first``'s to ``last``'s, as ``"YYYY-MM"``."""
    months = []
    number, end = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    while number <= end:
        months.append(f"{number // 12:04d}-{number % 12 + 1:02d}")
        number += 1
    return months


def new_figure() -> Figure:
    return Figure(figsize=SIZE, layout="constrained")


def trend_figure(data: DashboardData, figure: Any = None, *, small_count: int) -> Any:
    """Asking rates per month, with their 95 % intervals, against the goal. A month
    without a rate (0 of 0, or hidden small counts) is a gap in the line, not a point
    the line is drawn through."""
    figure = figure if figure is not None else new_figure()
    axes = figure.add_subplot()
    by_month = {group.key["month"]: group.metrics for group in data.by_month.groups}
    months = sorted(by_month)
    first, last = data.filter.date_from, data.filter.date_to
    if months and first is not None and last is not None:
        months = sorted({*months, *months_between(first, last)})
    for rate, colour, label in (
        ("routine_asking_rate", ROUTINE_COLOUR, _("Routine asking")),
        ("indication_asking_rate", INDICATION_COLOUR, _("Asking on indication")),
    ):
        points = [
            shown_rate(by_month[month], rate, small_count) if month in by_month else None
            for month in months
        ]
        if any(point is not None for point in points):
            gap = (math.nan, (math.nan, math.nan))
            values = [(point or gap)[0] for point in points]
            intervals = [(point or gap)[1] for point in points]
            axes.plot(months, values, marker="o", color=colour, label=label)
            lows, highs = [i[0] for i in intervals], [i[1] for i in intervals]
            axes.fill_between(months, lows, highs, color=colour, alpha=0.15)
    _goal(axes)
    _rate_axis(axes)
    axes.set_title(_("Asking rate per month"))
    axes.tick_params(axis="x", labelrotation=45)
    _legend(figure, axes)
    if not months:
        axes.text(0.5, 0.5, _("No records in this period"), ha="center", transform=axes.transAxes)
    return figure


def benefit_figure(data: DashboardData, figure: Any = None, *, small_count: int) -> Any:
    """Asking rates per benefit (routine and on indication) with intervals."""
    figure = figure if figure is not None else new_figure()
    axes = figure.add_subplot()
    groups = data.by_benefit.groups
    names = [textwrap.fill(benefit_label(group.key["benefit"]), 22) for group in groups]
    positions = list(range(len(groups)))
    metrics = [group.metrics for group in groups]
    for offset, rate, colour, label in (
        (-0.2, "routine_asking_rate", ROUTINE_COLOUR, _("Routine asking")),
        (0.2, "indication_asking_rate", INDICATION_COLOUR, _("Asking on indication")),
    ):
        values, errors = _errors(metrics, rate, small_count)
        axes.barh(
            [p + offset for p in positions],
            values,
            height=0.4,
            xerr=errors,
            color=colour,
            label=label,
            capsize=3,
        )
    axes.set_yticks(positions, names)
    axes.invert_yaxis()
    _goal(axes, horizontal=False)
    axes.set_xlim(0, 1.05)
    axes.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.set_title(_("Asking rate per benefit"))
    _legend(figure, axes)
    return figure


def reasons_figure(total: Metrics, figure: Any = None, *, small_count: int) -> Any:
    """Why the question was not asked: counts per reason (a small count is left out, as
    the tables hide it)."""
    figure = figure if figure is not None else new_figure()
    axes = figure.add_subplot()
    counted = {reason: total.not_asked_by_reason.get(reason.value, 0) for reason in NotAskedReason}
    reasons = [reason for reason, count in counted.items() if count >= max(small_count, 1)]
    counts = [counted[reason] for reason in reasons]
    axes.barh([reason_label(reason) for reason in reasons], counts, color=ROUTINE_COLOUR)
    axes.invert_yaxis()
    axes.set_title(_("Reasons the question was not asked"))
    axes.grid(axis="x", alpha=0.3)
    if not reasons:
        empty = (
            _("Every opportunity was asked")
            if not any(counted.values())
            else _("Too few not asked to show")
        )
        axes.text(0.5, 0.5, empty, ha="center", transform=axes.transAxes)
    return figure


def equality_figure(result: EqualityResult, figure: Any = None, *, small_count: int) -> Any:
    """Asking rates side by side for the groups of one equality dimension."""
    figure = figure if figure is not None else new_figure()
    axes = figure.add_subplot()
    positions = list(range(len(result.groups)))
    metrics = [group.metrics for group in result.groups]
    for offset, rate, colour, label in (
        (-0.2, "routine_asking_rate", ROUTINE_COLOUR, _("Routine asking")),
        (0.2, "indication_asking_rate", INDICATION_COLOUR, _("Asking on indication")),
    ):
        values, errors = _errors(metrics, rate, small_count)
        axes.bar(
            [p + offset for p in positions],
            values,
            width=0.4,
            yerr=errors,
            color=colour,
            label=label,
            capsize=3,
        )
    axes.set_xticks(positions, [group.label for group in result.groups])
    _goal(axes)
    _rate_axis(axes)
    axes.set_title(_("Asking rate by {dimension}").format(dimension=dimension_title(result)))
    _legend(figure, axes)
    return figure


def dimension_title(result: EqualityResult) -> str:
    return _(DIMENSION_TITLES[result.dimension]).lower()
