"""Small numbers: counts below a threshold are shown as ``"<N>"``.

Where it applies (the threshold is the ``stats_small_count_threshold`` policy and
setting, default 5):

- every table of the statistics screen and of its PDF report, and the XLSX summary
  (:class:`app.stats.report_tables.Shown`), and the charts, which leave out a rate or a
  reason count the tables hide (:mod:`app.stats.charts`);
- ``vagafraga stats --by ...handler...`` in every format (JSON, table, CSV), for each
  group's counts; the ``total`` is the team's figure, not a handler's, and is not hidden;
  likewise the per-handler sheet and CSV of the dashboard's exports.

What is hidden: every count ``c`` with ``0 < c < threshold`` (a zero describes no client
and stays visible, so a handler who never asks still shows as 0), each reason count and
the count of purged records likewise, a rate and its interval when its numerator or
denominator is hidden (the rate would give the count back), and the median and total
duration when ``asked`` is hidden.
"""

from __future__ import annotations

from typing import Any

from app.stats.metrics import COUNTS, RATES


def hidden_label(threshold: int) -> str:
    return f"<{threshold}"


def is_small(count: int, threshold: int) -> bool:
    return 0 < count < threshold


def suppress(block: dict[str, Any], threshold: int) -> dict[str, Any]:
    """A copy of a metrics block (``Metrics.as_dict()``) with its small counts hidden."""
    label = hidden_label(threshold)
    out = dict(block)
    small = {name for name in COUNTS if is_small(int(block[name]), threshold)}
    for name in small:
        out[name] = label
    for rate, (numerator, denominator) in RATES.items():
        if numerator in small or denominator in small:
            out[rate] = None
            out[f"{rate}_ci"] = None
    out["not_asked_by_reason"] = {
        reason: label if is_small(count, threshold) else count
        for reason, count in block["not_asked_by_reason"].items()
    }
    if "asked" in small:
        out["median_duration_seconds"] = None
        out["total_duration_seconds"] = None
    if is_small(int(block["purged_records"]), threshold):
        out["purged_records"] = label
    return out
