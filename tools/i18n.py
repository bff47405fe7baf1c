"""The translation pipeline: extract, update, compile, check.

python -m tools.i18n extract   # app/**.py -> translations/messages.pot
python -m tools.i18n update    # merge the template into sv and en catalogs
python -m tools.i18n fill-en   # English msgids are English: fill empty en entries
python -m tools.i18n compile   # .po -> .mo (the setup does this on every start)
python -m tools.i18n check     # fail on untranslated, fuzzy or missing entries

Which files are read is ``babel.cfg`` (``pybabel extract -F babel.cfg`` reads the same).
Every catalog written gets a real header (project, version, language, plural forms, not
fuzzy), so ``pybabel compile`` and the build hook (``hatch_build.py``) compile it.
"""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from app import __version__

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
MAPPING = ROOT / "babel.cfg"
LANGUAGES = ("sv", "en")
LANGUAGE_TEAMS = {"sv": "Swedish", "en": "English"}
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PROJECT = "vaga-fraga"
HEADER_COMMENT = (
    "# {title} for Våga fråga ({project}).\n"
    "# This file is distributed under the same license as the {project} project (EUPL-1.2).\n"
    "#"
)


def po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def extract() -> Catalog:
    """Every translatable string in the app's source, as a template catalog."""
    catalog = Catalog(project=PROJECT, version=__version__, charset="utf-8")
    with MAPPING.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(MAPPING))  # type: ignore[no-untyped-call]
    for filename, lineno, message, comments, _context in extract_from_dir(
        str(ROOT),
        method_map=method_map,
        options_map=options_map,
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
    ):
        catalog.add(message, locations=[(filename, lineno)], auto_comments=comments)
    return catalog


def set_header(catalog: Catalog) -> None:
    """The header every catalog carries: the template's is fuzzy (by convention), a
    language's is not, so ``pybabel compile`` does not skip it."""
    language = str(catalog.locale) if catalog.locale else None
    catalog.project = PROJECT
    catalog.version = __version__
    catalog.copyright_holder = ""
    catalog.msgid_bugs_address = ""
    title = f"{LANGUAGE_TEAMS[language]} translation" if language else "Translation template"
    catalog.header_comment = HEADER_COMMENT.format(title=title, project=PROJECT)
    if language is None:
        return
    team = LANGUAGE_TEAMS[language]
    catalog.language_team = team
    catalog.last_translator = "Våga fråga"
    catalog.revision_date = catalog.creation_date
    catalog.fuzzy = False


def read_catalog(path: Path, language: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def write_catalog(catalog: Catalog, path: Path) -> None:
    set_header(catalog)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True, omit_header=False)
    path.write_bytes(buffer.getvalue())


def cmd_extract() -> None:
    template = extract()
    write_catalog(template, POT)


def cmd_update() -> None:
    template = extract()
    write_catalog(template, POT)
    for language in LANGUAGES:
        path = po_path(language)
        catalog = read_catalog(path, language) if path.exists() else Catalog(locale=language)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        write_catalog(catalog, path)


def cmd_fill_en() -> None:
    path = po_path("en")
    catalog = read_catalog(path, "en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            if not all(message.string or ()):
                message.string = tuple(message.id)
        elif not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")
    write_catalog(catalog, path)


def cmd_compile() -> None:
    for language in LANGUAGES:
        path = po_path(language)
        if not path.exists():
            raise SystemExit(f"translation catalog missing: {path}")
        catalog = read_catalog(path, language)
        mo = path.with_suffix(".mo")
        with mo.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)


def problems() -> list[str]:
    """Untranslated, fuzzy or missing entries, one line each."""
    template = extract()
    found: list[str] = []
    for language in LANGUAGES:
        path = po_path(language)
        if not path.exists():
            found.append(f"{path}: catalog missing")
            continue
        catalog = read_catalog(path, language)
        for message in template:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            entry = catalog.get(key)
            where = f"{language}: {key!r}"
            if entry is None:
                found.append(f"{where}: missing (run python -m tools.i18n update)")
            elif entry.fuzzy:
                found.append(f"{where}: fuzzy")
            elif isinstance(entry.string, tuple | list):
                if not all(entry.string):
                    found.append(f"{where}: untranslated plural form")
            elif not entry.string:
                found.append(f"{where}: untranslated")
    return found


def cmd_check() -> None:
    found = problems()
    for line in found:
        print(line)
    if found:
        raise SystemExit(1)


COMMANDS = {
    "extract": cmd_extract,
    "update": cmd_update,
    "fill-en": cmd_fill_en,
    "compile": cmd_compile,
    "check": cmd_check,
}


def main(argv: list[str]) -> None:
    if len(argv) != 1 or argv[0] not in COMMANDS:
        raise SystemExit(f"usage: python -m tools.i18n {{{'|'.join(COMMANDS)}}}")
    COMMANDS[argv[0]]()


if __name__ == "__main__":
    main(sys.argv[1:])
