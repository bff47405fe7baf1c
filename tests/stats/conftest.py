"""A small hand-counted set of records for the statistics tests.

The figures each test expects are worked out by hand in ``EXPECTED_*`` below, from the
records as listed (R1-R8 count; R9 is a practice record and never counts).
"""

from __future__ import annotations

from typing import Any

import pytest

from app.screening.record import ScreeningRecord
from app.stats.metrics import LIST_COUNTS
from app.storage.store import Store
from tests.conftest import record_data

NOT_ASKED: dict[str, Any] = {
    "asked": False,
    "answer": None,
    "info_given": False,
    "referrals": [],
    "duration_seconds": None,
}
ON_INDICATION: dict[str, Any] = {"case_type": "other", "mode": "on_indication"}

DATASET: dict[str, dict[str, Any]] = {
    # sickness benefit, routine (return-to-work investigation), phone, team a
    "R1": {
        "handler": "test-h01",
        "client_sex": "female",
        "duration_seconds": 100,
        "sheltered_housing": True,
    },
    "R2": {
        "handler": "test-h01",
        "client_sex": "male",
        "answer": "disclosed",
        "violence_forms": ["physical", "sexual"],
        "children_affected": True,
        "child_report": True,
        "child_report_decision": "reported_now",
        "high_risk": True,
        "risk_markers": ["fear", "sexual_violence"],
        "immediate_danger": True,
        "danger_actions": ["called_112", "person_in_safe_place"],
        "duration_seconds": 300,
    },
    "R3": {
        "handler": "test-h02",
        **NOT_ASKED,
        "not_asked_reason": "not_alone",
        "sheltered_housing": True,
        "spontaneous_disclosure": True,
    },
    "R4": {
        "handler": "test-h02",
        "client_sex": "male",
        **NOT_ASKED,
        "not_asked_reason": "handler_unsure",
    },
    # sickness benefit on indication
    "R5": {
        "handler": "test-h01",
        **ON_INDICATION,
        "indications": True,
        "info_given": False,
        "referrals": [],
        "children_affected": True,
        "child_report_decision": "consulted_social_services",
        "risk_markers": ["fear"],
        "duration_seconds": 200,
    },
    "R6": {
        "handler": "test-h02",
        **ON_INDICATION,
        "indications": True,
        **NOT_ASKED,
        "not_asked_reason": "unsafe_to_talk",
    },
    "R7": {
        "handler": "test-h01",
        **ON_INDICATION,
        "indications": False,
        **NOT_ASKED,
        "not_asked_reason": "no_indication",
    },
    # maintenance support (always routine), another team, another month, an interpreter
    "R8": {
        "handler": "test-h03",
        "team": "test-team-b",
        "benefit": "maintenance_support",
        "protocol": {"id": "maintenance_support", "version": "1"},
        "case_type": None,
        "answer": "declined_to_answer",
        "interpreter": "professional",
        "language": "ar",
        "recorded_at": "2026-04-02T10:00:00+02:00",
        "children_affected": False,
        "child_report_decision": "no_child_exposed",
        "no_child_exposed_reason": "children_are_adults",
        "risk_markers": ["afraid_of_other_parent"],
        "duration_seconds": 500,
    },
    # practice: never counts
    "R9": {
        "handler": "test-h01",
        "practice": True,
        "answer": "disclosed",
        "violence_forms": ["threats"],
        "children_affected": True,
        "child_report": True,
        "child_report_decision": "reported_earlier",
        "risk_markers": ["stalking"],
        "immediate_danger": True,
        "danger_actions": ["police_contacted"],
        "duration_seconds": 900,
    },
}

NO_REASONS = {
    "not_alone": 0,
    "representative_present": 0,
    "interpreter_not_professional": 0,
    "written_contact": 0,
    "no_indication": 0,
    "unsafe_to_talk": 0,
    "multi_party_meeting": 0,
    "no_interpreter": 0,
    "person_declined_contact": 0,
    "handler_unsure": 0,
    "other": 0,
}

