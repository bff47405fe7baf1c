"""Start: benefit (remembered), case type where it matters, contact, client, case reference."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from babel import Locale
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, current_language
from app.screening.enums import CaseType, ClientSex, Contact, Mode
from app.screening.labels import benefit_label, case_type_label
from app.screening.protocols import ProtocolSet
from app.ui.wizard.common import Page, button, radio_choices, text_label
from app.ui.wizard.earlier_contacts import EarlierContacts

# The languages offered first; any other ISO 639-1 code can be typed.
COMMON_LANGUAGES = (
    "sv",
    "ar",
    "en",
    "so",
    "fa",
    "ti",
    "pl",
    "fi",
    "es",
    "de",
    "fr",
    "ru",
    "uk",
    "tr",
    "ku",
    "sr",
    "bs",
    "hr",
    "sq",
    "th",
    "zh",
    "vi",
    "am",
)


def language_name(code: str, ui_language: str) -> str:
    try:
        name = Locale.parse(ui_language).languages.get(code)
    except (ValueError, LookupError):
        name = None
    return f"{name} ({code})" if name else code


class Notice(QFrame):
    """A framed message on the start page, with up to two actions (resume / discard, retry)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.Box)
        self.setLineWidth(2)
        layout = QVBoxLayout(self)
        self.text = text_label("", self, bold=True, description=_("Message"))
        layout.addWidget(self.text)
        row = QHBoxLayout()
        self.first = button("", _("First action"), None, self)
        self.second = button("", _("Second action"), None, self)
        row.addWidget(self.first)
        row.addWidget(self.second)
        row.addStretch(1)
        layout.addLayout(row)
        self._slots: list[Callable[[], None]] = []
        self.first.clicked.connect(lambda: self._run(0))
        self.second.clicked.connect(lambda: self._run(1))
        self.hide()

    def show_message(
        self, text: str, actions: list[tuple[str, str, Callable[[], None]]] | None = None
    ) -> None:
        self.text.setText(text)
        self._slots = []
        chosen = list(actions or [])
        for index, widget in enumerate((self.first, self.second)):
            if index >= len(chosen):
                widget.hide()
                continue
            label, accessible, slot = chosen[index]
            widget.setText(label)
            widget.setAccessibleName(accessible)
            widget.show()
            self._slots.append(slot)
        self.show()

    def _run(self, index: int) -> None:
        if index < len(self._slots):
            self._slots[index]()


