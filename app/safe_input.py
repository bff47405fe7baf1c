"""Reading YAML and JSON from outside safely: bounded work, one clear refusal.

Every loader of data from a file or a pipe (protocols, scenarios, the support directory,
records, guide contexts, case counts, settings) reads through here, so none of them can
be made to run for minutes or fill the memory by a small file:

* YAML (:mod:`app.safe_yaml`): ``SafeCLoader`` (libyaml) and ``SafePyLoader`` (pure
  Python, for its wording of syntax errors) refuse anchors and aliases (``&a`` / ``*a``: a
  400-byte "alias bomb" expands to gigabytes), nesting deeper than :data:`MAX_DEPTH`, keys
  that are lists or groups (``? [a]``), integers longer than :data:`MAX_NUMBER_DIGITS`
  digits and more than :data:`MAX_NODES` values. The check reads the event stream before anything is
  built, so a refused file costs no more than reading it once.
* JSON: :func:`load_json` checks the nesting with one scan before parsing and refuses
  over-long integers while parsing (Python refuses to read integers over 4,300 digits with a
  bare ``ValueError``).

Each refusal is an :class:`UnsafeInputError` (for YAML the ``UnsafeYamlError``, also a
:class:`yaml.MarkedYAMLError`, so a loader that reports YAML problems with their line says
it in the same way) carrying a translated reason and the line it is about. A loader turns
it into its own error type and wording.
"""

from __future__ import annotations

import json
import re
from typing import Any

from app.i18n import _

# No data file of the app nests anywhere near this deep (a record is 3 levels, a protocol 12).
MAX_DEPTH = 100
# A count, a duration or a year; nothing the app reads needs more.
MAX_NUMBER_DIGITS = 100
# Values in one YAML document (the shipped protocols hold about 2,000).
MAX_NODES = 200_000


class UnsafeInputError(ValueError):
    """Input refused before it was read in full; ``reason`` is for people, ``line`` 1-based."""

    def __init__(self, reason: str, line: int = 1) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def aliases_refused() -> str:
    return _("anchors and aliases (&name, *name) are not allowed; write each text out")


def nested_too_deeply() -> str:
    return _("nested too deeply")


def number_too_long() -> str:
    return _("a number has more than {count} digits").format(count=MAX_NUMBER_DIGITS)


# -- JSON --------------------------------------------------------------------------------------

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def json_depth_problem(text: str) -> UnsafeInputError | None:
    """The refusal of ``text`` when its arrays and objects nest deeper than :data:`MAX_DEPTH`."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    outside = _STRING.sub('""', text)
    for match in _BRACKET.finditer(outside):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = outside.count("\n", 0, match.start()) + 1
                return UnsafeInputError(nested_too_deeply(), line)
        else:
            depth -= 1
    return None


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise UnsafeInputError(number_too_long())
    return int(text)


def load_json(text: str | bytes) -> Any:
    """``json.loads(text)``, refusing over-deep nesting and over-long integers with an
    :class:`UnsafeInputError`; syntax errors stay :class:`json.JSONDecodeError`."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    problem = json_depth_problem(text)
    if problem is not None:
        raise problem
    return json.loads(text, parse_int=_parse_int)
