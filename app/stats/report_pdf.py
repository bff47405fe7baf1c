"""The dashboard as a PDF report: a document, in the interface language (Swedish by
default), made with fpdf2. Per-handler counts are suppressed as on screen.

The summary comes first; the sections follow on from each other (a new page only where
a table or chart would not fit), on A4 landscape (the tables per month, benefit and
handler have ten columns), tables in 9 pt and text in 10 pt, in DejaVu Sans (the
TrueType font matplotlib ships) embedded as a subset, the charts as images at their own
size (their text 9 pt and more) with a text alternative.

fpdf2 rather than ReportLab: both are well kept; fpdf2 embeds TrueType subsets, writes
the document's language and title, bookmarks each section and tags the images and
headings in a structure tree (``/MarkInfo``, ``/StructTreeRoot``), while ReportLab's
open-source edition tags nothing. fpdf2's tagging stops there: table cells and
paragraphs are not tagged.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.files import partial_file
from app.i18n import _, current_language, format_date, format_datetime
from app.stats.dashboard_data import DashboardData
from app.stats.equality import DIMENSION_TITLES
from app.stats.report_tables import (
    Table,
    equality_table,
    group_table,
    items_table,
    reasons_table,
    summary_table,
)

FONT = "DejaVuSans"
BODY_PT = 10
TABLE_PT = 9  # the smallest type in the report
TITLE_PT = 18
HEADING_PT = 13
CHART_DPI = 150
CHART_FONT_PT = 11  # the charts' smallest text ("small": legends) is then 9 pt
MM_PER_INCH = 25.4
# Below this much room (mm) under a heading, it goes to the next page with its table.
KEEP_WITH_TABLE_MM = 30

Progress = Callable[[int, int], None]


def period_text(data: DashboardData) -> str:
    flt = data.filter
    start = format_date(flt.date_from, "long") if flt.date_from else _("the first record")
    end = format_date(flt.date_to, "long") if flt.date_to else _("the last record")
    teams = ", ".join(flt.teams) if flt.teams is not None else _("all teams")
    return _("Period: {start} to {end}. Teams: {teams}.").format(start=start, end=end, teams=teams)


def _font_files() -> tuple[Path, Path]:
    """DejaVu Sans and its bold, as matplotlib ships them (a free TrueType font)."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"


def _document() -> Any:
    from fpdf import FPDF
    from fpdf.fonts import TextStyle

    class Report(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FONT, size=TABLE_PT)
            text = _("Page {page} of {pages}").format(page=self.page_no(), pages="{nb}")
            self.cell(0, 6, text, align="C")

    pdf = Report(orientation="landscape", format="A4", unit="mm")
    regular, bold = _font_files()
    pdf.add_font(FONT, "", str(regular))
    pdf.add_font(FONT, "B", str(bold))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    title = _("Asking about violence: statistics")
    pdf.set_title(title)
    pdf.set_lang(current_language())
    pdf.set_creator("")
    pdf.set_section_title_styles(
        TextStyle(font_family=FONT, font_style="B", font_size_pt=HEADING_PT, t_margin=4, b_margin=2)
    )
    pdf.add_page()
    pdf.set_font(FONT, "B", TITLE_PT)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    return pdf


def _text(pdf: Any, text: str, size: int = BODY_PT) -> None:
    pdf.set_font(FONT, "", size)
    pdf.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def _section(pdf: Any, title: str, chart: Any = None) -> None:
    """A heading, on the next page when what follows it (its chart, or the start of its
    table) would not fit under it."""
    keep = KEEP_WITH_TABLE_MM + (_chart_height(chart) if chart is not None else 0)
    if pdf.will_page_break(keep):
        pdf.add_page()
    pdf.start_section(title)


def _table(pdf: Any, table: Table) -> None:
    """A table across the page: the header bold and repeated on every page it spans, the
    first column left-aligned, the figures right-aligned."""
    from fpdf.fonts import FontFace

    pdf.set_font(FONT, "", TABLE_PT)
    if not table.rows:
        _text(pdf, _("No records in this period"))
        return
    # Each column as wide as its longest cell or its header's longest word: words whole.
    lengths = [
        max([*map(len, table.header[i].split()), *[len(row[i]) for row in table.rows]]) + 2
        for i in range(len(table.header))
    ]
    aligns = ["LEFT", *["RIGHT"] * (len(table.header) - 1)]
    with pdf.table(
        col_widths=lengths,
        text_align=aligns,
        line_height=TABLE_PT * 0.5,
        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 236, 242)),
        repeat_headings=1,
        padding=1,
    ) as drawn:
        for cells in [table.header, *table.rows]:
            row = drawn.row()
            for cell in cells:
                row.cell(cell)
    pdf.ln(2)
    if table.note:
        _text(pdf, table.note, TABLE_PT)


