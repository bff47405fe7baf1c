"""From the outcome of a conversation to the support to suggest, most urgent first.

A pure function: ``suggest(outcome)`` returns ``Suggestion(entry_id, reason, rules)``
in order. The reasons are plain words for the handler, in the current language.

The rules (each has a code in ``Suggestion.rules``):

- ``immediate_danger``: 112 first, always.
- ``high_risk``: social services and the police now (114 14; 112 if acute).
- ``children_affected``: social services must be told (the duty to report).
- ``honour_related``: the national support line for professionals (for the handler),
  social services, and Kvinnofridslinjen for women.
- ``prostitution_trafficking``: social services, and Kvinnofridslinjen for women.
- ``uses_violence``: Välj att sluta.
- ``disclosed``: Kvinnofridslinjen for women, Brottsofferjouren for men (Kvinnofridslinjen
  is a line for women), social services for everyone.
- ``injuries``: physical or sexual violence: 1177, for care and documented injuries.
- ``shelter``: a woman at risk (high risk, physical violence or threats) who is not already
  in sheltered housing: women's shelters.
- ``baseline``: support information whatever the answer, even when nothing was disclosed:
  Kvinnofridslinjen (women), Brottsofferjouren (men), both when the sex is unknown;
  and 112 last.
- ``language``: for a person who does not speak Swedish, each reason says whether the
  entry has interpreters or which languages it offers.

An entry suggested by several rules appears once, at its most urgent place, with all
its reasons. A local entry that stands for a suggested one (``local_for``) follows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.i18n import N_, _
from app.referrals.directory import Audience, Directory
from app.screening.enums import Answer, ClientSex, Contact, RiskMarker, ViolenceForm
from app.screening.labels import language_label
from app.screening.record import ScreeningRecord, iso639_1_codes

KVINNOFRIDSLINJEN = "kvinnofridslinjen"
POLICE_EMERGENCY = "police_emergency"
POLICE_NON_EMERGENCY = "police_non_emergency"
SOCIAL_SERVICES = "social_services"
HEALTHCARE = "healthcare_1177"
BROTTSOFFERJOUREN = "brottsofferjouren"
HONOUR_LINE = "honour_support_line"
VALJ_ATT_SLUTA = "valj_att_sluta"
WOMENS_SHELTERS = "womens_shelters"
SUICIDE_LINE = "suicide_prevention_line"

# Priorities: lower comes first.
URGENT, HIGH_RISK, CHILDREN, SPECIFIC, GENERAL, BASELINE, LAST = range(7)


class Outcome(BaseModel):
    """What the conversation found; everything the rules look at."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    answer: Answer | None = None  # None: the question was not asked
    violence_forms: list[ViolenceForm] = Field(default_factory=list)
    children_affected: bool | None = None
    immediate_danger: bool = False
    high_risk: bool = False
    client_sex: ClientSex = ClientSex.UNKNOWN
    language: str = "sv"
    uses_violence: bool = False
    sheltered_housing: bool = False
    contact: Contact = Contact.PHONE
    own_suicidal_thoughts: bool = False

    @field_validator("language")
    @classmethod
    def _iso_language(cls, value: str) -> str:
        if value not in iso639_1_codes():
            raise ValueError("must be a two-letter ISO 639-1 language code, such as sv, en or ar")
        return value

    @classmethod
    def from_record(cls, record: ScreeningRecord, *, uses_violence: bool = False) -> Outcome:
        return cls(
            answer=record.answer,
            violence_forms=list(record.violence_forms),
            children_affected=record.children_affected,
            immediate_danger=record.immediate_danger,
            high_risk=record.high_risk,
            client_sex=record.client_sex,
            language=record.language,
            uses_violence=uses_violence,
            sheltered_housing=record.sheltered_housing,
            contact=record.contact,
            own_suicidal_thoughts=RiskMarker.OWN_SUICIDAL_THOUGHTS in record.risk_markers,
        )


