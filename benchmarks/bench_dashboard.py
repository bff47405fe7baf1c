"""The dashboard on 1,000,000 records (issue 16), as the user meets it.

    .venv/bin/python -m benchmarks.bench_dashboard [--runs R]

A separate process (offscreen Qt) signs in to the 1M store, shows the Statistics tab
(the dashboard is built when first shown, with its default filter: the last 12
months), and measures with a 5 ms heartbeat timer on the UI thread:

- the longest the UI thread was blocked, from the first switch to the tab until the
  figures and charts are on screen, and during ``R`` refreshes after that (bar: 100 ms);
- the full refresh, warm: Update pressed to figures and charts shown (bar: 1.5 s);
- the process's peak memory (bar: 400 MiB).
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import ENV, PASSWORD, ROOT, USER, Figure

MiB = 1024 * 1024


def measure(folder: Path, runs: int) -> dict[str, float]:
    """Runs inside the child process."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QTimer

    from app.accounts.session import unlock
    from app.settings import Settings
    from app.storage.engine import resolve_location
    from app.ui.app import create_application
    from app.ui.dashboard.page import StatsTab

    app = create_application()  # as the app makes it (its cycles collected on its UI thread)
    gaps: list[float] = []
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(beat)
    timer.start(5)
    login = unlock(resolve_location(folder), USER, PASSWORD)
    tab = StatsTab(login.store, Settings())
    tab.resize(1200, 800)

    def wait_loaded() -> None:
        while tab.dashboard is None or tab.dashboard._loading:
            app.processEvents()
            time.sleep(0.001)
        app.processEvents()

    last[0] = time.perf_counter()
    gaps.clear()
    started = time.perf_counter()
    tab.show()
    app.processEvents()
    wait_loaded()
    first = time.perf_counter() - started
    first_gap = max(gaps)
    refreshes = []
    for _ in range(runs):
        assert tab.dashboard is not None
        started = time.perf_counter()
        tab.dashboard.refresh()
        wait_loaded()
        refreshes.append(time.perf_counter() - started)
    login.close()
    return {
        "first_show": first,
        "first_max_gap": first_gap,
        "refresh_median": statistics.median(refreshes),
        "max_gap": max(gaps),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MiB,
    }


def figures(folder: Path, runs: int) -> list[Figure]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_dashboard", str(folder), str(runs)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(ENV, QT_QPA_PLATFORM="offscreen"),
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return [
        Figure(
            "dashboard_ui_refresh_warm",
            "dashboard, default filter: Update to figures and charts on screen, warm",
            found["refresh_median"],
            1.5,
            kind="max",
            extra={"first_show_seconds": round(found["first_show"], 3)},
        ),
        Figure(
            "dashboard_ui_longest_block",
            "dashboard: the longest the UI thread was blocked (first show and refreshes)",
            found["max_gap"],
            0.1,
            kind="max",
            extra={"first_show_longest_block_seconds": round(found["first_max_gap"], 3)},
        ),
        Figure(
            "dashboard_peak_memory",
            "dashboard process's peak memory (first show and refreshes)",
            found["peak_mib"],
            400,
            kind="max",
            unit="MiB",
        ),
    ]


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), int(sys.argv[2]))))
