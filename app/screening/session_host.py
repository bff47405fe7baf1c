"""What :class:`~app.screening.session.Session` supplies to its step mixins
(:mod:`~app.screening.session_safety`, :mod:`~app.screening.session_not_asked`,
:mod:`~app.screening.session_outcome`), declared once: each mixin derives from
:class:`StepsHost`, and ``Session`` defines every member (it comes first in the order
Python looks members up, so these declarations are never what runs).
"""

from __future__ import annotations

from typing import Any

from app.screening.enums import Mode
from app.screening.guidance import Guidance
from app.screening.protocols import Protocol, Question
from app.screening.session_state import SessionState, Step


class StepsHost:
    state: SessionState
    protocol: Protocol
    guidance: Guidance

    @property
    def mode(self) -> Mode:
        raise NotImplementedError  # Session.mode

    @property
    def current_question(self) -> Question | None:
        raise NotImplementedError  # Session.current_question

    @property
    def child_concern_required(self) -> bool:
        raise NotImplementedError  # SafetySteps.child_concern_required

    def _require(self, *steps: Step) -> None:
        raise NotImplementedError  # Session._require

    def _emit(self, action: str, details: dict[str, Any]) -> None:
        raise NotImplementedError  # Session._emit

    def _to_outcome(self) -> None:
        raise NotImplementedError  # Session._to_outcome
