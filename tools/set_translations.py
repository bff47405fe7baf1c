"""Fill catalog entries from a Python dict file: ``python -m tools.set_translations sv FILE.py``.

FILE.py defines ``SV = {msgid: msgstr}`` (or ``TRANSLATIONS``). Only empty or fuzzy
entries are filled unless ``--overwrite`` is given. Used for translation passes.
"""

from __future__ import annotations

import runpy
import sys

from tools.i18n import po_path, read_catalog, write_catalog


def main(argv: list[str]) -> None:
    overwrite = "--overwrite" in argv
    args = [a for a in argv if a != "--overwrite"]
    if len(args) != 2:
        raise SystemExit("usage: python -m tools.set_translations LANG FILE.py [--overwrite]")
    language, source = args
    namespace = runpy.run_path(source)
    table = namespace.get("TRANSLATIONS") or namespace.get(language.upper())
    if not isinstance(table, dict):
        raise SystemExit(f"{source} defines no {language.upper()} or TRANSLATIONS dict")
    path = po_path(language)
    catalog = read_catalog(path, language)
    filled = 0
    for message in catalog:
        key = message.id if isinstance(message.id, str) else message.id[0] if message.id else None
        if not key or key not in table:
            continue
        translated = all(message.string) if isinstance(message.string, tuple) else message.string
        if translated and not message.fuzzy and not overwrite:
            continue
        value = table[key]
        message.string = tuple(value) if isinstance(value, list | tuple) else value
        message.flags.discard("fuzzy")
        filled += 1
    write_catalog(catalog, path)
    print(f"{language}: filled {filled} entries")


if __name__ == "__main__":
    main(sys.argv[1:])
