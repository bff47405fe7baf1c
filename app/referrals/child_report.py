"""A draft of the report to social services when a child may be at risk.

Pure: what the handler writes in, the draft's text out. The draft is never stored;
the screening record keeps only that a report was made and that violence was the
reason. The duty to report is personal and immediate (the agency's guideline
2016:02; the Social Services Act): suspicion is enough.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from app.i18n import _, format_date


class ChildConcern(BaseModel):
    """What the handler writes; any part may still be empty in a draft."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    observed: str = Field(default="", max_length=10_000)  # what was said or observed
    when: str = Field(default="", max_length=500)
    child_situation: str = Field(default="", max_length=10_000)
    reporter_role: str = Field(default="", max_length=1_000)


@dataclass(frozen=True)
class ReportSection:
    key: str
    heading: str
    body: str
    filled_in: bool


@dataclass(frozen=True)
class ChildReportDraft:
    title: str
    to: str
    reminder: str
    sections: tuple[ReportSection, ...]
    dated: str

    @property
    def complete(self) -> bool:
        return all(section.filled_in for section in self.sections)


def duty_reminder() -> str:
    return _(
        "The duty to report is yours, personally, and it is immediate: report to social "
        "services at once when you learn or suspect that a child is at risk. Suspicion is "
        "enough; you do not need proof, and nobody can take the duty over from you. "
        "Children who witness violence are at risk. Call social services if it is urgent."
    )


def default_reporter_role() -> str:
    return _("Case handler at Försäkringskassan (the Swedish Social Insurance Agency)")


def build_child_report(concern: ChildConcern, today: date) -> ChildReportDraft:
    missing = _("(to fill in)")
    parts = (
        ("observed", _("What was said or observed"), concern.observed),
        ("when", _("When"), concern.when),
        ("child_situation", _("The child's situation"), concern.child_situation),
        ("reporter_role", _("Who is reporting (role)"), concern.reporter_role),
    )
    return ChildReportDraft(
        title=_("Report of concern about a child"),
        to=_("To: social services (socialtjänsten) in the child's municipality"),
        reminder=duty_reminder(),
        sections=tuple(
            ReportSection(key, heading, body or missing, bool(body)) for key, heading, body in parts
        ),
        dated=_("Date: {date}").format(date=format_date(today, "long")),
    )


def draft_as_text(draft: ChildReportDraft) -> str:
    lines = [draft.title, draft.to, draft.dated, ""]
    for section in draft.sections:
        lines += [section.heading, section.body, ""]
    return "\n".join(lines).rstrip() + "\n"
