"""The metric definitions: what each figure counts, and how rates and intervals follow.

The counting itself happens in SQL (:mod:`app.stats.queries`); this module names the
figures, turns counts into rates with 95 % Wilson intervals, and lays them out in the
documented JSON order. Practice records never count (the query excludes them).

- ``opportunities``: records in the filter.
- ``routine_opportunities``: ``mode`` = routine; ``routine_asked``: those asked.
- ``indication_opportunities``: ``mode`` = on_indication with ``indications`` true;
  ``indication_asked``: those asked.
- ``asked``: asked; ``disclosed``: ``answer`` = disclosed; ``info_given``: asked and
  information given; ``child_reports``: ``child_report`` true.
- ``not_asked_by_reason``: counts of ``not_asked_reason`` among records not asked.
- ``routine_blocked`` / ``indication_blocked``: routine / indication opportunities not
  asked for a reason that makes asking impossible or unsafe (:data:`BLOCKING_REASONS`);
  the equality view compares asking among the others (``"population": "asking_possible"``).
- ``on_indication_records``: ``mode`` = on_indication (with or without indications);
  ``indication_rate`` = ``indication_opportunities`` / ``on_indication_records``: how
  often indications occur.
- ``high_risk``, ``immediate_danger``, ``children_affected``, ``sheltered_housing``:
  records with that flag true; ``child_report_rate`` = ``child_reports`` /
  ``children_affected``.
- ``spontaneous_disclosures``: records with ``spontaneous_disclosure`` true (the person
  told about violence without being asked, on the not-asked path).
- ``child_decision_reported_now``, ``child_decision_reported_earlier``,
  ``child_decision_consulted_social_services``, ``child_decision_no_child_exposed``: one
  count per ``child_report_decision`` of the children step (:data:`CHILD_DECISION_COUNTS`);
  records without a decision are in none of them.
- ``violence_<form>`` (one per :class:`ViolenceForm`), ``risk_<marker>`` (one per
  :class:`RiskMarker`), ``danger_<action>`` (one per :class:`DangerAction`): records whose
  ``violence_forms``, ``risk_markers`` or ``danger_actions`` list holds that item
  (:data:`LIST_COUNTS`); a record with several items counts once in each.
- ``followups_open`` / ``followups_done``: follow-ups (a callback agreed to ask again)
  of the counted records, not yet closed / closed by a later screening of the case.
- ``cases``: the number of cases in the case system (``vagafraga cases import``) summed
  over every month the period touches, for the group's month, team and benefit; null
  when there are no case counts or the grouping is not by month, team or benefit only.
  ``coverage_rate`` = ``opportunities`` / ``cases`` (its interval is null when more
  opportunities than cases were logged, as several contacts in one case can be).
- ``total_duration_seconds``: the sum of ``duration_seconds`` (asked records), for
  production planning; ``median_duration_seconds``: their median.
- ``purged_records``: how many of the counted records were deleted by retention and are
  counted from their monthly aggregates; they are in every count but not in the median.
- A rate whose denominator is 0 is null; ``<rate>_ci`` is ``[low, high]`` or null.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from math import sqrt
from statistics import NormalDist
from typing import Any

from app.screening.enums import (
    ChildDecision,
    DangerAction,
    NotAskedReason,
    RiskMarker,
    ViolenceForm,
)

# One count per decision of the children step: ``child_decision_<decision>``.
CHILD_DECISION_COUNTS: dict[str, str] = {
    decision.value: f"child_decision_{decision.value}" for decision in ChildDecision
}
# One count per item of a record's JSON lists (issue 12, "no yes is ever lost"):
# ``violence_<form>``, ``risk_<marker>``, ``danger_<action>``.
VIOLENCE_FORM_COUNTS: dict[str, str] = {
    form.value: f"violence_{form.value}" for form in ViolenceForm
}
RISK_MARKER_COUNTS: dict[str, str] = {marker.value: f"risk_{marker.value}" for marker in RiskMarker}
DANGER_ACTION_COUNTS: dict[str, str] = {
    action.value: f"danger_{action.value}" for action in DangerAction
}
# records column -> its items' counts, in the order of COUNTS.
LIST_COUNTS: dict[str, dict[str, str]] = {
    "violence_forms": VIOLENCE_FORM_COUNTS,
    "risk_markers": RISK_MARKER_COUNTS,
    "danger_actions": DANGER_ACTION_COUNTS,
}

COUNTS: tuple[str, ...] = (
    "opportunities",
    "routine_opportunities",
    "routine_asked",
    "indication_opportunities",
    "indication_asked",
    "asked",
    "disclosed",
    "info_given",
    "child_reports",
    "routine_blocked",
    "indication_blocked",
    "on_indication_records",
    "high_risk",
    "immediate_danger",
    "children_affected",
    "sheltered_housing",
    "spontaneous_disclosures",
    *CHILD_DECISION_COUNTS.values(),
    *VIOLENCE_FORM_COUNTS.values(),
    *RISK_MARKER_COUNTS.values(),
    *DANGER_ACTION_COUNTS.values(),
    "followups_open",
    "followups_done",
    "total_duration_seconds",
)

# Reasons for which asking was impossible or unsafe by the safety rules, not a choice.
# ``multi_party_meeting`` and ``no_interpreter`` come with the safety issue (12).
BLOCKING_REASONS: tuple[str, ...] = (
    "not_alone",
    "representative_present",
    "interpreter_not_professional",
    "unsafe_to_talk",
    "written_contact",
    "no_indication",
    "multi_party_meeting",
    "no_interpreter",
)

# rate name -> (numerator count, denominator count)
RATES: dict[str, tuple[str, str]] = {
    "routine_asking_rate": ("routine_asked", "routine_opportunities"),
    "indication_asking_rate": ("indication_asked", "indication_opportunities"),
    "identification_rate": ("disclosed", "asked"),
    "info_rate": ("info_given", "asked"),
    "indication_rate": ("indication_opportunities", "on_indication_records"),
    "child_report_rate": ("child_reports", "children_affected"),
    "coverage_rate": ("opportunities", "cases"),
}

REASONS: tuple[str, ...] = tuple(reason.value for reason in NotAskedReason)

# The order of the figures in every output (JSON, CSV, tables).
METRIC_ORDER: tuple[str, ...] = (
    "opportunities",
    "cases",
    "coverage_rate",
    "coverage_rate_ci",
    "routine_opportunities",
    "routine_asked",
    "routine_asking_rate",
    "routine_asking_rate_ci",
    "indication_opportunities",
    "indication_asked",
    "indication_asking_rate",
    "indication_asking_rate_ci",
    "on_indication_records",
    "indication_rate",
    "indication_rate_ci",
    "routine_blocked",
    "indication_blocked",
    "asked",
    "disclosed",
    "identification_rate",
    "identification_rate_ci",
    *VIOLENCE_FORM_COUNTS.values(),
    "spontaneous_disclosures",
    "info_given",
    "info_rate",
    "info_rate_ci",
    "high_risk",
    *RISK_MARKER_COUNTS.values(),
    "immediate_danger",
    *DANGER_ACTION_COUNTS.values(),
    "children_affected",
    "child_reports",
    "child_report_rate",
    "child_report_rate_ci",
    *CHILD_DECISION_COUNTS.values(),
    "sheltered_housing",
    "followups_open",
    "followups_done",
    "not_asked_by_reason",
    "median_duration_seconds",
    "total_duration_seconds",
    "purged_records",
)

CONFIDENCE = 0.95
# The goal the agency set for routine asking: every routine opportunity is asked.
ROUTINE_ASKING_GOAL = 1.0


# The normal quantile of the interval: 1.959963984540054 for 95 %.
_Z = NormalDist().inv_cdf(0.5 + CONFIDENCE / 2)


def wilson_interval(successes: int, trials: int) -> tuple[float, float] | None:
    """The 95 % Wilson score interval of ``successes / trials``, or None for 0 trials.

    The closed formula (Newcombe 1998, without continuity correction), as scipy's
    ``binomtest(...).proportion_ci(method="wilson")`` computes it: the same values.
    """
    if trials <= 0:
        return None
    if not 0 <= successes <= trials:
        raise ValueError("successes must be between 0 and trials")
    p = successes / trials
    denominator = 2 * (trials + _Z**2)
    center = (2 * trials * p + _Z**2) / denominator
    delta = _Z / denominator * sqrt(4 * trials * p * (1 - p) + _Z**2)
    low = 0.0 if successes == 0 else center - delta
    high = 1.0 if successes == trials else center + delta
    return low, high


def rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator > 0 else None


@dataclass(frozen=True)
class Metrics:
    """Every figure for one group (or the total), computed from counts made in SQL."""

    counts: Mapping[str, int]
    not_asked_by_reason: Mapping[str, int] = field(default_factory=dict)
    median_duration_seconds: float | None = None
    purged_records: int = 0
    cases: int | None = None  # None: no case counts for this group

    def count(self, name: str) -> int:
        if name == "cases":
            return self.cases or 0
        return int(self.counts.get(name, 0))

    def rate(self, name: str) -> float | None:
        numerator, denominator = RATES[name]
        return rate(self.count(numerator), self.count(denominator))

    def interval(self, name: str) -> tuple[float, float] | None:
        numerator, denominator = RATES[name]
        successes, trials = self.count(numerator), self.count(denominator)
        if successes > trials:  # coverage: more contacts logged than cases
            return None
        return wilson_interval(successes, trials)

    def asking_possible(self) -> Metrics:
        """These figures over the opportunities where asking was possible: the routine and
        indication opportunities without those not asked for a blocking reason."""
        counts = dict(self.counts)
        for opportunities, blocked in (
            ("routine_opportunities", "routine_blocked"),
            ("indication_opportunities", "indication_blocked"),
        ):
            counts[opportunities] = self.count(opportunities) - self.count(blocked)
        return replace(self, counts=counts)

    def as_dict(self) -> dict[str, Any]:
        """The JSON block: every metric, in :data:`METRIC_ORDER`."""
        out: dict[str, Any] = {}
        for name in METRIC_ORDER:
            if name in RATES:
                out[name] = self.rate(name)
            elif name.endswith("_ci"):
                interval = self.interval(name.removesuffix("_ci"))
                out[name] = list(interval) if interval is not None else None
            elif name == "not_asked_by_reason":
                reasons = self.not_asked_by_reason
                out[name] = {reason: int(reasons.get(reason, 0)) for reason in REASONS}
            elif name == "median_duration_seconds":
                out[name] = self.median_duration_seconds
            elif name == "purged_records":
                out[name] = self.purged_records
            elif name == "cases":
                out[name] = self.cases
            else:
                out[name] = self.count(name)
        return out


EMPTY = Metrics(counts=dict.fromkeys(COUNTS, 0))
