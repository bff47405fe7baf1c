"""Reading directory YAML with ``FILE:LINE: field: message`` errors.

The YAML is composed into nodes first, so every problem points at the line of
the field it is about. Phone numbers, municipality codes and times are read as
the text written in the file (YAML would turn ``0114`` into the number 76).
Messages never quote a value from the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from app.errors import UserError, ValidationProblems
from app.i18n import N_, _, ngettext
from app.referrals.directory import DirectoryEntry
from app.safe_input import UnsafeInputError
from app.screening.protocol_loader import compose_node

RAW_TEXT_KEYS = frozenset({"phone", "scope", "opens", "closes", "id", "local_for"})
MAX_FILE_BYTES = 2_000_000
LANGUAGE_NAMES = {"sv": N_("Swedish"), "en": N_("English")}
CROSS_FIELD_TYPES = frozenset({"hours", "phone", "local_for", "not_on_phone_bill", "last_verified"})


class _Duplicate(Exception):
    def __init__(self, key: str, line: int) -> None:
        super().__init__(key)
        self.key = key
        self.line = line


def _python(node: Node, constructor: SafeConstructor, key: str | None = None) -> Any:
    if isinstance(node, MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            name = _python(key_node, constructor)
            if name in result:
                raise _Duplicate(str(name), key_node.start_mark.line + 1)
            result[name] = _python(value_node, constructor, str(name))
        return result
    if isinstance(node, SequenceNode):
        return [_python(item, constructor, key) for item in node.value]
    assert isinstance(node, ScalarNode)
    if key in RAW_TEXT_KEYS and node.tag in (
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
    ):
        return node.value
    return constructor.construct_object(node, deep=True)


def _line_at(node: Node, loc: Sequence[str | int]) -> int:
    """The line (1-based) of the deepest node the location reaches."""
    line = node.start_mark.line + 1
    current = node
    for part in loc:
        if isinstance(current, MappingNode):
            for key_node, value_node in current.value:
                if isinstance(key_node, ScalarNode) and key_node.value == str(part):
                    line = key_node.start_mark.line + 1
                    current = value_node
                    break
            else:
                return line
        elif isinstance(current, SequenceNode) and isinstance(part, int):
            if part >= len(current.value):
                return line
            current = current.value[part]
            line = current.start_mark.line + 1
        else:
            return line
    return line


def describe(error: ValidationError) -> list[tuple[tuple[str | int, ...], str, str]]:
    """``(location, field, message)`` for each problem, in words for people."""
    found = []
    for item in error.errors(include_input=False, include_url=False):
        loc = tuple(item["loc"])
        kind = item["type"]
        message = str(item["msg"])
        ctx = item.get("ctx") or {}
        if kind in CROSS_FIELD_TYPES and ": " in message:
            # cross-field rules name their own field first: "field: message"
            field, message = message.split(": ", 1)
            loc = (*loc, field)
        elif kind == "missing" and loc and loc[-1] in LANGUAGE_NAMES:
            message = _("missing translation: the {language} text is required").format(
                language=_(LANGUAGE_NAMES[str(loc[-1])])
            )
        elif kind == "missing":
            message = _("required field is missing")
        elif kind == "extra_forbidden":
            message = _("unknown field")
        elif kind == "enum":
            message = _("unknown value; use one of {choices}").format(
                choices=str(ctx.get("expected", "")).replace("'", "")
            )
        elif kind in ("string_too_short", "too_short") and loc and loc[-1] in LANGUAGE_NAMES:
            message = _("missing translation: the {language} text is empty").format(
                language=_(LANGUAGE_NAMES[str(loc[-1])])
            )
        message = message.removeprefix("Value error, ")
        field = ".".join(str(part) for part in loc) or "entry"
        found.append((loc, field, message))
    return found


def parse_entries(
    text: str, name: str, known_ids: frozenset[str] | None = None
) -> list[DirectoryEntry]:
    """Every entry in a directory YAML text, or :class:`ValidationProblems` naming each line.

    With ``known_ids``, ``local_for`` must name one of them or an entry in the file.
    """
    try:
        root = compose_node(text)
    except UnsafeInputError as error:
        raise ValidationProblems(
            [f"{name}:{error.line}: file: {error.reason}"],
            _("{name}: not a valid directory file; nothing was changed.").format(name=name),
        ) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise ValidationProblems(
            [
                f"{name}:{line}: file: "
                + _("not valid YAML ({problem})").format(problem=error.problem or "syntax error")
            ],
            _("{name}: not a valid directory file; nothing was changed.").format(name=name),
        ) from None
    except yaml.YAMLError:
        raise UserError(
            _("{name}: not a valid directory file; nothing was changed.").format(name=name)
        ) from None
    if root is None:
        raise UserError(
            _("{name}: the file holds no entries; nothing was changed.").format(name=name)
        )
    try:
        data = _python(root, SafeConstructor())
    except _Duplicate as duplicate:
        raise ValidationProblems(
            [f"{name}:{duplicate.line}: {duplicate.key}: " + _("the field is given twice")],
            _("{name}: not a valid directory file; nothing was changed.").format(name=name),
        ) from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        # e.g. a date that does not exist, such as 2026-02-30
        raise UserError(
            _("{name}: not a valid directory file; nothing was changed.").format(name=name)
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise ValidationProblems(
            [f"{name}:1: entries: " + _("the file must start with entries: and a list of entries")],
            _("{name}: not a valid directory file; nothing was changed.").format(name=name),
        )
    unknown = sorted(str(key) for key in data if key != "entries")
    problems = [f"{name}:{_line_at(root, [key])}: {key}: " + _("unknown field") for key in unknown]
    assert isinstance(root, MappingNode)
    entries_node = next(value for key, value in root.value if key.value == "entries")
    entries: list[DirectoryEntry] = []
    seen: dict[str, int] = {}
    bad = 0
    for index, item in enumerate(data["entries"]):
        item_node = entries_node.value[index]
        if not isinstance(item, dict):
            problems.append(
                f"{name}:{item_node.start_mark.line + 1}: entry: "
                + _("each entry is a set of fields (id:, name:, …)")
            )
            bad += 1
            continue
        try:
            entry = DirectoryEntry.model_validate(item)
        except ValidationError as error:
            bad += 1
            for loc, field, message in describe(error):
                problems.append(f"{name}:{_line_at(item_node, loc)}: {field}: {message}")
            continue
        if entry.id in seen:
            bad += 1
            problems.append(
                f"{name}:{_line_at(item_node, ['id'])}: id: "
                + _("the id is already used on line {line}").format(line=seen[entry.id])
            )
            continue
        seen[entry.id] = _line_at(item_node, ["id"])
        entries.append(entry)
    if known_ids is not None:
        for index, entry in enumerate(data["entries"]):
            target = entry.get("local_for") if isinstance(entry, dict) else None
            if target is not None and target not in known_ids and target not in seen:
                bad += 1
                problems.append(
                    f"{name}:{_line_at(entries_node.value[index], ['local_for'])}: local_for: "
                    + _("no entry with this id in the directory")
                )
    if problems:
        raise ValidationProblems(
            problems,
            ngettext(
                "{name}: {count} entry has problems; nothing was changed.",
                "{name}: {count} entries have problems; nothing was changed.",
                max(bad, 1),
            ).format(name=name, count=max(bad, 1)),
        )
    return entries


def read_entries(
    path: Path, display_name: str | None = None, known_ids: frozenset[str] | None = None
) -> list[DirectoryEntry]:
    name = display_name or str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise UserError(
                _("{name}: the file is larger than 2 MB; nothing was changed.").format(name=name)
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(_("{name}: no such file").format(name=name)) from None
    except IsADirectoryError:
        raise UserError(_("{name}: is a folder, not a file").format(name=name)) from None
    except UnicodeDecodeError:
        raise UserError(_("{name}: not UTF-8 text").format(name=name)) from None
    except OSError as error:
        raise UserError(
            _("{name}: cannot be read ({reason})").format(name=name, reason=error.strerror)
        ) from None
    return parse_entries(text, name, known_ids)
