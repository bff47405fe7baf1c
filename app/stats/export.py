"""Statistics as CSV (one row per group, for analysis) and as a readable text table.

Both start from the JSON form of a result (``StatsResult.to_json``), so what small-number
suppression hid there stays hidden here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from app.csv_dialects import csv_dialect
from app.i18n import N_, _, format_number, format_rate, ngettext
from app.stats.metrics import COUNTS, RATES, REASONS

CSV_METRIC_COLUMNS: tuple[str, ...] = (
    *COUNTS,
    "cases",
    *[column for rate in RATES for column in (rate, f"{rate}_ci_low", f"{rate}_ci_high")],
    *[f"not_asked_{reason}" for reason in REASONS],
    "median_duration_seconds",
    "purged_records",
)


def _flat(block: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {name: block[name] for name in COUNTS}
    row["cases"] = block["cases"]
    for rate in RATES:
        interval = block[f"{rate}_ci"]
        row[rate] = block[rate]
        row[f"{rate}_ci_low"] = interval[0] if interval else None
        row[f"{rate}_ci_high"] = interval[1] if interval else None
    for reason in REASONS:
        row[f"not_asked_{reason}"] = block["not_asked_by_reason"].get(reason, 0)
    row["median_duration_seconds"] = block["median_duration_seconds"]
    row["purged_records"] = block["purged_records"]
    return row


def csv_rows(data: dict[str, Any], by: Sequence[str]) -> tuple[list[str], list[list[Any]]]:
    """Header and rows: one row per group; without dimensions, one row with the total.

    Every metric column holds a number (int or float) or None (no value, or hidden); a
    count hidden by small-number suppression (``"<5"`` in the JSON) is None here, and
    the row's ``suppressed`` column says whether any of its figures is hidden."""
    header = [*by, "suppressed", *CSV_METRIC_COLUMNS]
    blocks = data["groups"] if by else [{"key": {}, **data["total"]}]
    rows = []
    for block in blocks:
        flat = _flat(block)
        values = [flat[name] for name in CSV_METRIC_COLUMNS]
        hidden = [isinstance(value, str) for value in values]
        rows.append(
            [
                *[block["key"][dim] for dim in by],
                any(hidden),
                *[None if gone else value for value, gone in zip(values, hidden, strict=True)],
            ]
        )
    return header, rows


def write_csv(
    out: IO[str], data: dict[str, Any], by: Sequence[str], dialect: str = "rfc4180"
) -> None:
    """The statistics as CSV (:func:`csv_rows`) in ``dialect`` (``rfc4180`` or ``excel``:
    see :mod:`app.csv_dialects`): numbers in number columns, true/false, empty for None."""
    chosen = csv_dialect(dialect)
    header, rows = csv_rows(data, by)
    writer = chosen.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [
                ""
                if value is None
                else ("true" if value else "false")
                if isinstance(value, bool)
                else chosen.decimal(value)
                if isinstance(value, float)
                else value
                for value in row
            ]
        )


_TABLE_COLUMNS = (
    ("opportunities", N_("Opportunities")),
    ("coverage_rate", N_("Coverage, of cases")),
    ("routine_asking_rate", N_("Routine asking")),
    ("indication_asking_rate", N_("Asking on indication")),
    ("indication_rate", N_("Indications, of on-indication contacts")),
    ("identification_rate", N_("Disclosed, of asked")),
    ("info_rate", N_("Information, of asked")),
    ("child_reports", N_("Child reports")),
    ("sheltered_housing", N_("Sheltered housing")),
    ("median_duration_seconds", N_("Median time (s)")),
    ("total_duration_seconds", N_("Total time (s)")),
)


def cell_text(block: dict[str, Any], name: str) -> str:
    """One figure as shown to people: counts with Babel, rates as "12.5 % (3/24)"."""
    value = block[name]
    if name in RATES:
        numerator, denominator = RATES[name]
        if block[denominator] is None:  # no case counts: no coverage
            return "–"
        counts = f"{_count_text(block[numerator])}/{_count_text(block[denominator])}"
        return f"{format_rate(value)} ({counts})"
    if name == "median_duration_seconds":
        return "–" if value is None else format_number(round(float(value)))
    return _count_text(value)


def _count_text(value: Any) -> str:
    if value is None:  # no case counts; a hidden total duration
        return "–"
    return value if isinstance(value, str) else format_number(int(value))


def format_table(
    data: dict[str, Any], by: Sequence[str], labels: dict[str, str] | None = None
) -> str:
    """A plain-text table: a line per group, then the total."""
    titles = [labels.get(dim, dim) if labels else dim for dim in by]
    header = [*titles, *[_(title) for _name, title in _TABLE_COLUMNS]]
    lines = []
    for block in data["groups"]:
        keys = [str(block["key"][dim]) for dim in by]
        lines.append([*keys, *[cell_text(block, name) for name, _title in _TABLE_COLUMNS]])
    total_keys = [_("Total")] + [""] * (len(by) - 1) if by else []
    lines.append([*total_keys, *[cell_text(data["total"], name) for name, _t in _TABLE_COLUMNS]])
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    rendered = []
    for row in [header, *lines]:
        cells = [
            text.ljust(width) if i < len(by) else text.rjust(width)
            for i, (text, width) in enumerate(zip(row, widths, strict=True))
        ]
        rendered.append("  ".join(cells).rstrip())
    rendered.insert(1, "  ".join("-" * width for width in widths))
    note = purged_note(data["total"]["purged_records"])
    return "\n".join([*rendered, *([note] if note else [])]) + "\n"


def purged_note(purged: int) -> str:
    """What to know when records deleted by retention are among those counted."""
    if not purged:
        return ""
    return ngettext(
        "{count} record of a purged month is counted from the monthly totals kept at "
        "deletion; medians cover stored records only.",
        "{count} records of purged months are counted from the monthly totals kept at "
        "deletion; medians cover stored records only.",
        purged,
    ).format(count=format_number(purged))
