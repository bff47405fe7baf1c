"""The house rules of DESIGN.md: arrows point one way."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
PURE = ("screening", "referrals", "training")


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules(package: str) -> list[Path]:
    return sorted((APP / package).rglob("*.py"))


@pytest.mark.parametrize("package", PURE)
def test_domain_packages_use_neither_qt_nor_sql(package: str) -> None:
    offenders = {
        str(path.relative_to(APP)): sorted(
            name
            for name in imports_of(path)
            if name.split(".")[0] in {"PySide6", "sqlalchemy", "alembic"}
        )
        for path in modules(package)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_nothing_outside_the_ui_imports_qt() -> None:
    offenders = [
        str(path.relative_to(APP))
        for path in APP.rglob("*.py")
        if "ui" not in path.relative_to(APP).parts
        and any(name.startswith("PySide6") for name in imports_of(path))
    ]
    assert offenders == []


def test_only_entry_points_import_the_ui_or_the_cli() -> None:
    allowed = {"cli/__init__.py", "__main__.py"}
    offenders = []
    for path in APP.rglob("*.py"):
        relative = path.relative_to(APP)
        if relative.parts[0] in {"ui", "cli"} or str(relative) in allowed:
            continue
        if any(name.startswith(("app.ui", "app.cli")) for name in imports_of(path)):
            offenders.append(str(relative))
    assert offenders == []


def test_storage_never_imports_the_ui() -> None:
    assert not [p for p in modules("storage") if any(n.startswith("app.ui") for n in imports_of(p))]