# R1-R8. Routine: R1 R2 R3 R4 R8 (asked R1 R2 R8). On indication with indications: R5 R6
# (asked R5). Asked: R1 R2 R5 R8; disclosed R2; information given R1 R2 R8 (not R5).
# Durations of asked records: 100 300 200 500 -> median (200 + 300) / 2 = 250, sum 1100.
# Blocked (asking impossible): routine R3 (not alone), on indication R6 (unsafe to talk).
# On indication at all: R5 R6 R7, two of them with indications -> indication rate 2/3.
# High risk and immediate danger R2; children affected R2 R5, reported R2 -> 1/2;
# sheltered housing R1 and R3 (not asked: the flag is recorded on every path).
# Told without being asked: R3 (not asked). The children step's decisions: reported now R2,
# anonymous consultation R5, no child exposed R8 (maintenance support); reported earlier
# only R9, a practice record, so 0.
# The lists' items: violence forms physical and sexual R2 (not sexual_harassment: the
# quotes around an item keep "sexual" from matching it); risk markers fear R2 R5, sexual
# violence R2, afraid of the other parent R8 (maintenance support); danger actions called
# 112 and person in a safe place R2. Threats, stalking and police contacted only R9, so 0.
# No case counts are imported: cases and coverage are null; no follow-ups.
NEW_FIGURES_NONE: dict[str, Any] = {
    "cases": None,
    "coverage_rate": None,
    "followups_open": 0,
    "followups_done": 0,
}
# Every count of a list's items, 0.
NO_LIST_ITEMS: dict[str, int] = {
    label: 0 for counts in LIST_COUNTS.values() for label in counts.values()
}
EXPECTED_TOTAL: dict[str, Any] = {
    **NEW_FIGURES_NONE,
    **NO_LIST_ITEMS,
    "violence_physical": 1,
    "violence_sexual": 1,
    "risk_fear": 2,
    "risk_sexual_violence": 1,
    "risk_afraid_of_other_parent": 1,
    "danger_called_112": 1,
    "danger_person_in_safe_place": 1,
    "opportunities": 8,
    "routine_opportunities": 5,
    "routine_asked": 3,
    "routine_asking_rate": 0.6,
    "indication_opportunities": 2,
    "indication_asked": 1,
    "indication_asking_rate": 0.5,
    "on_indication_records": 3,
    "indication_rate": 2 / 3,
    "routine_blocked": 1,
    "indication_blocked": 1,
    "asked": 4,
    "disclosed": 1,
    "identification_rate": 0.25,
    "info_given": 3,
    "info_rate": 0.75,
    "high_risk": 1,
    "immediate_danger": 1,
    "children_affected": 2,
    "child_reports": 1,
    "child_report_rate": 0.5,
    "sheltered_housing": 2,
    "spontaneous_disclosures": 1,
    "child_decision_reported_now": 1,
    "child_decision_reported_earlier": 0,
    "child_decision_consulted_social_services": 1,
    "child_decision_no_child_exposed": 1,
    "total_duration_seconds": 1100,
    "not_asked_by_reason": {
        **NO_REASONS,
        "not_alone": 1,
        "handler_unsure": 1,
        "unsafe_to_talk": 1,
        "no_indication": 1,
    },
    "median_duration_seconds": 250.0,
    "purged_records": 0,
}
# R1-R7 (also the month 2026-03); asked durations 100 300 200 -> 200.
EXPECTED_SICKNESS: dict[str, Any] = {
    **EXPECTED_TOTAL,
    "opportunities": 7,
    "routine_opportunities": 4,
    "routine_asked": 2,
    "routine_asking_rate": 0.5,
    "asked": 3,
    "identification_rate": 1 / 3,
    "info_given": 2,
    "info_rate": 2 / 3,
    "median_duration_seconds": 200.0,
    "total_duration_seconds": 600,
    "child_decision_no_child_exposed": 0,
    "risk_afraid_of_other_parent": 0,
}
# R8 alone (also the month 2026-04): no on-indication opportunity, so that rate is null.
EXPECTED_MAINTENANCE: dict[str, Any] = {
    **NEW_FIGURES_NONE,
    **NO_LIST_ITEMS,
    "risk_afraid_of_other_parent": 1,
    "opportunities": 1,
    "routine_opportunities": 1,
    "routine_asked": 1,
    "routine_asking_rate": 1.0,
    "indication_opportunities": 0,
    "indication_asked": 0,
    "indication_asking_rate": None,
    "asked": 1,
    "disclosed": 0,
    "identification_rate": 0.0,
    "info_given": 1,
    "info_rate": 1.0,
    "on_indication_records": 0,
    "indication_rate": None,
    "routine_blocked": 0,
    "indication_blocked": 0,
    "high_risk": 0,
    "immediate_danger": 0,
    "children_affected": 0,
    "child_reports": 0,
    "child_report_rate": None,
    "sheltered_housing": 0,
    "spontaneous_disclosures": 0,
    "child_decision_reported_now": 0,
    "child_decision_reported_earlier": 0,
    "child_decision_consulted_social_services": 0,
    "child_decision_no_child_exposed": 1,
    "total_duration_seconds": 500,
    "not_asked_by_reason": NO_REASONS,
    "median_duration_seconds": 500.0,
    "purged_records": 0,
}


def dataset_records() -> list[ScreeningRecord]:
    return [ScreeningRecord.model_validate(record_data(**fields)) for fields in DATASET.values()]


@pytest.fixture
def counted_store(store: Store) -> Store:
    """The test store holding R1-R9."""
    store.records.import_records(dataset_records())
    return store


def figures(block: dict[str, Any]) -> dict[str, Any]:
    """A metrics block without its key and intervals (they are checked on their own)."""
    return {
        name: value for name, value in block.items() if name != "key" and not name.endswith("_ci")
    }


@pytest.fixture
def dashboard_data(counted_store: Store):  # type: ignore[no-untyped-def]
    """Everything the dashboard shows for R1-R9."""
    from app.stats.dashboard_data import load_dashboard
    from app.stats.filters import StatsFilter

    return load_dashboard(counted_store.engine, StatsFilter())