class StartPage(Page):
    start_requested = Signal(dict)
    reference_entered = Signal(str)  # the case reference, to look up earlier contacts

    def __init__(self, protocols: ProtocolSet, parent: QWidget | None = None) -> None:
        super().__init__(_("Start a screening"), parent)
        self._protocols = protocols
        self.notice = Notice(self.body)
        self.body_layout.addWidget(self.notice)
        form = QFormLayout()
        self.body_layout.addLayout(form)

        self.benefit = QComboBox(self.body)
        self.benefit.setAccessibleName(_("Benefit"))
        for benefit in protocols.benefits():
            self.benefit.addItem(benefit_label(benefit), benefit)
        self.benefit.currentIndexChanged.connect(self._benefit_changed)
        benefit_caption = QLabel(_("&Benefit:"), self.body)
        benefit_caption.setBuddy(self.benefit)
        form.addRow(benefit_caption, self.benefit)

        self.case_type = QComboBox(self.body)
        self.case_type.setAccessibleName(_("Case type"))
        for case_type in CaseType:
            self.case_type.addItem(case_type_label(case_type), case_type.value)
        self.case_type_caption = QLabel(_("Case t&ype:"), self.body)
        self.case_type_caption.setBuddy(self.case_type)
        form.addRow(self.case_type_caption, self.case_type)
        self.case_type.currentIndexChanged.connect(self._show_mode)
        self.mode_note = text_label("", self.body, description=_("When to ask"))
        form.addRow(self.mode_note)

        contact_row = QHBoxLayout()
        self.contact_buttons = radio_choices(
            self,
            self.body,
            contact_row,
            [
                (contact, text, _("Contact: {channel}").format(channel=text.replace("&", "")))
                for contact, text in (
                    (Contact.PHONE, _("P&hone")),
                    (Contact.VIDEO, _("&Video")),
                    (Contact.IN_PERSON, _("In pers&on")),
                    (Contact.MULTI_PARTY_MEETING, _("Multi-party meeting")),
                    (Contact.WRITTEN, _("Wri&tten")),
                )
            ],
        )
        form.addRow(_("Contact:"), contact_row)

        sex_row = QHBoxLayout()
        self.sex_buttons = radio_choices(
            self,
            self.body,
            sex_row,
            [
                (sex, text, _("Client's legal sex: {sex}").format(sex=text.replace("&", "")))
                for sex, text in (
                    (ClientSex.FEMALE, _("&Woman")),
                    (ClientSex.MALE, _("Ma&n")),
                    (ClientSex.UNKNOWN, _("Not &known")),
                )
            ],
        )
        form.addRow(_("Client (legal sex):"), sex_row)

        self.language = QComboBox(self.body)
        self.language.setAccessibleName(_("Client's language"))
        ui = current_language()
        for code in COMMON_LANGUAGES:
            self.language.addItem(language_name(code, ui), code)
        language_caption = QLabel(_("Client's lan&guage:"), self.body)
        language_caption.setBuddy(self.language)
        form.addRow(language_caption, self.language)

        self.case_reference = QLineEdit(self.body)
        self.case_reference.setAccessibleName(_("Case reference (optional)"))
        self.case_reference.setMaxLength(100)
        reference_caption = QLabel(_("Case r&eference (optional):"), self.body)
        reference_caption.setBuddy(self.case_reference)
        form.addRow(reference_caption, self.case_reference)
        self.case_reference.returnPressed.connect(self._start)
        self.case_reference.editingFinished.connect(
            lambda: self.reference_entered.emit(self.case_reference.text().strip())
        )
        self.earlier = EarlierContacts(self.body)
        self.body_layout.addWidget(self.earlier)
        self.body_layout.addStretch(1)

        self.start_button = button(
            _("Start s&creening"), _("Start screening"), self._start, self, primary=True
        )
        self.buttons.addWidget(self.start_button)
        self.buttons.addStretch(1)
        self.reset("sickness_benefit", CaseType.RETURN_TO_WORK_INVESTIGATION)

    def reset(
        self,
        benefit: str,
        case_type: CaseType | None,
        *,
        contact: Contact = Contact.PHONE,
        sex: ClientSex = ClientSex.UNKNOWN,
        language: str = "sv",
        case_reference: str = "",
    ) -> None:
        index = self.benefit.findData(benefit)
        self.benefit.setCurrentIndex(max(index, 0))
        if case_type is not None:
            self.case_type.setCurrentIndex(max(self.case_type.findData(case_type.value), 0))
        self.contact_buttons[contact].setChecked(True)
        self.sex_buttons[sex].setChecked(True)
        found = self.language.findData(language)
        if found < 0:
            self.language.addItem(language_name(language, current_language()), language)
            found = self.language.count() - 1
        self.language.setCurrentIndex(found)
        self.case_reference.setText(case_reference)
        self.earlier.show_records([])
        if case_reference:
            self.reference_entered.emit(case_reference)
        self._benefit_changed()

    def _benefit_changed(self) -> None:
        benefit = self.benefit.currentData()
        needs = bool(benefit) and self._protocols.latest(benefit).needs_case_type
        self.case_type.setVisible(needs)
        self.case_type_caption.setVisible(needs)
        self._show_mode()

    def _show_mode(self) -> None:
        """When asking is called for with this benefit (and case type)."""
        benefit = self.benefit.currentData()
        if not benefit:
            return
        protocol = self._protocols.latest(benefit)
        case_type = CaseType(self.case_type.currentData()) if protocol.needs_case_type else None
        routine = protocol.mode_for(case_type) is Mode.ROUTINE
        self.mode_note.setText(
            _("Asked routinely: in every contact where it is safe.")
            if routine
            else _("Asked on indication: when you notice signs, and it is safe.")
        )

    def values(self) -> dict[str, Any]:
        benefit = self.benefit.currentData()
        needs = self._protocols.latest(benefit).needs_case_type
        contact = next(c for c, radio in self.contact_buttons.items() if radio.isChecked())
        sex = next(s for s, radio in self.sex_buttons.items() if radio.isChecked())
        return {
            "benefit": benefit,
            "case_type": CaseType(self.case_type.currentData()) if needs else None,
            "contact": contact,
            "client_sex": sex,
            "language": self.language.currentData(),
            "case_reference": self.case_reference.text().strip() or None,
        }

    def _start(self) -> None:
        self.start_requested.emit(self.values())

    def focus_first(self) -> None:
        if self.notice.isVisible() and self.notice.first.isVisible():
            self.notice.first.setFocus()  # an offer to resume comes first
        else:
            self.start_button.setFocus()
