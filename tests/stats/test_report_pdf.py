"""The PDF report: read back with pypdf."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from app.i18n import set_language
from app.stats.dashboard_data import DashboardData, load_dashboard
from app.stats.filters import StatsFilter
from app.stats.report_pdf import write_pdf
from app.storage.store import Store


def test_the_report_in_swedish_by_default(dashboard_data: DashboardData, tmp_path: Path) -> None:
    target = tmp_path / "rapport.pdf"
    write_pdf(target, dashboard_data, small_count=5)
    reader = PdfReader(target)
    # overview, violence forms and markers, benefits, months, handlers; 3 equality pages
    assert len(reader.pages) == 5 + 3
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Sjukpenning" in text  # benefit names in Swedish
    assert "Underhållsstöd" in text
    assert "Kvinna" in text
    # routine asking, 3 of 5: hidden, as on screen (its 3 is below the threshold)
    assert "60,0" not in text
    assert "<5" in text  # every table hides small counts
    assert "test-h03" in text
    assert "Riskfaktor: Rädd för den som utövar våldet" in text  # on a page of their own
    assert not list(tmp_path.glob("*.partial"))


def test_the_report_in_english(counted_store: Store, tmp_path: Path) -> None:
    set_language("en")  # before loading: the equality sentences are made as the data loads
    target = tmp_path / "report.pdf"
    # a threshold of 1 hides nothing: the figures themselves
    write_pdf(target, load_dashboard(counted_store.engine, StatsFilter()), small_count=1)
    text = "\n".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Sickness benefit" in text
    assert "60.0" in text
    assert "Routine asking differs between women and men" in text
