"""Add or edit a local support directory entry, with validation messages in words.

Editing a shipped entry saves a local entry with the same id, which replaces it.
The dialog validates with the same model as the data files; nothing is saved
until every problem is fixed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _, current_language
from app.referrals.directory import (
    NATIONAL,
    Audience,
    Directory,
    DirectoryEntry,
    Kind,
    stockholm_today,
)
from app.referrals.hours import hours_text, parse_hours_text
from app.referrals.loading import describe
from app.ui.admin.directory_model import kind_label

AUDIENCE = {
    Audience.WOMEN: N_("Women"),
    Audience.MEN: N_("Men"),
    Audience.LGBTQ: N_("LGBTQ people"),
    Audience.CHILDREN: N_("Children"),
    Audience.PEOPLE_USING_VIOLENCE: N_("People who use violence"),
    Audience.HONOUR_RELATED: N_("Honour-related violence"),
    Audience.PROSTITUTION_TRAFFICKING: N_("Prostitution and trafficking"),
    Audience.PROFESSIONALS: N_("Professionals"),
    Audience.EVERYONE: N_("Everyone"),
}
HOURS_ALWAYS, HOURS_WEEKLY, HOURS_VARY = "always", "weekly", "vary"


class DirectoryEntryDialog(QDialog):
    """``entry`` holds the validated entry after the dialog is accepted."""

    def __init__(
        self,
        directory: Directory,
        entry: DirectoryEntry | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Edit directory entry") if entry else _("New local entry"))
        self.entry: DirectoryEntry | None = None
        self._directory = directory
        self._editing = entry

        form = QFormLayout()
        self.id = self._line(_("Id"), _("lowercase letters, digits and _, e.g. umea_social"))
        self.name_sv = self._line(_("Name in Swedish"))
        self.name_en = self._line(_("Name in English"))
        self.description_sv = self._text(_("Description in Swedish"))
        self.description_en = self._text(_("Description in English"))
        self.kind = QComboBox(self)
        self.kind.setAccessibleName(_("Kind"))
        for kind in Kind:
            self.kind.addItem(kind_label(kind), kind.value)
        self.phone = self._line(_("Phone"), "090-16 10 00")
        self.hours_mode = QComboBox(self)
        self.hours_mode.setAccessibleName(_("Opening hours"))
        self.hours_mode.addItem(_("Around the clock"), HOURS_ALWAYS)
        self.hours_mode.addItem(_("Weekly hours"), HOURS_WEEKLY)
        self.hours_mode.addItem(_("Hours vary or are on the website"), HOURS_VARY)
        self.hours = self._line(_("Weekly hours"), "mon-fri 08:00-16:30; sat 10:00-14:00")
        self.hours_mode.currentIndexChanged.connect(self._hours_mode_changed)
        self.web = self._line(_("Web address"), "https://www.example.se")
        self.languages = self._line(_("Languages"), "sv, en")
        self.scope = self._line(_("Scope"), _("national, or a municipality code like 0180"))
        self.local_for = QComboBox(self)
        self.local_for.setAccessibleName(_("Stands for national entry"))
        self.local_for.addItem(_("(none)"), None)
        for item in directory:
            if not item.is_local:
                self.local_for.addItem(item.name.get(current_language()), item.id)
        self.last_verified = QDateEdit(self)
        self.last_verified.setAccessibleName(_("Last verified"))
        self.last_verified.setCalendarPopup(True)
        self.last_verified.setDisplayFormat("yyyy-MM-dd")
        self.note_sv = self._line(_("Note for the handler in Swedish"))
        self.note_en = self._line(_("Note for the handler in English"))

        form.addRow(_("&Id:"), self.id)
        form.addRow(_("&Name (Swedish):"), self.name_sv)
        form.addRow(_("Name (&English):"), self.name_en)
        form.addRow(_("&Description (Swedish):"), self.description_sv)
        form.addRow(_("Description (En&glish):"), self.description_en)
        form.addRow(_("&Kind:"), self.kind)
        form.addRow(_("&Phone:"), self.phone)
        form.addRow(_("&Opening hours:"), self.hours_mode)
        form.addRow(_("&Weekly hours:"), self.hours)
        form.addRow(_("We&b address:"), self.web)
        form.addRow(self._audience_box())
        form.addRow(_("&Languages:"), self.languages)
        form.addRow(self._flags_box())
        form.addRow(_("&Scope:"), self.scope)
        form.addRow(_("Stands &for:"), self.local_for)
        form.addRow(_("Last &verified:"), self.last_verified)
        form.addRow(_("No&te (Swedish):"), self.note_sv)
        form.addRow(_("Note (Englis&h):"), self.note_en)

        inner = QWidget(self)
        inner.setLayout(form)
        scroll = QScrollArea(self)
        scroll.setAccessibleName(_("Entry details"))
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        self.problems = QLabel("", self)
        self.problems.setWordWrap(True)
        self.problems.setAccessibleDescription(_("Problems to fix"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        for button in self.buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.resize(640, 760)
        self._fill(entry)

    def _line(self, name: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        return edit

    def _text(self, name: str) -> QPlainTextEdit:
        edit = QPlainTextEdit(self)
        edit.setAccessibleName(name)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(70)
        return edit

    def _audience_box(self) -> QGroupBox:
        box = QGroupBox(_("For whom"), self)
        grid = QGridLayout(box)
        self.audience: dict[Audience, QCheckBox] = {}
        for number, (audience, label) in enumerate(AUDIENCE.items()):
            check = QCheckBox(_(label), box)
            check.setAccessibleName(_(label))
            grid.addWidget(check, number // 3, number % 3)
            self.audience[audience] = check
        return box

    def _flags_box(self) -> QGroupBox:
        box = QGroupBox(_("The service"), self)
        grid = QGridLayout(box)
        labels = {
            "interpreters": _("Interpreters for many languages"),
            "free": _("Free of charge"),
            "anonymous": _("Callers can stay anonymous"),
            "not_on_phone_bill": _("Does not show on the phone bill"),
        }
        self.flags: dict[str, QCheckBox] = {}
        for number, (key, label) in enumerate(labels.items()):
            check = QCheckBox(label, box)
            check.setAccessibleName(label)
            grid.addWidget(check, number // 2, number % 2)
            self.flags[key] = check
        return box

    def _hours_mode_changed(self) -> None:
        self.hours.setEnabled(self.hours_mode.currentData() == HOURS_WEEKLY)

    def _fill(self, entry: DirectoryEntry | None) -> None:
        today = stockholm_today()
        self.last_verified.setDate(QDate(today.year, today.month, today.day))
        self.last_verified.setMaximumDate(QDate(today.year, today.month, today.day))
        if entry is None:
            self.scope.setText(NATIONAL)
            self.languages.setText("sv")
            self.hours_mode.setCurrentIndex(self.hours_mode.findData(HOURS_VARY))
            self._hours_mode_changed()
            return
        self.id.setText(entry.id)
        self.id.setReadOnly(True)
        self.name_sv.setText(entry.name.sv)
        self.name_en.setText(entry.name.en)
        self.description_sv.setPlainText(entry.description.sv)
        self.description_en.setPlainText(entry.description.en)
        self.kind.setCurrentIndex(self.kind.findData(entry.kind.value))
        self.phone.setText(entry.phone or "")
        mode = (
            HOURS_VARY
            if entry.hours is None
            else HOURS_ALWAYS
            if entry.hours.always
            else HOURS_WEEKLY
        )
        self.hours_mode.setCurrentIndex(self.hours_mode.findData(mode))
        self.hours.setText(hours_text(entry.hours))
        self.web.setText(entry.web or "")
        for audience, check in self.audience.items():
            check.setChecked(audience in entry.audience)
        self.languages.setText(", ".join(entry.languages))
        for key, check in self.flags.items():
            check.setChecked(bool(getattr(entry, key)))
        self.scope.setText(entry.scope)
        self.local_for.setCurrentIndex(max(self.local_for.findData(entry.local_for), 0))
        # keep the date it was verified; the administrator changes it when they check again
        verified = entry.last_verified
        self.last_verified.setDate(QDate(verified.year, verified.month, verified.day))
        if entry.note is not None:
            self.note_sv.setText(entry.note.sv)
            self.note_en.setText(entry.note.en)
        self._hours_mode_changed()

    def form_data(self) -> dict[str, Any]:
        """The form as entry data (not yet validated); raises ValueError for typed hours."""
        mode = self.hours_mode.currentData()
        hours: Any = None
        if mode == HOURS_ALWAYS:
            hours = {"always": True}
        elif mode == HOURS_WEEKLY:
            hours = parse_hours_text(self.hours.text()).model_dump(mode="json")
        note = None
        if self.note_sv.text().strip() or self.note_en.text().strip():
            note = {"sv": self.note_sv.text(), "en": self.note_en.text()}
        verified = self.last_verified.date()
        return {
            "id": self.id.text().strip(),
            "name": {"sv": self.name_sv.text(), "en": self.name_en.text()},
            "description": {
                "sv": self.description_sv.toPlainText(),
                "en": self.description_en.toPlainText(),
            },
            "kind": self.kind.currentData(),
            "phone": self.phone.text().strip() or None,
            "hours": hours,
            "web": self.web.text().strip() or None,
            "audience": [a.value for a, check in self.audience.items() if check.isChecked()],
            "languages": [c.strip() for c in self.languages.text().split(",") if c.strip()],
            **{key: check.isChecked() for key, check in self.flags.items()},
            "scope": self.scope.text().strip(),
            "local_for": self.local_for.currentData(),
            "last_verified": date(verified.year(), verified.month(), verified.day()).isoformat(),
            "note": note,
        }

    def accept(self) -> None:
        try:
            data = self.form_data()
        except ValueError as error:
            self.problems.setText(_("Weekly hours: {message}").format(message=error))
            return
        problems = []
        if self._editing is None and data["id"] in self._directory:
            problems.append(_("id: another entry already has this id"))
        try:
            entry = DirectoryEntry.model_validate(data)
        except ValidationError as error:
            problems += [f"{field}: {message}" for _loc, field, message in describe(error)]
            entry = None
        if problems or entry is None:
            self.problems.setText("\n".join(problems))
            return
        self.entry = entry
        super().accept()
