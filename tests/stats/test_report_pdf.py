"""The PDF report: read back with pypdf (issue 18: a proper document)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.i18n import set_language
from app.stats.dashboard_data import DashboardData, load_dashboard
from app.stats.filters import StatsFilter
from app.stats.report_pdf import TABLE_PT, write_pdf
from app.storage.store import Store


def _fonts(reader: PdfReader) -> list[dict]:  # type: ignore[type-arg]
    """Every font resource of every page, its descendant for a composite (Type0) font."""
    found = []
    for page in reader.pages:
        for reference in page["/Resources"]["/Font"].values():
            font = reference.get_object()
            if font["/Subtype"] == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            found.append(font)
    return found


def _sizes(reader: PdfReader) -> set[float]:
    """Every font size set in the pages' content streams (``/F1 9 Tf``)."""
    sizes: set[float] = set()
    for page in reader.pages:
        content = page.get_contents()
        assert content is not None
        text = content.get_data().decode("latin-1")
        sizes.update(float(size) for size in re.findall(r"/F\d+\s+([\d.]+)\s+Tf", text))
    return sizes


def test_the_report_in_swedish_by_default(dashboard_data: DashboardData, tmp_path: Path) -> None:
    target = tmp_path / "rapport.pdf"
    write_pdf(target, dashboard_data, small_count=5)
    reader = PdfReader(target)
    # The parts flow on (summary, trend, items, benefits, months, reasons, handlers and
    # three equality parts: 10), a new page only where a chart or table does not fit.
    assert 4 <= len(reader.pages) < 10
    first = reader.pages[0].extract_text()
    assert first.index("Sammanfattning") < first.index("Rutinmässig frågeandel")  # summary first
    assert "<5" in first  # the summary hides small counts like every table (issue 19)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Sjukpenning" in text  # benefit names in Swedish
    assert "Underhållsstöd" in text
    assert "Kvinna" in text
    # routine asking, 3 of 5: hidden, as on screen (its 3 is below the threshold)
    assert "60,0" not in text
    assert "<5" in text  # every table hides small counts
    assert "test-h03" in text
    assert "Riskfaktor: Rädd för den som utövar våldet" in text
    assert not list(tmp_path.glob("*.partial"))


def test_the_report_embeds_truetype_and_no_type3_fonts(
    dashboard_data: DashboardData, tmp_path: Path
) -> None:
    target = tmp_path / "rapport.pdf"
    write_pdf(target, dashboard_data, small_count=5)
    reader = PdfReader(target)
    fonts = _fonts(reader)
    assert fonts
    assert all(font["/Subtype"] != "/Type3" for font in fonts)
    assert {font["/Subtype"] for font in fonts} == {"/CIDFontType2"}  # TrueType outlines
    assert all("/FontFile2" in font["/FontDescriptor"] for font in fonts)  # embedded
    assert any("DejaVuSans" in str(font["/BaseFont"]) for font in fonts)
    sizes = _sizes(reader)
    assert sizes
    assert min(sizes) >= TABLE_PT >= 9  # readable type everywhere


def test_the_report_is_tagged_with_its_language_title_and_bookmarks(
    dashboard_data: DashboardData, tmp_path: Path
) -> None:
    target = tmp_path / "rapport.pdf"
    write_pdf(target, dashboard_data, small_count=5)
    reader = PdfReader(target)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert reader.metadata is not None
    assert reader.metadata.title == "Frågor om våld: statistik"
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[0] == "Sammanfattning"
    assert "Per förmån" in titles
    # the charts carry a text alternative
    assert b"/Alt" in target.read_bytes()


def test_the_report_in_english(counted_store: Store, tmp_path: Path) -> None:
    set_language("en")  # before loading: the equality sentences are made as the data loads
    target = tmp_path / "report.pdf"
    # a threshold of 1 hides nothing: the figures themselves
    write_pdf(target, load_dashboard(counted_store.engine, StatsFilter()), small_count=1)
    reader = PdfReader(target)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Sickness benefit" in text
    assert "60.0" in text
    assert "Routine asking differs between women and men" in text
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_progress_is_reported_and_a_stopped_report_leaves_no_file(
    dashboard_data: DashboardData, tmp_path: Path
) -> None:
    class Stopped(Exception):
        pass

    seen: list[tuple[int, int]] = []

    def stop_half_way(done: int, total: int) -> None:
        seen.append((done, total))
        if done * 2 >= total:
            raise Stopped

    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(Stopped):
        write_pdf(folder / "report.pdf", dashboard_data, small_count=5, progress=stop_half_way)
    assert seen[0][0] == 1
    assert not list(folder.iterdir())
