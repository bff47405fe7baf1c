"""The installer's build recipe (``python3 -m tools.build_app``) without running PyInstaller:
what goes into the build, and the Linux desktop entry. CI builds it for real (``.ci/run``)."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest

from app.desktop import APP_ID
from tools import build_app


def test_the_build_carries_the_data_the_app_reads_at_run_time() -> None:
    arguments = build_app.pyinstaller_arguments()
    data = [arguments[i + 1] for i, value in enumerate(arguments) if value == "--add-data"]
    targets = {entry.rsplit(":", 1)[-1].rsplit(";", 1)[-1] for entry in data}
    assert {"app/_data/resources", "app/storage/migrations"} <= targets
    assert {f"app/_data/translations/{lang}/LC_MESSAGES" for lang in ("sv", "en")} <= targets
    assert arguments[-1].endswith("tools/app_entry.py")
    assert build_app.NAME == APP_ID  # the program's name is the window class


def test_the_desktop_entry_starts_the_built_program_with_its_icon(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_app, "DIST", tmp_path)
    (tmp_path / APP_ID).mkdir()
    entry = build_app.write_desktop_entry()
    assert entry.name == f"{APP_ID}.desktop"
    parsed = configparser.ConfigParser(interpolation=None)
    parsed.optionxform = str  # type: ignore[assignment,method-assign]
    parsed.read(entry, encoding="utf-8")
    desktop = parsed["Desktop Entry"]
    assert desktop["Name"] == "Våga fråga"
    assert desktop["Exec"] == f'"{tmp_path / APP_ID / APP_ID}"'
    assert Path(desktop["Icon"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert desktop["StartupWMClass"] == APP_ID
    assert desktop["Type"] == "Application"

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    installed = build_app.install_desktop_entry(entry)
    assert installed == tmp_path / "share" / "applications" / f"{APP_ID}.desktop"
    assert installed.read_text(encoding="utf-8") == entry.read_text(encoding="utf-8")
