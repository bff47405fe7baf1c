"""The dashboard's charts as matplotlib figures (no pyplot, no Qt: usable in a worker
thread, on screen through the Qt canvas, and in the PDF report).

Import this module only when charts are needed: matplotlib takes a while to load.
"""

from __future__ import annotations

import textwrap
from typing import Any

from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from app.i18n import _, format_rate
from app.screening.enums import NotAskedReason
from app.screening.labels import benefit_label, reason_label
from app.stats.dashboard_data import DashboardData
from app.stats.equality import DIMENSION_TITLES, EqualityResult
from app.stats.metrics import ROUTINE_ASKING_GOAL, Metrics

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


def _errors(metrics: list[Metrics], rate: str) -> tuple[list[float], list[list[float]]]:
    """Rates (0 where there is none) and their asymmetric Wilson error bars."""
    values, below, above = [], [], []
    for item in metrics:
        value, interval = item.rate(rate), item.interval(rate)
        values.append(value or 0.0)
        below.append(value - interval[0] if value is not None and interval else 0.0)
        above.append(interval[1] - value if value is not None and interval else 0.0)
    return values, [below, above]


def new_figure() -> Figure:
    return Figure(figsize=SIZE, layout="constrained")


def trend_figure(data: DashboardData, figure: Any = None) -> Any:
    """Asking rates per month, with their 95 % intervals, against the goal."""
    figure = figure if figure is not None else new_figure()
    axes = figure.add_subplot()
    months = [group.key["month"] for group in data.by_month.groups]
    metrics = [group.metrics for group in data.by_month.groups]
    for rate, colour, label in (
        ("routine_asking_rate", ROUTINE_COLOUR, _("Routine asking")),
        ("indication_asking_rate", INDICATION_COLOUR, _("Asking on indication")),
    ):
        points = [(m, g.rate(rate), g.interval(rate)) for m, g in zip(months, metrics, strict=True)]
        shown = [(m, r, i) for m, r, i in points if r is not None and i is not None]
        if shown:
            xs = [m for m, _r, _i in shown]
            axes.plot(xs, [r for _m, r, _i in shown], marker="o", color=colour, label=label)
            axes.fill_between(
                xs, [i[0] for *_p, i in shown], [i[1] for *_p, i in shown], color=colour, alpha=0.15
            )
    _goal(axes)
    _rate_axis(axes)
    axes.set_title(_("Asking rate per month"))
    axes.tick_params(axis="x", labelrotation=45)
    _legend(figure, axes)
    if not months:
        axes.text(0.5, 0.5, _("No records in this period"), ha="center", transform=axes.transAxes)
    return figure


def benefit_figure(data: DashboardData, figure: Any = None) -> Any:
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
        values, errors = _errors(metrics, rate)
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


def reasons_figure(total: Metrics, figure: Any = None) -> Any:
    """Why the question was not asked: counts per reason."""
    figure = figure if figure is not None else new_figure()
    axes = figure.add_subplot()
    reasons = [reason for reason in NotAskedReason if total.not_asked_by_reason.get(reason.value)]
    counts = [total.not_asked_by_reason[reason.value] for reason in reasons]
    axes.barh([reason_label(reason) for reason in reasons], counts, color=ROUTINE_COLOUR)
    axes.invert_yaxis()
    axes.set_title(_("Reasons the question was not asked"))
    axes.grid(axis="x", alpha=0.3)
    if not reasons:
        axes.text(0.5, 0.5, _("Every opportunity was asked"), ha="center", transform=axes.transAxes)
    return figure


def equality_figure(result: EqualityResult, figure: Any = None) -> Any:
    """Asking rates side by side for the groups of one equality dimension."""
    figure = figure if figure is not None else new_figure()
    axes = figure.add_subplot()
    positions = list(range(len(result.groups)))
    metrics = [group.metrics for group in result.groups]
    for offset, rate, colour, label in (
        (-0.2, "routine_asking_rate", ROUTINE_COLOUR, _("Routine asking")),
        (0.2, "indication_asking_rate", INDICATION_COLOUR, _("Asking on indication")),
    ):
        values, errors = _errors(metrics, rate)
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