@dataclass(frozen=True)
class Suggestion:
    entry_id: str
    reason: str
    rules: tuple[str, ...] = ()


@dataclass
class _Pick:
    priority: int
    order: int
    reasons: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


REASONS = {
    "immediate_danger": N_("Immediate danger: call 112 now, or help the person to call."),
    "high_risk_social": N_(
        "High risk: support the person to contact social services now; they can act at once, "
        "also for protection."
    ),
    "high_risk_police": N_(
        "High risk: support the person to contact the police now to report and ask for "
        "protection; 112 if the danger becomes acute."
    ),
    "children_affected": N_(
        "Children in the home: social services must be told. Report your concern at once; "
        "the duty is yours and suspicion is enough."
    ),
    "honour_line": N_(
        "Honour-related violence: you can get advice on the case from the national support "
        "line for professionals; remove identifying details before you call."
    ),
    "honour_social": N_(
        "Honour-related violence: social services can give protection, also in acute situations."
    ),
    "honour_kvinnofridslinjen": N_(
        "Honour-related violence: Kvinnofridslinjen gives support around the clock, with "
        "interpreters."
    ),
    "trafficking_social": N_(
        "Prostitution or human trafficking: social services can give support and protection."
    ),
    "trafficking_kvinnofridslinjen": N_(
        "Prostitution or human trafficking: Kvinnofridslinjen also supports people exploited "
        "in prostitution or trafficking."
    ),
    "uses_violence": N_(
        "The person says they use violence: Välj att sluta helps people who want to stop."
    ),
    "disclosed_women": N_(
        "Violence disclosed: free, anonymous support around the clock, with interpreters."
    ),
    "disclosed_men": N_(
        "Violence disclosed: Kvinnofridslinjen is a line for women; Brottsofferjouren "
        "supports men too, free of charge."
    ),
    "disclosed_social": N_(
        "Violence disclosed: social services can give support, help and protection."
    ),
    "injuries": N_(
        "Physical or sexual violence: healthcare can treat injuries and document them, "
        "which can matter later."
    ),
    "shelter": N_(
        "A women's shelter can give support and sometimes a sheltered home; the person is "
        "not in sheltered housing now."
    ),
    "own_suicidal_thoughts": N_(
        "Thoughts of suicide: the person can talk to a suicide prevention line, and "
        "healthcare (1177) can help; in acute danger, 112."
    ),
    "baseline": N_("Support information for everyone, whatever the answer."),
    "baseline_emergency": N_("In an emergency, always 112."),
}


class _Picker:
    def __init__(self) -> None:
        self.picks: dict[str, _Pick] = {}

    def add(self, entry_id: str, priority: int, rule: str, reason_key: str) -> None:
        pick = self.picks.get(entry_id)
        if pick is None:
            pick = self.picks[entry_id] = _Pick(priority, len(self.picks))
        pick.priority = min(pick.priority, priority)
        reason = _(REASONS[reason_key])
        if reason not in pick.reasons:
            pick.reasons.append(reason)
        if rule not in pick.rules:
            pick.rules.append(rule)


def _language_note(entry_id: str, language: str, directory: Directory) -> str | None:
    entry = directory.get(entry_id)
    if language == "sv" or entry is None or Audience.PROFESSIONALS in entry.audience:
        return None
    if entry.interpreters:
        return _("Interpreters can be used.")
    if language in entry.languages:
        return None
    return _("Offered in {languages} only: an interpreter may be needed.").format(
        languages=", ".join(language_label(code) for code in entry.languages)
    )


