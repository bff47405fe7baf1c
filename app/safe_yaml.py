"""Safe YAML loaders: the YAML half of :mod:`app.safe_input` (kept apart so that reading
JSON never loads a YAML parser)."""

from __future__ import annotations

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
from app.safe_input import (
    MAX_DEPTH,
    MAX_NODES,
    MAX_NUMBER_DIGITS,
    UnsafeInputError,
    aliases_refused,
    nested_too_deeply,
    number_too_long,
)

INT_TAG = "tag:yaml.org,2002:int"


class UnsafeYamlError(yaml.MarkedYAMLError, UnsafeInputError):
    """A YAML document refused by :class:`SafeCLoader` or :class:`SafePyLoader`."""

    def __init__(self, reason: str, mark: Any = None) -> None:
        line = int(mark.line) + 1 if mark is not None else 1
        UnsafeInputError.__init__(self, reason, line)
        yaml.MarkedYAMLError.__init__(self, problem=reason, problem_mark=mark)


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
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


def _calendar_date(loader: yaml.SafeLoader, node: Node) -> Any:
    """A timestamp as PyYAML builds it; one that is not in the calendar (``2026-02-30``)
    is a YAML error at its line, not a ValueError from ``datetime``."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except ValueError:
        raise UnsafeYamlError(
            _("{value} is not a date in the calendar").format(value=node.value), node.start_mark
        ) from None


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


for _loader in (SafeCLoader, SafePyLoader):
    _loader.add_constructor(TIMESTAMP_TAG, _calendar_date)
