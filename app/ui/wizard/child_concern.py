"""The child-concern report: a printable draft to social services, never stored.

    dialog = ChildConcernDialog(parent)
    made = dialog.exec() == QDialog.DialogCode.Accepted   # same as dialog.report_made

``report_made`` is True only when the handler records that the report was made
(or will be made now, by phone). The texts are cleared when the dialog closes:
the draft is printed or saved by the handler, never kept by the app.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.i18n import _
from app.referrals.child_report import (
    ChildConcern,
    ChildReportDraft,
    build_child_report,
    default_reporter_role,
    duty_reminder,
)
from app.referrals.directory import stockholm_today
from app.ui.common.a11y import describe
from app.ui.wizard.pdf import (
    DocumentBuilder,
    choose_pdf_path,
    esc,
    make_document,
    print_with_dialog,
    write_pdf,
)


def draft_html(draft: ChildReportDraft) -> str:
    parts = [
        f"<h2>{esc(draft.title)}</h2>",
        f"<p>{esc(draft.to)}<br/>{esc(draft.dated)}</p>",
    ]
    for section in draft.sections:
        body = esc(section.body).replace("\n", "<br/>")
        parts.append(f"<p><b>{esc(section.heading)}</b><br/>{body}</p>")
    return "\n".join(parts)


class ChildConcernDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Report of concern about a child"))
        self.report_made = False
        layout = QVBoxLayout(self)

        self.reminder = QLabel(duty_reminder(), self)
        self.reminder.setWordWrap(True)
        describe(self.reminder, _("Duty to report"))
        layout.addWidget(self.reminder)
        not_stored = QLabel(
            _(
                "This draft is not saved by Våga fråga. Print it or save it where your "
                "agency keeps such reports; the record only notes that a report was made."
            ),
            self,
        )
        not_stored.setWordWrap(True)
        layout.addWidget(not_stored)

        form = QFormLayout()
        self.observed = self._text(_("What was said or observed"))
        self.when = QLineEdit(self)
        self.when.setAccessibleName(_("When"))
        self.when.setPlaceholderText(_("Date, time and the contact (phone, meeting)"))
        self.child_situation = self._text(_("The child's situation"))
        self.reporter_role = QLineEdit(default_reporter_role(), self)
        self.reporter_role.setAccessibleName(_("Who is reporting (role)"))
        form.addRow(_("What was said or &observed:"), self.observed)
        form.addRow(_("&When:"), self.when)
        form.addRow(_("The &child's situation:"), self.child_situation)
        form.addRow(_("Who is reporting (&role):"), self.reporter_role)
        layout.addLayout(form)

        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        describe(self.status, _("Report status"))
        layout.addWidget(self.status)

        buttons = QHBoxLayout()
        self.print_button = QPushButton(_("&Print …"), self)
        self.print_button.setAccessibleName(_("Print the report draft"))
        self.print_button.clicked.connect(self.print_draft)
        self.pdf_button = QPushButton(_("Save as P&DF …"), self)
        self.pdf_button.setAccessibleName(_("Save the report draft as PDF"))
        self.pdf_button.clicked.connect(self.save_pdf)
        self.made_button = QPushButton(_("Report &made"), self)
        self.made_button.setAccessibleName(_("Record that the report was made"))
        self.made_button.clicked.connect(self._made)
        self.not_now_button = QPushButton(_("&Not now"), self)
        describe(self.not_now_button, _("Close without recording a report"))
        self.not_now_button.clicked.connect(self.reject)
        for button in (self.print_button, self.pdf_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.made_button)
        buttons.addWidget(self.not_now_button)
        layout.addLayout(buttons)
        self.resize(620, 620)

    def _text(self, name: str) -> QPlainTextEdit:
        edit = QPlainTextEdit(self)
        edit.setAccessibleName(name)
        edit.setTabChangesFocus(True)
        return edit

    def concern(self) -> ChildConcern:
        return ChildConcern(
            observed=self.observed.toPlainText(),
            when=self.when.text(),
            child_situation=self.child_situation.toPlainText(),
            reporter_role=self.reporter_role.text(),
        )

    def draft(self) -> ChildReportDraft:
        return build_child_report(self.concern(), stockholm_today())

    def _builder(self) -> DocumentBuilder:
        html = draft_html(self.draft())
        return lambda size: make_document(html, size, right_to_left=False)

    def save_pdf(self) -> None:
        target = choose_pdf_path(self, _("Save the report draft as PDF"), _("report.pdf"))
        if target is None:
            return
        try:
            write_pdf(self._builder(), target, self.draft().title)
        except UserError as error:
            self.status.setText(error.message)
            return
        self.status.setText(_("Saved as {name}.").format(name=target.name))

    def print_draft(self) -> None:
        try:
            printed = print_with_dialog(self._builder(), self)
        except UserError as error:
            self.status.setText(error.message)
            return
        if printed:
            self.status.setText(_("The draft was sent to the printer."))

    def _made(self) -> None:
        self.report_made = True
        self.accept()

    def done(self, result: int) -> None:
        # The draft is never kept: clear every text when the dialog closes.
        for edit in (self.observed, self.child_situation):
            edit.clear()
        self.when.clear()
        super().done(result)
