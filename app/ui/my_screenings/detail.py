"""One saved screening, read-only: its fields, its versions, and the questions of its own
protocol version (not today's)."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from app.i18n import _, current_language, format_datetime, ngettext
from app.referrals.local import shipped_directory
from app.screening.labels import (
    answer_label,
    benefit_label,
    case_type_label,
    child_decision_label,
    client_sex_label,
    contact_label,
    danger_action_label,
    duration_label,
    interpreter_label,
    language_label,
    mode_label,
    protocol_label,
    reason_label,
    risk_marker_label,
    violence_form_label,
)
from app.screening.protocols import Question, protocol_set
from app.screening.record import ScreeningRecord
from app.storage.versions import RecordVersion


def _yes_no(value: bool | None) -> str:
    if value is None:
        return _("Not known")
    return _("Yes") if value else _("No")


def record_rows(record: ScreeningRecord) -> list[tuple[str, str]]:
    """(label, value) for every field a handler reads."""
    rows = [
        (_("Date"), format_datetime(record.recorded_at)),
        (_("Benefit"), benefit_label(record.benefit)),
    ]
    if record.case_type is not None:
        rows.append((_("Case type"), case_type_label(record.case_type)))
    rows += [
        (_("Contact"), contact_label(record.contact)),
        (_("Asking"), mode_label(record.mode)),
        (_("Indications"), _yes_no(record.indications)),
        (_("Asked"), _yes_no(record.asked)),
    ]
    if record.asked:
        assert record.answer is not None
        rows.append((_("Answer"), answer_label(record.answer)))
        forms = ", ".join(violence_form_label(form) for form in record.violence_forms)
        rows += [
            (_("Forms of violence"), forms or "–"),
            (_("Immediate danger"), _yes_no(record.immediate_danger)),
            (_("High risk"), _yes_no(record.high_risk)),
        ]
        if record.risk_markers:
            markers = ", ".join(risk_marker_label(marker) for marker in record.risk_markers)
            rows.append((_("Risk markers"), markers))
        if record.duration_seconds is not None:
            rows.append((_("Duration"), duration_label(record.duration_seconds)))
    else:
        assert record.not_asked_reason is not None
        rows.append((_("Why not asked"), reason_label(record.not_asked_reason)))
        rows.append((_("Told without being asked"), _yes_no(record.spontaneous_disclosure)))
        rows.append((_("Immediate danger"), _yes_no(record.immediate_danger)))
    if record.danger_actions:
        done = ", ".join(danger_action_label(action) for action in record.danger_actions)
        rows.append((_("Done in immediate danger"), done))
    rows += [
        (_("Children affected"), _yes_no(record.children_affected)),
        (_("Report to social services"), _yes_no(record.child_report)),
    ]
    if record.child_report_decision is not None:
        rows.append(
            (_("Decision about the child"), child_decision_label(record.child_report_decision))
        )
    rows += [
        (_("Sheltered housing"), _yes_no(record.sheltered_housing)),
        (_("Support information given"), _yes_no(record.info_given)),
        (_("Referrals"), ", ".join(referral_name(item) for item in record.referrals) or "–"),
        (_("Interpreter"), interpreter_label(record.interpreter)),
        (_("Client's language"), language_label(record.language)),
        (_("Client (legal sex)"), client_sex_label(record.client_sex)),
        (_("Case reference"), record.case_reference or "–"),
        (_("Notes"), record.notes or "–"),
        (_("Protocol"), protocol_label(record.protocol)),
    ]
    return rows


def referral_name(entry_id: str) -> str:
    """The directory entry's name in the current language, or its id if it is gone."""
    entry = shipped_directory().get(entry_id)
    return entry.name.get(current_language()) if entry is not None else entry_id


def protocol_questions(record: ScreeningRecord) -> list[Question] | None:
    """The questions of the record's own protocol version, or ``None`` if not installed."""
    protocol = protocol_set().get(record.protocol.id, record.protocol.version)
    return None if protocol is None else protocol.all_questions()


