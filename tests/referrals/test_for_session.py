"""The support step's advance ticks: one rule for the wizard and the practice runner."""

from __future__ import annotations

from types import SimpleNamespace

from app.referrals.for_session import ticked_in_advance
from app.referrals.local import shipped_directory
from app.referrals.suggest import POLICE_EMERGENCY, Outcome, suggest
from app.screening.enums import Answer, ClientSex, ViolenceForm


def _session(immediate_danger: bool) -> SimpleNamespace:
    return SimpleNamespace(state=SimpleNamespace(immediate_danger=immediate_danger))


def test_the_emergency_number_is_listed_always_and_ticked_only_on_immediate_danger() -> None:
    suggestions = suggest(
        Outcome(
            answer=Answer.DISCLOSED,
            violence_forms=[ViolenceForm.PHYSICAL],
            immediate_danger=True,
            client_sex=ClientSex.FEMALE,
            language="sv",
        ),
        shipped_directory(),
    )
    listed = [item.entry_id for item in suggestions]
    assert listed[0] == POLICE_EMERGENCY, "112 comes first on immediate danger"
    assert ticked_in_advance(_session(True), suggestions) == listed  # type: ignore[arg-type]
    calm = ticked_in_advance(_session(False), suggestions)  # type: ignore[arg-type]
    assert calm == [entry for entry in listed if entry != POLICE_EMERGENCY]
