"""Correcting a saved screening: the result is a new version, the old one is kept."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.i18n import _
from app.screening.enums import Answer, ClientSex, NotAskedReason, ViolenceForm
from app.screening.labels import (
    answer_label,
    client_sex_label,
    field_label,
    reason_label,
    violence_form_label,
)
from app.screening.record import ScreeningRecord, describe_errors
from app.ui.common.a11y import describe


def _combo(parent: QWidget, name: str, items: list[tuple[str, Any]], current: Any) -> QComboBox:
    combo = QComboBox(parent)
    combo.setAccessibleName(name)
    for text, value in items:
        combo.addItem(text, value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def _check(parent: QWidget, text: str, checked: bool) -> QCheckBox:
    box = QCheckBox(text, parent)
    box.setAccessibleName(text.replace("&", ""))
    box.setChecked(checked)
    return box


TRISTATE = "unknown"


class CorrectionDialog(QDialog):
    """Edit the fields a handler may correct; ``corrected()`` is the new record."""

    def __init__(self, record: ScreeningRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Correct the screening"))
        self.record = record
        form = QFormLayout(self)
        form.addRow(
            QLabel(_("A correction is saved as a new version; the old version is kept."), self)
        )
        self.answer: QComboBox | None = None
        self.reason: QComboBox | None = None
        self.forms: dict[ViolenceForm, QCheckBox] = {}
        if record.asked:
            self.answer = _combo(
                self,
                _("Answer"),
                [(answer_label(a), a.value) for a in Answer],
                record.answer.value if record.answer else None,
            )
            form.addRow(self._caption(_("&Answer:"), self.answer), self.answer)
            forms_box = QGroupBox(_("Forms of violence"), self)
            grid = QGridLayout(forms_box)
            for index, item in enumerate(ViolenceForm):
                box = _check(forms_box, violence_form_label(item), item in record.violence_forms)
                grid.addWidget(box, index // 2, index % 2)
                self.forms[item] = box
            form.addRow(forms_box)
            self.immediate_danger = _check(self, _("Immediate &danger"), record.immediate_danger)
            self.high_risk = _check(self, _("High &risk"), record.high_risk)
            self.children_combo = _combo(
                self,
                _("Children affected"),
                [(_("Yes"), True), (_("No"), False), (_("Not known"), TRISTATE)],
                TRISTATE if record.children_affected is None else record.children_affected,
            )
            self.child_report = _check(
                self, _("Report to social services &made"), record.child_report
            )
            for widget in (self.immediate_danger, self.high_risk):
                form.addRow(widget)
            form.addRow(
                self._caption(_("&Children affected:"), self.children_combo), self.children_combo
            )
            form.addRow(self.child_report)
        else:
            self.reason = _combo(
                self,
                _("Why the question was not asked"),
                [(reason_label(r), r.value) for r in NotAskedReason],
                record.not_asked_reason.value if record.not_asked_reason else None,
            )
            form.addRow(self._caption(_("&Reason:"), self.reason), self.reason)
        # sheltered housing is recorded on every path, asked or not (issue 13)
        self.sheltered = _check(self, _("Sheltered &housing"), record.sheltered_housing)
        form.addRow(self.sheltered)
        self.info_given = _check(self, _("Support informatio&n given"), record.info_given)
        form.addRow(self.info_given)
        self.client_sex = _combo(
            self,
            _("Client's legal sex"),
            [(client_sex_label(s), s.value) for s in ClientSex],
            record.client_sex.value,
        )
        form.addRow(self._caption(_("Client (legal &sex):"), self.client_sex), self.client_sex)
        self.case_reference = QLineEdit(record.case_reference or "", self)
        self.case_reference.setAccessibleName(_("Case reference (optional)"))
        self.case_reference.setMaxLength(100)
        form.addRow(self._caption(_("Case r&eference:"), self.case_reference), self.case_reference)
        self.notes = QPlainTextEdit(record.notes or "", self)
        self.notes.setAccessibleName(_("Notes (optional)"))
        self.notes.setTabChangesFocus(True)
        form.addRow(self._caption(_("No&tes:"), self.notes), self.notes)
        self.problems = QLabel("", self)
        self.problems.setWordWrap(True)
        describe(self.problems, _("Problems"))
        form.addRow(self.problems)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        for standard in (
            QDialogButtonBox.StandardButton.Save,
            QDialogButtonBox.StandardButton.Cancel,
        ):
            push = buttons.button(standard)
            if push is not None:
                push.setAccessibleName(push.text().replace("&", ""))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.result_record: ScreeningRecord | None = None

    def _caption(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def changes(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "info_given": self.info_given.isChecked(),
            "sheltered_housing": self.sheltered.isChecked(),
            "client_sex": self.client_sex.currentData(),
            "case_reference": self.case_reference.text().strip() or None,
            "notes": self.notes.toPlainText().strip() or None,
        }
        if self.answer is not None:
            answer = self.answer.currentData()
            children = self.children_combo.currentData()
            data.update(
                answer=answer,
                violence_forms=[f.value for f, box in self.forms.items() if box.isChecked()]
                if answer == Answer.DISCLOSED.value
                else [],
                immediate_danger=self.immediate_danger.isChecked(),
                high_risk=self.high_risk.isChecked(),
                children_affected=None if children == TRISTATE else children,
                child_report=self.child_report.isChecked(),
            )
        if self.reason is not None:
            data["not_asked_reason"] = self.reason.currentData()
        return data

    def corrected(self) -> ScreeningRecord:
        """The new version; raises ``ValidationError`` when the fields do not fit together."""
        return ScreeningRecord.model_validate(
            {**self.record.model_dump(mode="json"), **self.changes()}
        )

    def accept(self) -> None:
        try:
            self.result_record = self.corrected()
        except ValidationError as error:
            # The rules' own words name fields by id (for files); here: the field as read.
            fields = dict.fromkeys(field for field, _message in describe_errors(error))
            self.problems.setText(
                "\n".join(
                    _("“{field}” does not fit the other answers: check it.").format(
                        field=field_label(field)
                    )
                    for field in fields
                )
            )
            return
        super().accept()