def suggest(outcome: Outcome, directory: Directory | None = None) -> list[Suggestion]:
    """The entries to suggest for ``outcome``, most urgent first, each with its reasons.

    ``directory`` (default: the shipped one) supplies languages and local entries.
    """
    if directory is None:
        from app.referrals.local import shipped_directory

        directory = shipped_directory()
    picker = _Picker()
    forms = set(outcome.violence_forms)
    disclosed = outcome.answer is Answer.DISCLOSED
    man = outcome.client_sex is ClientSex.MALE
    woman_or_unknown = not man

    if outcome.immediate_danger:
        picker.add(POLICE_EMERGENCY, URGENT, "immediate_danger", "immediate_danger")
    if outcome.high_risk:
        picker.add(SOCIAL_SERVICES, HIGH_RISK, "high_risk", "high_risk_social")
        police = POLICE_EMERGENCY if outcome.immediate_danger else POLICE_NON_EMERGENCY
        picker.add(police, HIGH_RISK, "high_risk", "high_risk_police")
    if outcome.own_suicidal_thoughts:
        picker.add(SUICIDE_LINE, HIGH_RISK, "own_suicidal_thoughts", "own_suicidal_thoughts")
        picker.add(HEALTHCARE, HIGH_RISK, "own_suicidal_thoughts", "own_suicidal_thoughts")
    if outcome.children_affected:
        picker.add(SOCIAL_SERVICES, CHILDREN, "children_affected", "children_affected")
    if ViolenceForm.HONOUR_RELATED in forms:
        picker.add(HONOUR_LINE, SPECIFIC, "honour_related", "honour_line")
        picker.add(SOCIAL_SERVICES, SPECIFIC, "honour_related", "honour_social")
        if woman_or_unknown:
            picker.add(KVINNOFRIDSLINJEN, SPECIFIC, "honour_related", "honour_kvinnofridslinjen")
    if ViolenceForm.PROSTITUTION_TRAFFICKING in forms:
        picker.add(SOCIAL_SERVICES, SPECIFIC, "prostitution_trafficking", "trafficking_social")
        if woman_or_unknown:
            picker.add(
                KVINNOFRIDSLINJEN,
                SPECIFIC,
                "prostitution_trafficking",
                "trafficking_kvinnofridslinjen",
            )
    if outcome.uses_violence:
        picker.add(VALJ_ATT_SLUTA, SPECIFIC, "uses_violence", "uses_violence")
    if disclosed:
        if woman_or_unknown:
            picker.add(KVINNOFRIDSLINJEN, GENERAL, "disclosed", "disclosed_women")
        if man or outcome.client_sex is ClientSex.UNKNOWN:
            picker.add(BROTTSOFFERJOUREN, GENERAL, "disclosed", "disclosed_men")
        picker.add(SOCIAL_SERVICES, GENERAL, "disclosed", "disclosed_social")
    if forms & {ViolenceForm.PHYSICAL, ViolenceForm.SEXUAL}:
        picker.add(HEALTHCARE, GENERAL, "injuries", "injuries")
    at_risk = outcome.high_risk or bool(forms & {ViolenceForm.PHYSICAL, ViolenceForm.THREATS})
    if disclosed and woman_or_unknown and at_risk and not outcome.sheltered_housing:
        picker.add(WOMENS_SHELTERS, GENERAL, "shelter", "shelter")
    if woman_or_unknown:
        picker.add(KVINNOFRIDSLINJEN, BASELINE, "baseline", "baseline")
    if man or outcome.client_sex is ClientSex.UNKNOWN:
        picker.add(BROTTSOFFERJOUREN, BASELINE, "baseline", "baseline")
    if POLICE_EMERGENCY not in picker.picks:
        picker.add(POLICE_EMERGENCY, LAST, "baseline", "baseline_emergency")

    ordered = sorted(picker.picks.items(), key=lambda item: (item[1].priority, item[1].order))
    suggestions: list[Suggestion] = []
    for entry_id, pick in ordered:
        if entry_id not in directory:
            continue
        reasons = list(pick.reasons)
        note = _language_note(entry_id, outcome.language, directory)
        rules = tuple(pick.rules)
        if note:
            reasons.append(note)
            rules = (*rules, "language")
        suggestions.append(Suggestion(entry_id, " ".join(reasons), rules))
        for local in directory.local_versions(entry_id):
            suggestions.append(Suggestion(local.id, " ".join(reasons), (*rules, "local")))
    return suggestions
