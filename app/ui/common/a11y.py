"""What a screen reader hears: the naming rule every widget follows, and a walk that checks it.

The rule (the same one a sighted user's eyes apply):

- **A label's accessible name is its visible text.** Qt gives a ``QLabel`` exactly that when
  no name is set, and keeps it in step with ``setText`` (it sends ``NameChanged`` itself).
  So a label never gets ``setAccessibleName``; what it is *for* ("Guidance", "Question
  number") goes into its accessible description: :func:`describe`.
- **A control with words on it is named by those words.** A name may add to them (the answer
  button "J   Ja" is "Ja (J)": the word, then its key) but never replace them (WCAG 2.5.3,
  "label in name"). :func:`name_with_key` builds such a name.
- **A control without words of its own** (a field, a list, a table) is named by the words of
  its label: ``setAccessibleName``.
- **Text that changes and matters now** (the step, the question number, the guidance) is set
  with :func:`set_live_text`: the label's name follows, and the change is announced (a polite
  live region) so it is heard without moving the focus.

:func:`walk` and :func:`naming_problems` check the rule on whatever is on screen; the tests and
``tools/atspi_walk.py`` use them, so a new widget is covered without being listed anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QAccessibleInterface,
    QTextDocument,
)
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from app.i18n import _

Role = QAccessible.Role

# Roles a person operates: each needs a name.
CONTROL_ROLES = frozenset(
    {
        Role.Button,
        Role.ButtonDropDown,
        Role.ButtonMenu,
        Role.CheckBox,
        Role.ComboBox,
        Role.Dial,
        Role.EditableText,
        Role.Link,
        Role.List,
        Role.MenuItem,
        Role.PageTab,
        Role.PageTabList,
        Role.ProgressBar,
        Role.RadioButton,
        Role.Slider,
        Role.SpinBox,
        Role.Table,
        Role.Tree,
    }
)


# Words that tell what the app is about: none may be read in discreet mode (both languages;
# a word matches at the start of a word, so "hot" finds "hotad" and "skydd" "skyddat boende").
SENSITIVE_WORDS = (
    "våld",
    "violen",
    "hot",
    "threat",
    "misshandel",
    "abuse",
    "skydd",
    "protect",
    "shelter",
    "kvinnofrid",
    "trafficking",
    "prostitution",
    "heder",
    "honour",
    "sexuell",
    "sexual",
    "våga fråga",
    "screening",
    "112",
)


def describe(widget: QWidget, description: str) -> None:
    """Say what ``widget`` is for, heard after its name (a label keeps its text as name)."""
    widget.setAccessibleDescription(description)


def name_with_key(words: str, key: str) -> str:
    """The accessible name of a button answered by one key: "Ja (J)"."""
    return _("{words} ({key})").format(words=words, key=key)


def set_live_text(label: QLabel, text: str) -> None:
    """Show ``text`` on ``label`` and, when it changed in a shown window, announce it politely
    (the label's page may be about to show; in discreet mode its window is none)."""
    if label.text() == text:
        return
    label.setText(text)
    if text and label.window().isVisible():
        event = QAccessibleAnnouncementEvent(label, heard_text(label))
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Polite)
        QAccessible.updateAccessibility(event)


def strip_mnemonic(text: str) -> str:
    """Text as shown with its Alt+letter marks taken out ("&Back" → "Back", "&&" → "&")."""
    return re.sub(r"&(.)", r"\1", text)


def heard_text(widget: QWidget) -> str:
    """What a sighted user reads on ``widget`` ("" when it shows no words of its own)."""
    if isinstance(widget, QLabel):
        text = widget.text()
        if widget.textFormat() != Qt.TextFormat.PlainText and _looks_rich(text):
            document = QTextDocument()
            document.setHtml(text)
            text = document.toPlainText()
        if widget.buddy() is not None:
            text = strip_mnemonic(text)
        return _normal(text)
    if isinstance(widget, QAbstractButton):
        return _normal(strip_mnemonic(widget.text()))
    return ""


def heard_name(widget: QWidget) -> str:
    """The name a screen reader says for ``widget`` (its own, or the one Qt derives)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return (interface.text(QAccessible.Text.Name) or "") if interface is not None else ""


def _looks_rich(text: str) -> bool:
    return "<" in text and ">" in text


def _normal(text: str) -> str:
    return " ".join(text.split())


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


@dataclass(frozen=True)
class Node:
    """One object of the accessibility tree, as an assistive technology reads it."""

    role: QAccessible.Role
    name: str
    description: str
    value: str
    shown: str  # the words a sighted user reads on it ("" if none of its own)
    invisible: bool
    in_combo_box: bool  # a combo box's own pop-up list: named through the combo box
    widget: QWidget | None
    path: str  # roles and names from the root, for a readable failure

    def texts(self) -> tuple[str, ...]:
        return (self.name, self.description, self.value, self.shown)


def walk(
    root: QAccessibleInterface, path: str = "", parent: QAccessible.Role | None = None
) -> Iterator[Node]:
    """Every object under ``root`` (itself included), hidden ones too: a walking client reads
    an invisible object just as well, so hiding is not leaving the tree."""
    target = root.object()
    widget = target if isinstance(target, QWidget) else None
    name = root.text(QAccessible.Text.Name) or ""
    here = f"{path}/{root.role().name}:{name[:40]!r}"
    yield Node(
        role=root.role(),
        name=name,
        description=root.text(QAccessible.Text.Description) or "",
        value=root.text(QAccessible.Text.Value) or "",
        shown=heard_text(widget) if widget is not None else "",
        invisible=bool(root.state().invisible),
        in_combo_box=parent is Role.ComboBox,
        widget=widget,
        path=here,
    )
    for index in range(root.childCount()):
        child = root.child(index)
        if child is not None and child.isValid():
            yield from walk(child, here, root.role())


def tree_of(widget: QWidget) -> list[Node]:
    interface = QAccessible.queryAccessibleInterface(widget)
    return list(walk(interface)) if interface is not None else []


def naming_problems(nodes: list[Node]) -> list[str]:
    """Every break of the rule: an unnamed control, a label not named by its text, a control
    whose name leaves out the words on it."""
    problems = []
    for node in nodes:
        if node.role in CONTROL_ROLES and not node.name.strip():
            if node.invisible or node.in_combo_box:
                continue  # not operable now / named through its combo box
            problems.append(f"unnamed {node.role.name}: {node.path}")
        elif isinstance(node.widget, QLabel) and node.shown and _normal(node.name) != node.shown:
            # (an empty label is named by its group box: Qt's fallback, and nothing to hear)
            problems.append(f"label named {node.name!r} shows {node.shown!r}: {node.path}")
        elif (
            isinstance(node.widget, QAbstractButton)
            and node.shown
            and not _words(node.shown) <= _words(node.name)
        ):
            problems.append(f"button named {node.name!r} shows {node.shown!r}: {node.path}")
    return problems


def sensitive_hits(nodes: list[Node], words: tuple[str, ...]) -> list[str]:
    """Objects whose name, description, value or text holds one of ``words``."""
    hits = []
    for node in nodes:
        text = " ".join(node.texts()).casefold()
        found = [word for word in words if re.search(rf"\b{re.escape(word)}", text)]
        if found:
            hits.append(f"{found}: {node.path}")
    return hits
