"""Hostile inputs every loader must refuse quickly with its own error (issue 17)."""

from __future__ import annotations

import pytest

ALIAS_BOMB = (
    b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    b"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    b"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    b"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
)
BLOCK_DEEP = (
    "".join(f"{' ' * depth}k{depth}:\n" for depth in range(400)).encode() + b" " * 400 + b"v\n"
)

# (name, content, English words the refusal must say)
HOSTILE_YAML: list[tuple[str, bytes, str]] = [
    ("alias bomb", ALIAS_BOMB, "anchors and aliases"),
    ("an anchor alone", b"entries: &x []\n", "anchors and aliases"),
    ("a list as a key", b"? [a]\n: b\n", "field name"),
    ("a group as a key", b"entries:\n  - ? {a: 1}\n    : b\n", "field name"),
    ("5,000 digits", b"entries: " + b"7" * 5000 + b"\n", "digits"),
    ("3,000 nested [", b"[" * 3000 + b"]" * 3000, "nested too deeply"),
    ("nested blocks", BLOCK_DEEP, "nested too deeply"),
    ("invalid UTF-8", b"entries:\n  - id: \xff\xfe\n", "UTF-8"),
]

HOSTILE_JSON: list[tuple[str, bytes, str]] = [
    ("1,000 nested [", b"[" * 1000 + b"]" * 1000, "nested too deeply"),
    ("3,000 nested objects", b'{"a":' * 3000 + b"1" + b"}" * 3000, "nested too deeply"),
    ("5,000 digits", b'{"benefit": ' + b"9" * 5000 + b"}", "digits"),
    ("invalid UTF-8", b'{"benefit": "\xff\xfe"}', "UTF-8"),
]


def params(cases: list[tuple[str, bytes, str]]) -> list[object]:
    """``(content, words)`` test parameters named by each case."""
    return [pytest.param(content, words, id=name) for name, content, words in cases]
