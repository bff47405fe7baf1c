"""Two parts shared by wizard steps: sheltered housing with its prompt, and the callback.

- :class:`ShelteredBox`: "lives in sheltered housing", on every path (the safety step,
  before asking or not); when ticked, the benefit's prompt to adapt deadlines and ways
  of contact opens, and the handler ticks it when done (recorded done or not).
- :class:`CallbackBox`: on the not-asked step, the callback agreed to ask again: the day
  and the part of the day, never a phone number. Saving keeps a follow-up.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, current_language
from app.screening.enums import DayPart
from app.screening.labels import day_part_label
from app.screening.session import Session
from app.ui.wizard.common import Page, WrappingCheckBox, radio_choices


class ShelteredBox(QGroupBox):
    def __init__(self, page: Page, parent: QWidget) -> None:
        super().__init__(_("Sheltered housing"), parent)
        self.page = page
        layout = QVBoxLayout(self)
        self.hint = QLabel(
            _(
                "You noticed a sign that may mean sheltered housing: if the person lives "
                "there, record it, so that deadlines and ways of contact are adapted."
            ),
            self,
        )
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.flag = QCheckBox(_("Li&ves in sheltered housing"), self)
        self.flag.setAccessibleName(_("Lives in sheltered housing"))
        self.flag.toggled.connect(lambda on: page.act(lambda s: s.set_sheltered_housing(on)))
        layout.addWidget(self.flag)
        self.prompt = WrappingCheckBox("", self)
        layout.addWidget(self.prompt)
        self._prompt_id: str | None = None
        self.prompt.toggled.connect(self._prompt_toggled)

    def _prompt_toggled(self, on: bool) -> None:
        prompt = self._prompt_id
        if prompt is not None:
            self.page.act(lambda s: s.set_consequence_done(prompt, on))

    def show_session(self, session: Session) -> None:
        """Called while the page is being filled in (its signals change nothing)."""
        state = session.state
        self.hint.setVisible(session.sheltered_sign_ticked() and not state.sheltered_housing)
        self.flag.setChecked(state.sheltered_housing)
        self._prompt_id = session.sheltered_prompt()
        consequence = next(
            (item for item in session.protocol.consequences if item.id == self._prompt_id), None
        )
        if consequence is not None:
            text = _("Done: {prompt}").format(prompt=consequence.text.get(current_language()))
            self.prompt.set_text(text)
            self.prompt.setChecked(consequence.id in state.consequences_done)
        self.prompt.setVisible(state.sheltered_housing and consequence is not None)


class CallbackBox(QGroupBox):
    def __init__(self, page: Page, parent: QWidget) -> None:
        super().__init__(_("Ask again"), parent)
        self.page = page
        layout = QVBoxLayout(self)
        self.agreed = QCheckBox(_("A &callback was agreed (to ask again)"), self)
        self.agreed.setAccessibleName(_("A callback was agreed to ask again"))
        self.agreed.toggled.connect(lambda _on: self._changed())
        layout.addWidget(self.agreed)
        row = QHBoxLayout()
        self.day = QDateEdit(self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setAccessibleName(_("Day of the callback"))
        inner = self.day.findChild(QLineEdit)
        if inner is not None:  # the text field inside is what a screen reader lands on
            inner.setAccessibleName(_("Day of the callback"))
        self.day.dateChanged.connect(lambda _d: self._changed())
        caption = QLabel(_("Da&y:"), self)
        caption.setBuddy(self.day)
        row.addWidget(caption)
        row.addWidget(self.day)
        self.parts = radio_choices(
            page,
            self,
            row,
            [
                (
                    part,
                    day_part_label(part),
                    _("Part of the day: {part}").format(part=day_part_label(part)),
                )
                for part in DayPart
            ],
            lambda on, _v: self._changed() if on else None,
        )
        layout.addLayout(row)
        self.note = QLabel(
            _("No phone number is kept. The screening is listed to ask again."), self
        )
        self.note.setWordWrap(True)
        layout.addWidget(self.note)

    def _chosen_part(self) -> DayPart:
        return next((p for p, b in self.parts.items() if b.isChecked()), DayPart.MORNING)

    def _changed(self) -> None:
        on = self.agreed.isChecked()
        self._enable(on)
        if not on:
            self.page.act(lambda s: s.set_callback(None, None), quiet=True)
            return
        picked = self.day.date()
        day = date(picked.year(), picked.month(), picked.day())
        part = self._chosen_part()
        self.parts[part].setChecked(True)
        self.page.act(lambda s: s.set_callback(day, part), quiet=True)

    def _enable(self, on: bool) -> None:
        self.day.setEnabled(on)
        for radio in self.parts.values():
            radio.setEnabled(on)

    def show_session(self, session: Session) -> None:
        """Called while the page is being filled in (its signals change nothing)."""
        state = session.state
        agreed = state.callback_day is not None
        self.agreed.setChecked(agreed)
        day = state.callback_day or date.today() + timedelta(days=1)
        today = date.today()
        self.day.setMinimumDate(QDate(today.year, today.month, today.day))
        self.day.setDate(QDate(day.year, day.month, day.day))
        self.parts[state.callback_part or DayPart.MORNING].setChecked(True)
        self._enable(agreed)
