"""The charts: what they plot (the numbers behind the lines and bars)."""

from __future__ import annotations

import pytest

from app.stats.charts import benefit_figure, equality_figure, reasons_figure, trend_figure
from app.stats.dashboard_data import DashboardData


def test_trend_plots_monthly_rates_against_the_goal(dashboard_data: DashboardData) -> None:
    axes = trend_figure(dashboard_data).axes[0]
    routine, indication, goal = axes.get_lines()
    assert list(routine.get_xdata()) == ["2026-03", "2026-04"]
    assert list(routine.get_ydata()) == [0.5, 1.0]  # 2 of 4 in March, 1 of 1 in April
    assert list(indication.get_ydata()) == [0.5]  # April has no on-indication opportunity
    assert list(goal.get_ydata()) == [1.0, 1.0]


def test_benefits_and_equality_bars_are_the_rates(dashboard_data: DashboardData) -> None:
    bars = benefit_figure(dashboard_data).axes[0].patches
    assert [bar.get_width() for bar in bars[:2]] == [1.0, 0.5]  # routine: maintenance, sickness
    sex = equality_figure(dashboard_data.equality[0]).axes[0].patches
    # where asking was possible: women R1 R8 (R3 not alone is blocked), men R2 of R2 R4
    assert [bar.get_height() for bar in sex[:2]] == pytest.approx([1.0, 1 / 2])


def test_reasons_count_each_reason_given(dashboard_data: DashboardData) -> None:
    axes = reasons_figure(dashboard_data.total).axes[0]
    assert sorted(bar.get_width() for bar in axes.patches) == [1, 1, 1, 1]
