"""The discreet support sheet: choose entries and language, print it or save it as PDF.

    dialog = SupportSheetDialog(entries, contact, parent, language="ar")
    dialog.exec()
    dialog.info_given      # True once printed, saved or read aloud
    dialog.chosen_ids()    # the entry ids given to the person

The discreet version (the default: the person takes the sheet home) names each line
neutrally, with its number, hours and what the call costs or shows; the full version adds
what each line is for. Printing and PDF files: :mod:`app.ui.wizard.pdf`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.i18n import _, current_language
from app.referrals.directory import DirectoryEntry
from app.referrals.sheet import (
    Sheet,
    build_sheet,
    for_professionals,
    name_without_number,
    phone_script,
    safety_reminder,
)
from app.referrals.sheet_texts import sheet_languages
from app.screening.enums import Contact
from app.screening.labels import language_label
from app.ui.common.a11y import describe
from app.ui.wizard.pdf import choose_pdf_path, esc, make_document, print_with_dialog, write_pdf


def sheet_html(sheet: Sheet) -> str:
    """The sheet as Qt rich text; numbers are kept left-to-right inside right-to-left text."""
    number = "\u202a{}\u202c" if sheet.right_to_left else "{}"
    parts = [
        f"<h2>{esc(sheet.title)}</h2>",
        f"<p>{esc(sheet.intro)}</p>",
    ]
    for entry in sheet.entries:
        lines = [f"<b>{esc(entry.name)}</b>"]
        if entry.phone:
            phone = number.format(esc(entry.phone))
            lines.append(f"{esc(sheet.labels.phone)}: <b>{phone}</b>")
        lines.append(f"{esc(sheet.labels.hours)}: {esc(entry.hours)}")
        if entry.web:
            lines.append(f"{esc(sheet.labels.web)}: {number.format(esc(entry.web))}")
        if entry.description:
            lines.append(esc(entry.description))
        if entry.facts:
            lines.append(esc(" · ".join(entry.facts)))
        parts.append('<p style="margin-top: 6px">' + "<br/>".join(lines) + "</p>")
    parts.append(f"<p><b>{esc(sheet.footer)}</b></p>")
    return "\n".join(parts)


def sheet_document(sheet: Sheet, point_size: float = 11.0) -> QTextDocument:
    return make_document(sheet_html(sheet), point_size, sheet.right_to_left)


class SupportSheetDialog(QDialog):
    """Give support information: a printed or PDF sheet, or numbers read aloud on the phone."""

    def __init__(
        self,
        entries: Sequence[DirectoryEntry],
        contact: Contact,
        parent: QWidget | None = None,
        *,
        language: str | None = None,
        unverified: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Support information"))
        self._entries = list(entries)
        self._unverified = unverified
        self._contact = contact
        self._confirmed_unreviewed: set[str] = set()
        self._preview_document: QTextDocument | None = None
        self.info_given = False
        self.saved_to: Path | None = None
        layout = QVBoxLayout(self)

        self.reminder = QLabel(safety_reminder(), self)
        self.reminder.setWordWrap(True)
        describe(self.reminder, _("Safety reminder"))
        layout.addWidget(self.reminder)

        self.read_aloud: QCheckBox | None = None
        if contact in (Contact.PHONE, Contact.VIDEO):  # read aloud: nothing handed over
            layout.addWidget(self._phone_box())

        row = QHBoxLayout()
        self.language = QComboBox(self)
        self.language.setAccessibleName(_("Language of the sheet"))
        for code, texts in sheet_languages().items():
            # In the interface's language, with the language's own name beside it.
            label = language_label(code)
            if texts.name.casefold() != label.casefold():
                label = f"{label} ({texts.name})"
            if not texts.reviewed_by_professional_translator:
                label = _("{language} (not reviewed by a translator)").format(language=label)
            self.language.addItem(label, code)
        index = self.language.findData(language) if language else -1
        self.language.setCurrentIndex(max(index, 0))
        language_caption = QLabel(_("Sheet &language:"), self)
        language_caption.setBuddy(self.language)
        row.addWidget(language_caption)
        row.addWidget(self.language, 1)
        layout.addLayout(row)

        self.entry_boxes: list[QCheckBox] = []
        entries_group = QGroupBox(_("On the sheet"), self)
        entries_layout = QVBoxLayout(entries_group)
        for entry in self._entries:
            name = entry.name.get(current_language())
            text = name_without_number(name, entry.phone)
            if entry.phone:
                text = f"{text} – {entry.phone}"
            if for_professionals(entry):
                text = _("{entry} (for you as the handler, not for the sheet)").format(entry=text)
            if entry.id in self._unverified:
                text = unverified_text(text)
            box = QCheckBox(text, entries_group)  # heard as shown, the warning included
            box.setChecked(not for_professionals(entry))
            box.toggled.connect(self._update)
            entries_layout.addWidget(box)
            self.entry_boxes.append(box)
        layout.addWidget(entries_group)

        self.discreet = QCheckBox(
            _("D&iscreet version: numbers and hours only, nothing about what they are for"), self
        )
        describe(self.discreet, _("Discreet version of the sheet"))
        self.discreet.setChecked(True)  # the person takes it home: someone else may see it
        self.discreet.toggled.connect(self._update)
        layout.addWidget(self.discreet)

        self.safe_to_give: QCheckBox | None = None
        if contact not in (Contact.IN_PERSON, Contact.MULTI_PARTY_MEETING):
            self.safe_to_give = QCheckBox(
                _("The person says it is &safe to get the sheet by post or e-mail"), self
            )
            self.safe_to_give.toggled.connect(self._update)
            layout.addWidget(self.safe_to_give)

        self.preview = QTextBrowser(self)
        self.preview.setAccessibleName(_("Sheet preview"))
        self.preview.setMinimumHeight(220)
        layout.addWidget(self.preview, 1)

        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        describe(self.status, _("Sheet status"))
        layout.addWidget(self.status)

        buttons = QHBoxLayout()
        self.print_button = QPushButton(_("&Print …"), self)
        self.print_button.setAccessibleName(_("Print the sheet"))
        self.print_button.clicked.connect(self.print_sheet)
        self.pdf_button = QPushButton(_("Save as P&DF …"), self)
        self.pdf_button.setAccessibleName(_("Save the sheet as PDF"))
        self.pdf_button.clicked.connect(self.save_pdf)
        self.done_button = QPushButton(_("Do&ne"), self)
        describe(self.done_button, _("Close the support sheet"))
        self.done_button.clicked.connect(self.accept)
        for button in (self.print_button, self.pdf_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        layout.addLayout(buttons)

        self.language.currentIndexChanged.connect(self._update)
        self.resize(640, 720)
        self._update()

    def _phone_box(self) -> QGroupBox:
        box = QGroupBox(_("On the phone: read the key numbers aloud"), self)
        inner = QVBoxLayout(box)
        script = QLabel("\n\n".join(phone_script(self._entries, current_language())), box)
        script.setWordWrap(True)
        script.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        describe(script, _("Phone script"))
        inner.addWidget(script)
        self.read_aloud = QCheckBox(_("I have &read the numbers aloud"), box)
        self.read_aloud.setAccessibleName(_("I have read the numbers aloud"))
        self.read_aloud.toggled.connect(self._read_aloud_changed)
        inner.addWidget(self.read_aloud)
        self.phone_script_label = script
        return box

    def chosen_entries(self) -> list[DirectoryEntry]:
        pairs = zip(self._entries, self.entry_boxes, strict=True)
        return [entry for entry, box in pairs if box.isChecked()]

    def chosen_ids(self) -> list[str]:
        return [entry.id for entry in self.chosen_entries()]

    def sheet_language(self) -> str:
        return str(self.language.currentData())

    def sheet(self) -> Sheet:
        return build_sheet(
            self.chosen_entries(), self.sheet_language(), discreet=self.discreet.isChecked()
        )

    def _read_aloud_changed(self, checked: bool) -> None:
        if checked:
            self.info_given = True

    def _update(self) -> None:
        sheet = self.sheet()
        direction = (
            Qt.LayoutDirection.RightToLeft
            if sheet.right_to_left
            else Qt.LayoutDirection.LeftToRight
        )
        self.preview.setLayoutDirection(direction)
        document = sheet_document(sheet)
        document.setParent(self.preview)  # the preview owns it; the previous one is let go
        previous = self._preview_document
        self.preview.setDocument(document)
        self._preview_document = document
        if previous is not None:
            previous.deleteLater()
        allowed = bool(sheet.entries) and (
            self.safe_to_give is None or self.safe_to_give.isChecked()
        )
        self.print_button.setEnabled(allowed)
        self.pdf_button.setEnabled(allowed)
        if not sheet.entries:
            self.status.setText(_("Choose at least one entry for the sheet."))
        elif not allowed:
            self.status.setText(
                _(
                    "Only send the sheet if the person says it is safe. "
                    "Otherwise read the numbers aloud."
                )
            )
        elif not sheet.reviewed:
            self.status.setText(
                _("This translation has not been reviewed by a professional translator.")
            )
        else:
            self.status.setText("")

    def _confirm_translation(self, sheet: Sheet) -> bool:
        if sheet.reviewed or sheet.language in self._confirmed_unreviewed:
            return True
        answer = QMessageBox.question(
            self,
            _("Translation not reviewed"),
            _(
                "The {language} sheet has not been reviewed by a professional translator. "
                "Give it anyway? The phone numbers are correct."
            ).format(language=language_label(sheet.language)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.status.setText(_("Nothing was printed: the translation was not confirmed."))
            return False
        self._confirmed_unreviewed.add(sheet.language)
        return True

    def _builder(self, sheet: Sheet) -> Callable[[float], QTextDocument]:
        return lambda size: sheet_document(sheet, size)

    def save_pdf(self) -> None:
        sheet = self.sheet()
        if not sheet.entries or not self._confirm_translation(sheet):
            return
        target = choose_pdf_path(self, _("Save the sheet as PDF"), _("numbers.pdf"))
        if target is None:
            return
        try:
            write_pdf(self._builder(sheet), target, sheet.title)
        except UserError as error:
            self.status.setText(error.message)
            return
        self.saved_to = target
        self.info_given = True
        self.status.setText(_("Saved as {name}.").format(name=target.name))

    def print_sheet(self) -> None:
        sheet = self.sheet()
        if not sheet.entries or not self._confirm_translation(sheet):
            return
        try:
            printed = print_with_dialog(self._builder(sheet), self)
        except UserError as error:
            self.status.setText(error.message)
            return
        if printed:
            self.info_given = True
            self.status.setText(_("The sheet was sent to the printer."))


def unverified_text(text: str) -> str:
    """An entry's text with the warning that its number and hours are not verified."""
    return _("{entry} – WARNING: not verified; check the number before you give it").format(
        entry=text
    )
