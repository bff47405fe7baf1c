"""Reading YAML and JSON from outside safely: bounded work, one clear refusal.

Every loader of data from a file or a pipe (protocols, scenarios, the support directory,
records, guide contexts, case counts, settings) reads through here, so none of them can
be made to run for minutes or fill the memory by a small file:

* YAML: :class:`SafeCLoader` (libyaml) and :class:`SafePyLoader` (pure Python, for its
  wording of syntax errors) refuse anchors and aliases (``&a`` / ``*a``: a 400-byte
  "alias bomb" expands to gigabytes), nesting deeper than :data:`MAX_DEPTH`, keys that
  are lists or groups (``? [a]``), integers longer than :data:`MAX_NUMBER_DIGITS` digits and
  more than :data:`MAX_NODES` values. The check reads the event stream before anything is
  built, so a refused file costs no more than reading it once.
* JSON: :func:`load_json` checks the nesting with one scan before parsing and refuses
  over-long integers while parsing (Python refuses to read integers over 4,300 digits with a
  bare ``ValueError``).

Each refusal is an :class:`UnsafeInputError` (for YAML the :class:`UnsafeYamlError`, also a
:class:`yaml.MarkedYAMLError`, so a loader that reports YAML problems with their line says
it in the same way) carrying a translated reason and the line it is about. A loader turns
it into its own error type and wording.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    NodeEvent,
    ScalarEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from app.i18n import _

# No data file of the app nests anywhere near this deep (a record is 3 levels, a protocol 12).
MAX_DEPTH = 100
# A count, a duration or a year; nothing the app reads needs more.
MAX_NUMBER_DIGITS = 100
# Values in one YAML document (the shipped protocols hold about 2,000).
MAX_NODES = 200_000

INT_TAG = "tag:yaml.org,2002:int"


class UnsafeInputError(ValueError):
    """Input refused before it was read in full; ``reason`` is for people, ``line`` 1-based."""

    def __init__(self, reason: str, line: int = 1) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


class UnsafeYamlError(yaml.MarkedYAMLError, UnsafeInputError):
    """A YAML document refused by :class:`SafeCLoader` or :class:`SafePyLoader`."""

    def __init__(self, reason: str, mark: Any = None) -> None:
        line = int(mark.line) + 1 if mark is not None else 1
        UnsafeInputError.__init__(self, reason, line)
        yaml.MarkedYAMLError.__init__(self, problem=reason, problem_mark=mark)


def aliases_refused() -> str:
    return _("anchors and aliases (&name, *name) are not allowed; write each text out")


def nested_too_deeply() -> str:
    return _("nested too deeply")


def number_too_long() -> str:
    return _("a number has more than {count} digits").format(count=MAX_NUMBER_DIGITS)


# -- YAML --------------------------------------------------------------------------------------


def check_yaml_events(text: str, parser: type[yaml.SafeLoader] = yaml.SafeLoader) -> None:
    """Refuse anchors, aliases, over-deep nesting and too many values in ``text`` by reading
    its events with ``parser`` (nothing is built); syntax errors are raised as YAML's own."""
    depth = nodes = 0
    loader = parser(text)
    try:
        while loader.check_event():
            event = loader.get_event()  # type: ignore[no-untyped-call]
            if isinstance(event, AliasEvent) or (
                isinstance(event, NodeEvent) and event.anchor is not None
            ):
                raise UnsafeYamlError(aliases_refused(), event.start_mark)
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise UnsafeYamlError(nested_too_deeply(), event.start_mark)
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
            if isinstance(event, CollectionStartEvent | ScalarEvent):
                nodes += 1
                if nodes > MAX_NODES:
                    raise UnsafeYamlError(
                        _("holds more than {count} values").format(count=MAX_NODES),
                        event.start_mark,
                    )
    finally:
        loader.dispose()


def check_yaml_nodes(root: Node) -> None:
    """Refuse keys that are lists or groups and integers too long to be a count."""
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if not isinstance(key, ScalarNode):
                    raise UnsafeYamlError(
                        _("a field name must be a plain word, not a list or a group"),
                        key.start_mark,
                    )
                stack.extend((key, value))
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif node.tag == INT_TAG and len(node.value) > MAX_NUMBER_DIGITS:
            raise UnsafeYamlError(number_too_long(), node.start_mark)


class _Checked:
    """Mixed into a PyYAML loader: check the events first, then the node tree."""

    _source: str
    _events_parser: type[yaml.SafeLoader]

    def get_single_node(self) -> Node | None:
        check_yaml_events(self._source, self._events_parser)
        root: Node | None = super().get_single_node()  # type: ignore[misc]
        if root is not None:
            check_yaml_nodes(root)
        return root


_C_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SafeCLoader(_Checked, _C_BASE):  # type: ignore[valid-type,misc]
    """libyaml's safe loader (when PyYAML has it), refusing what :mod:`app.safe_input` refuses."""

    _events_parser = _C_BASE

    def __init__(self, stream: str) -> None:
        self._source = stream
        super().__init__(stream)


class SafePyLoader(_Checked, yaml.SafeLoader):
    """The pure-Python safe loader, refusing the same; its syntax errors are worded better."""

    _events_parser = yaml.SafeLoader

    def __init__(self, stream: str) -> None:
        self._source = stream
        super().__init__(stream)


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
