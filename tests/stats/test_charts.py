"""The charts: what they plot (the numbers behind the lines and bars)."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import pytest

from app.i18n import set_language
from app.stats.charts import benefit_figure, equality_figure, reasons_figure, trend_figure
from app.stats.dashboard_data import DashboardData
from app.stats.filters import StatsFilter


def test_trend_plots_monthly_rates_against_the_goal(dashboard_data: DashboardData) -> None:
    axes = trend_figure(dashboard_data, small_count=1).axes[0]
    routine, indication, goal = axes.get_lines()
    assert list(routine.get_xdata()) == ["2026-03", "2026-04"]
    assert list(routine.get_ydata()) == [0.5, 1.0]  # 2 of 4 in March, 1 of 1 in April
    # April has no on-indication opportunity (0 of 0): a gap in the line, not a point
    assert list(indication.get_xdata()) == ["2026-03", "2026-04"]
    assert indication.get_ydata()[0] == 0.5
    assert math.isnan(indication.get_ydata()[1])
    assert list(goal.get_ydata()) == [1.0, 1.0]


def test_benefits_and_equality_bars_are_the_rates(dashboard_data: DashboardData) -> None:
    bars = benefit_figure(dashboard_data, small_count=1).axes[0].patches
    assert [bar.get_width() for bar in bars[:2]] == [1.0, 0.5]  # routine: maintenance, sickness
    sex = equality_figure(dashboard_data.equality[0], small_count=1).axes[0].patches
    # where asking was possible: women R1 R8 (R3 not alone is blocked), men R2 of R2 R4
    assert [bar.get_height() for bar in sex[:2]] == pytest.approx([1.0, 1 / 2])


def test_reasons_count_each_reason_given(dashboard_data: DashboardData) -> None:
    axes = reasons_figure(dashboard_data.total, small_count=1).axes[0]
    assert sorted(bar.get_width() for bar in axes.patches) == [1, 1, 1, 1]


def test_months_without_records_in_the_period_are_gaps(dashboard_data: DashboardData) -> None:
    """The dashboard's period spans February to May: the line has a point for every
    month, NaN (no line drawn) in February and May, which have no records."""
    period = replace(dashboard_data, filter=StatsFilter(date(2026, 2, 1), date(2026, 5, 31)))
    routine = trend_figure(period, small_count=1).axes[0].get_lines()[0]
    assert list(routine.get_xdata()) == ["2026-02", "2026-03", "2026-04", "2026-05"]
    ys = list(routine.get_ydata())
    assert math.isnan(ys[0])
    assert math.isnan(ys[3])
    assert ys[1:3] == [0.5, 1.0]


def test_charts_leave_out_what_the_tables_hide(dashboard_data: DashboardData) -> None:
    """With the threshold at 5, no rate of this small data set is shown (each rests on a
    count below 5) and no reason is drawn (each was given once)."""
    set_language("en")
    lines = trend_figure(dashboard_data, small_count=5).axes[0].get_lines()
    assert [list(line.get_ydata()) for line in lines] == [[1.0, 1.0]]  # the goal alone
    bars = benefit_figure(dashboard_data, small_count=5).axes[0].patches
    assert all(math.isnan(bar.get_width()) for bar in bars)
    axes = reasons_figure(dashboard_data.total, small_count=5).axes[0]
    assert len(axes.patches) == 0
    assert axes.texts[0].get_text() == "Too few not asked to show"