def indicator_texts(record: ScreeningRecord, ids: list[str]) -> list[str]:
    """The signs ticked, in words from the record's own protocol version (by id only when
    that version is no longer installed)."""
    protocol = protocol_set().get(record.protocol.id, record.protocol.version)
    words = {} if protocol is None else {item.id: item.text for item in protocol.indicators}
    language = current_language()
    return [words[item].get(language) if item in words else item for item in ids]


def consequence_lines(record: ScreeningRecord, done: list[str]) -> list[str]:
    """A line "Done: …" or "Not done: …" for each prompt of the record's own protocol
    version (ids done that the installed protocols no longer know are shown by id)."""
    protocol = protocol_set().get(record.protocol.id, record.protocol.version)
    items = [] if protocol is None else protocol.consequences
    language = current_language()
    lines = [
        (_("Done: {prompt}") if item.id in done else _("Not done: {prompt}")).format(
            prompt=item.text.get(language)
        )
        for item in items
    ]
    known = {item.id for item in items}
    lines += [_("Done: {prompt}").format(prompt=item) for item in done if item not in known]
    return lines


def detail_html(versions: list[RecordVersion]) -> str:
    current = versions[-1]
    record = current.record
    parts = [f"<h2>{escape(benefit_label(record.benefit))}</h2>"]
    if len(versions) > 1:
        parts.append(
            "<p><b>"
            + escape(
                ngettext(
                    "Version {version}: corrected; {count} earlier version kept.",
                    "Version {version}: corrected; {count} earlier versions kept.",
                    len(versions) - 1,
                ).format(version=current.version, count=len(versions) - 1)
            )
            + "</b></p>"
        )
    parts.append("<table>")
    for label, value in record_rows(record):
        parts.append(
            f"<tr><th align='left' valign='top'>{escape(label)}</th>"
            f"<td>{escape(value).replace(chr(10), '<br>')}</td></tr>"
        )
    if current.indicators:
        parts.append(
            f"<tr><th align='left'>{escape(_('Indicators'))}</th>"
            f"<td>{escape(', '.join(indicator_texts(record, current.indicators)))}</td></tr>"
        )
    parts.append("</table>")
    if record.asked or current.consequences:
        lines = consequence_lines(record, current.consequences)
        if lines:
            parts.append("<h3>" + escape(_("Prompts for the case")) + "</h3><ul>")
            parts += [f"<li>{escape(line)}</li>" for line in lines]
            parts.append("</ul>")
    questions = protocol_questions(record)
    parts.append(
        "<h3>"
        + escape(
            _("Questions of protocol version {version}").format(version=record.protocol.version)
        )
        + "</h3>"
    )
    if questions is None:
        parts.append("<p>" + escape(_("This protocol version is not installed.")) + "</p>")
    else:
        language = current_language()
        parts.append("<ol>")
        parts += [f"<li>{escape(question.text.get(language))}</li>" for question in questions]
        parts.append("</ol>")
    if len(versions) > 1:
        parts.append("<h3>" + escape(_("Earlier versions")) + "</h3><ul>")
        for old in versions[:-1]:
            assert old.superseded_at is not None
            parts.append(
                "<li>"
                + escape(
                    _("Version {version}, replaced {time}").format(
                        version=old.version, time=format_datetime(old.superseded_at)
                    )
                )
                + "</li>"
            )
        parts.append("</ul>")
    return "".join(parts)


class RecordDetail(QTextBrowser):
    """Read-only view of one record and its history."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Screening details"))
        self.setOpenLinks(False)
        self.versions: list[RecordVersion] = []
        self.show_nothing()

    def show_nothing(self) -> None:
        self.versions = []
        self.setPlainText(_("Choose a screening in the list and press Enter to open it."))

    def show_versions(self, versions: list[RecordVersion]) -> None:
        self.versions = versions
        self.setHtml(detail_html(versions))
