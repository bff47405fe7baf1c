"""The start step's earlier contacts: when a case reference the handler has seen before is
entered, their earlier screenings of the case (date, asked or why not, the answer).

Asking again is normal: disclosure often comes at a later contact. Only the handler's
own records are matched (``app.storage.case_match``), off the UI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.i18n import _, format_datetime, ngettext
from app.screening.labels import answer_label, benefit_label, reason_label
from app.screening.record import ScreeningRecord


def contact_line(record: ScreeningRecord) -> str:
    """One earlier contact in words: when, which benefit, asked (and the answer) or why not."""
    when = format_datetime(record.recorded_at)
    benefit = benefit_label(record.benefit)
    if record.asked and record.answer is not None:
        return _("{when}, {benefit}: asked – {answer}").format(
            when=when, benefit=benefit, answer=answer_label(record.answer)
        )
    reason = reason_label(record.not_asked_reason) if record.not_asked_reason else ""
    return _("{when}, {benefit}: not asked – {reason}").format(
        when=when, benefit=benefit, reason=reason
    )


class EarlierContacts(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.list = QListWidget(self)
        self.list.setAccessibleName(_("Earlier contacts in this case"))
        self.list.setWordWrap(True)
        layout.addWidget(self.list)
        self.hide()

    def show_records(self, records: list[ScreeningRecord]) -> None:
        self.list.clear()
        if not records:
            self.hide()
            return
        title = ngettext(
            "You have {count} earlier contact in this case: asking again is normal",
            "You have {count} earlier contacts in this case: asking again is normal",
            len(records),
        ).format(count=len(records))
        self.setTitle(title)
        for record in records:
            line = contact_line(record)
            item = QListWidgetItem(line, self.list)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, line)
        self.list.setMaximumHeight(self.list.fontMetrics().lineSpacing() * (len(records) + 2) * 2)
        self.show()