def _chart_height(figure: Any) -> float:
    """How tall a chart is on the page: at its own size, so its type keeps its size."""
    return float(figure.get_size_inches()[1] * MM_PER_INCH)


def _chart(pdf: Any, figure: Any) -> None:
    """A matplotlib figure as an image, centred, with its title as the text alternative
    (the figures it draws are in the table beside it)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=CHART_DPI)
    height = _chart_height(figure)
    if pdf.will_page_break(height):
        pdf.add_page()
    titles = [axes.get_title() for axes in figure.axes if axes.get_title()]
    alt = _("Chart: {title}. Its figures are in the table.").format(title=" ".join(titles))
    width = float(figure.get_size_inches()[0] * MM_PER_INCH)
    pdf.image(buffer, x="C", w=width, h=height, alt_text=alt)
    pdf.ln(2)


def _parts(data: DashboardData, small_count: int) -> list[Callable[[Any], None]]:
    """The report's parts in order, each drawing on the document."""
    from app.stats.charts import (
        benefit_figure,
        equality_figure,
        new_figure,
        reasons_figure,
        trend_figure,
    )

    def summary(pdf: Any) -> None:
        _text(pdf, period_text(data))
        made = format_datetime(datetime.now(UTC))
        _text(pdf, _("Made {when}.").format(when=made), TABLE_PT)
        _section(pdf, _("Summary"))
        _table(pdf, summary_table(data.total, small_count, items=False))

    def trend(pdf: Any) -> None:
        _chart(pdf, trend_figure(data, new_figure(), small_count=small_count))

    def items(pdf: Any) -> None:
        _section(pdf, _("Violence forms, risk markers and danger actions"))
        _table(pdf, items_table(data.total, small_count))

    def benefits(pdf: Any) -> None:
        chart = benefit_figure(data, new_figure(), small_count=small_count)
        _section(pdf, _("Per benefit"), chart)
        _chart(pdf, chart)
        _table(pdf, group_table(data.by_benefit, small_count))

    def months(pdf: Any) -> None:
        _section(pdf, _("Per month"))
        _table(pdf, group_table(data.by_month, small_count))

    def reasons(pdf: Any) -> None:
        chart = reasons_figure(data.total, new_figure(), small_count=small_count)
        _section(pdf, _("Reasons not asked"), chart)
        _chart(pdf, chart)
        _table(pdf, reasons_table(data.total, small_count))

    def handlers(pdf: Any) -> None:
        _section(pdf, _("Per handler"))
        _table(pdf, group_table(data.by_handler, small_count, medians=False))

    def equality(result: Any) -> Callable[[Any], None]:
        def draw(pdf: Any) -> None:
            chart = equality_figure(result, new_figure(), small_count=small_count)
            title = _(DIMENSION_TITLES[result.dimension])
            _section(pdf, _("Equality: {dimension}").format(dimension=title), chart)
            _chart(pdf, chart)
            _table(pdf, equality_table(result, small_count))

        return draw

    return [
        summary,
        trend,
        items,
        benefits,
        months,
        reasons,
        handlers,
        *[equality(result) for result in data.equality],
    ]


def pdf_bytes(data: DashboardData, small_count: int, progress: Progress | None = None) -> bytes:
    """The report as PDF. ``progress(done, total)`` is called after each part (it may
    raise to stop: nothing is made then)."""
    import matplotlib

    pdf = _document()
    parts = _parts(data, small_count)
    try:
        with matplotlib.rc_context({"font.size": CHART_FONT_PT}):
            for done, draw in enumerate(parts, start=1):
                draw(pdf)
                if progress is not None:
                    progress(done, len(parts))
        return bytes(pdf.output())
    finally:
        for font in pdf.fonts.values():  # fpdf2 leaves the font files open
            if hasattr(font, "close"):
                font.close()


def write_pdf(
    target: Path, data: DashboardData, small_count: int, progress: Progress | None = None
) -> None:
    """Write the report to ``target`` (through a temporary file: never half a report)."""
    written = pdf_bytes(data, small_count, progress)
    with partial_file(target) as partial:
        partial.write_bytes(written)
