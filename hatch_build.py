"""Build hook: compile the translation catalogs into every wheel.

The ``.mo`` files are not in version control, so a wheel built from a clean checkout or
from the sdist would have none and every command would refuse to run. This hook compiles
``translations/*/LC_MESSAGES/messages.po`` with Babel while the wheel is built (hatchling
runs it for ``pip install .``, ``python -m build`` and a wheel built from the sdist) and
puts the result where :func:`app.paths.translations_dir` finds it in an installed app.
An editable install reads the catalogs from the checkout: they are compiled there.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

CATALOG = Path("LC_MESSAGES") / "messages.po"


def compile_catalogs(translations: Path, out: Path) -> list[Path]:
    """Compile every ``<language>/LC_MESSAGES/messages.po`` under ``translations`` into
    the same place under ``out``; the ``.mo`` paths relative to ``out``. Fuzzy entries are
    left out; a catalog whose header is fuzzy is refused (``pybabel compile`` would skip
    it)."""
    compiled: list[Path] = []
    for po in sorted(translations.glob(f"*/{CATALOG}")):
        language = po.parent.parent.name
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        if catalog.fuzzy:
            raise RuntimeError(f"{po}: the catalog header is marked fuzzy")
        relative = po.relative_to(translations).with_suffix(".mo")
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        compiled.append(relative)
    if not compiled:
        raise RuntimeError(f"no translation catalogs under {translations}")
    return compiled


class TranslationsHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return  # the sdist ships the .po files and this hook
        translations = Path(self.root) / "translations"
        if version == "editable":
            compile_catalogs(translations, translations)
            return
        self._out = tempfile.TemporaryDirectory(prefix="vagafraga-mo-")
        out = Path(self._out.name)
        for relative in compile_catalogs(translations, out):
            build_data["force_include"][str(out / relative)] = str(
                Path("app/_data/translations") / relative
            )

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        out = getattr(self, "_out", None)
        if out is not None:
            out.cleanup()
