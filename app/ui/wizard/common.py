"""Building blocks shared by the wizard's steps: a scrollable page, big text, script boxes.

Every page scrolls instead of clipping, so it stays readable at 200 % scaling.
Nothing is told by colour alone: headings, words and frames carry the meaning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.screening.session import Session
from app.ui.common.a11y import describe

T = TypeVar("T")


def radio_choices(
    owner: QWidget,
    parent: QWidget,
    row: QHBoxLayout,
    choices: Iterable[tuple[T, str, str]],
    toggled: Callable[[bool, T], object] | None = None,
) -> dict[T, QRadioButton]:
    """One radio button per ``(value, text, description)`` in ``row``, exclusive among
    themselves (a button group owned by ``owner``), then a stretch. ``toggled(on, value)``
    is called when a button is checked or unchecked. A button is named by its text; the
    description says the choice in full ("Not checked yet whether the person can talk")."""
    group = QButtonGroup(owner)
    buttons: dict[T, QRadioButton] = {}
    for value, text, description in choices:
        radio = QRadioButton(text, parent)
        describe(radio, description)
        group.addButton(radio)
        row.addWidget(radio)
        if toggled is not None:
            radio.toggled.connect(lambda on, v=value: toggled(on, v))
        buttons[value] = radio
    row.addStretch(1)
    return buttons


def scaled_font(widget: QWidget, factor: float, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    size = font.pointSizeF()
    if size > 0:
        font.setPointSizeF(size * factor)
    else:
        font.setPixelSize(max(1, round(font.pixelSize() * factor)))
    font.setBold(bold)
    return font


def text_label(
    text: str = "",
    parent: QWidget | None = None,
    *,
    factor: float = 1.0,
    bold: bool = False,
    description: str | None = None,
) -> QLabel:
    """A wrapping label. Its accessible name is its text (never set apart from it);
    ``description`` says what it is for (app.ui.common.a11y)."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if factor != 1.0 or bold:
        label.setFont(scaled_font(label, factor, bold))
    if description:
        describe(label, description)
    return label


def button(
    text: str,
    accessible: str,
    slot: Callable[[], None] | None = None,
    parent: QWidget | None = None,
    *,
    primary: bool = False,
) -> QPushButton:
    widget = QPushButton(text, parent)
    widget.setAccessibleName(accessible)
    if slot is not None:
        widget.clicked.connect(lambda _checked=False: slot())
    if primary:
        widget.setAutoDefault(True)
        widget.setDefault(True)
        widget.setFont(scaled_font(widget, 1.15, bold=True))
    else:
        widget.setAutoDefault(True)
    return widget


def framed(parent: QWidget, width: int = 2) -> tuple[QFrame, QVBoxLayout]:
    """A boxed frame (words, a heavy line: never colour alone) and its layout."""
    frame = QFrame(parent)
    frame.setFrameShape(QFrame.Shape.Box)
    frame.setLineWidth(width)
    return frame, QVBoxLayout(frame)


class ScriptBox(QFrame):
    """A line for the handler to say, framed and headed "Say:"."""

    def __init__(
        self, parent: QWidget | None = None, *, factor: float = 1.2, caption: str | None = None
    ) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.Box)
        self.setLineWidth(2)
        layout = QVBoxLayout(self)
        self.caption = text_label(caption or _("Say:"), self, bold=True)
        self.text = text_label("", self, factor=factor)
        layout.addWidget(self.caption)
        layout.addWidget(self.text)

    def set_text(self, text: str) -> None:
        self.text.setText(text)
        describe(self.text, self.caption.text())


class WrappingCheckBox(QWidget):
    """A check box whose (long) text wraps; clicking the text toggles it."""

    toggled = Signal(bool)

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QCheckBox(self)
        self.box.setAccessibleName(text)
        self.label = text_label(text, self)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.label.setBuddy(self.box)
        self.label.mousePressEvent = self._clicked  # type: ignore[method-assign]
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
        self.box.toggled.connect(self.toggled)
        self.setFocusProxy(self.box)

    def set_text(self, text: str) -> None:
        """Change the words; the check box's name follows them."""
        self.label.setText(text)
        self.box.setAccessibleName(text)

    def _clicked(self, _event: QMouseEvent) -> None:
        self.box.toggle()

    def isChecked(self) -> bool:
        return self.box.isChecked()

    def setChecked(self, value: bool) -> None:
        self.box.setChecked(value)


class Page(QWidget):
    """One step: a heading, a scrolling body, and a row of buttons that never scrolls away."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        outer = QVBoxLayout(self)
        self.heading = text_label(title, self, factor=1.5, bold=True)
        outer.addWidget(self.heading)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_area.setAccessibleName(title)
        self.body = QWidget(self.scroll_area)
        self.body_layout = QVBoxLayout(self.body)
        self.scroll_area.setWidget(self.body)
        outer.addWidget(self.scroll_area, 1)
        self.problem = text_label("", self, bold=True, description=_("Problem"))
        self.problem.hide()
        outer.addWidget(self.problem)
        self.buttons = QHBoxLayout()
        outer.addLayout(self.buttons)

    wizard: Any = None  # the ScreeningWizard, set by each step
    _updating = False  # True while showing the session, so widget signals change nothing

    def act(self, change: Callable[[Session], object], *, quiet: bool = False) -> None:
        """Change the session through the wizard (not while the page is being filled in)."""
        if not self._updating and self.wizard is not None:
            self.wizard.act(change, quiet=quiet)

    def act_if(self, on: bool, change: Callable[[Session], object]) -> None:
        """For radio buttons: act when this one became checked."""
        if on:
            self.act(change)

    def show_problem(self, text: str) -> None:
        self.problem.setText(_("Note: {text}").format(text=text) if text else "")
        self.problem.setVisible(bool(text))

    def show_session(self, session: Session) -> None:
        """Show the session's state (called on entering the step and after changes)."""

    def focus_first(self) -> None:
        """Put the keyboard focus where the handler most likely continues."""


def clear_layout(layout: QLayout) -> None:
    """Remove and delete every widget in ``layout``."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.setParent(None)  # gone at once, even before the event loop deletes it
            widget.deleteLater()
