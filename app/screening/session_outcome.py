"""The outcome and support steps of a screening: the answer and forms of violence, high
risk, children, sheltered housing, the protocol's prompts for the case, referrals, the
support information given and notes.

A mixin of :class:`~app.screening.session.Session`, which supplies the state and the
helpers (declared in :mod:`~app.screening.session_host`).
"""

from __future__ import annotations

from app.i18n import _
from app.screening.enums import Answer, ViolenceForm
from app.screening.session_host import StepsHost
from app.screening.session_state import SessionError, Step


class OutcomeSteps(StepsHost):
    """What the screening found and what was given; see the module's description."""

    # -- the case's prompts ---------------------------------------------------------

    def consequence_ids(self) -> list[str]:
        """The ids of the protocol's consequences (prompts for the case), in protocol order."""
        return [item.id for item in self.protocol.consequences]

    def sheltered_prompt(self) -> str | None:
        """The id of the protocol's prompt to adapt deadlines and ways of contact, which
        opens when the person lives in sheltered housing (on every path), if it has one."""
        prompts = (item.id for item in self.protocol.consequences if item.sheltered_housing)
        return next(prompts, None)

    def sheltered_sign_ticked(self) -> bool:
        """An indicator that may mean sheltered housing is ticked (``protected_or_sheltered``)."""
        marked = {item.id for item in self.protocol.indicators if item.sheltered_housing}
        return bool(marked & set(self.state.indicators))

    def consequences_recorded(self) -> list[str]:
        """The prompts done that the record keeps: all of them when the question was asked;
        otherwise only the sheltered-housing prompt, when the person lives there."""
        state = self.state
        if state.opened_at is not None:
            return list(state.consequences_done)
        prompt = self.sheltered_prompt()
        return [prompt] if state.sheltered_housing and prompt in state.consequences_done else []

    # -- outcome --------------------------------------------------------------------

    def set_answer(self, answer: Answer) -> None:
        self._require(Step.OUTCOME)
        self.state.answer = answer
        if answer is not Answer.DISCLOSED:
            self.state.violence_forms = []
        self._emit("set_answer", {"answer": answer.value})

    def set_violence_form(self, form: ViolenceForm, present: bool) -> None:
        self._require(Step.OUTCOME)
        if present and self.state.answer is not Answer.DISCLOSED:
            raise SessionError(_("Forms of violence are recorded only when violence is disclosed."))
        forms = [item for item in self.state.violence_forms if item is not form]
        if present:
            forms.append(form)
        self.state.violence_forms = sorted(forms, key=list(ViolenceForm).index)
        self._emit("violence_form", {"form": form.value, "present": present})

    def set_high_risk(self, value: bool) -> None:
        self._require(Step.OUTCOME)
        self.state.high_risk = value
        self._emit("high_risk", {"value": value})

    def set_children_affected(self, value: bool | None) -> None:
        """Children affected. On the not-asked step a yes opens the children step at once."""
        self._require(Step.OUTCOME, Step.NOT_ASKED)
        self.state.children_affected = value
        if value is not True:
            self.state.child_decision = None
            self.state.no_child_exposed_reason = None
        self._emit("children_affected", {"value": value})
        if value is True and self.state.step is Step.NOT_ASKED:
            self.state.children_return = Step.NOT_ASKED
            self.state.step = Step.CHILDREN
            self._emit("children", {})

    def set_sheltered_housing(self, value: bool) -> None:
        """Lives in sheltered housing: can be recorded on every path (safety, not asked,
        outcome); opens the protocol's prompt to adapt deadlines and ways of contact."""
        self._require(Step.SAFETY, Step.NOT_ASKED, Step.OUTCOME)
        self.state.sheltered_housing = value
        self._emit("sheltered_housing", {"value": value})

    def set_consequence_done(self, consequence_id: str, done: bool) -> None:
        """Mark one of the protocol's consequences (e.g. ``inform_other_cases``) as done.

        Before the outcome (safety, not asked) only the sheltered-housing prompt can be.
        """
        known = self.consequence_ids()
        if consequence_id not in known:
            raise SessionError(_("This protocol has no such prompt."))
        if consequence_id == self.sheltered_prompt():
            self._require(Step.SAFETY, Step.NOT_ASKED, Step.OUTCOME)
        else:
            self._require(Step.OUTCOME)
        chosen = set(self.state.consequences_done) - {consequence_id}
        if done:
            chosen.add(consequence_id)
        self.state.consequences_done = [item for item in known if item in chosen]
        self._emit("consequence", {"consequence": consequence_id, "done": done})

    def confirm_outcome(self) -> None:
        """On to the children step when children are affected, else to support."""
        self._require(Step.OUTCOME)
        self.state.children_return = Step.SUPPORT
        self.state.step = Step.CHILDREN if self.child_concern_required else Step.SUPPORT
        self._emit(self.state.step.value, {})

    # -- support, notes -------------------------------------------------------------

    def set_referral(self, referral: str, chosen: bool) -> None:
        self._require(Step.SUPPORT, Step.NOT_ASKED)
        items = [item for item in self.state.referrals if item != referral]
        if chosen:
            items.append(referral)
        self.state.referrals = items
        self._emit("referral", {"referral": referral, "chosen": chosen})

    def set_info_given(self, value: bool) -> None:
        self._require(Step.SUPPORT, Step.NOT_ASKED)
        self.state.info_given = value
        self._emit("info_given", {"value": value})

    def set_notes(self, text: str) -> None:
        self.state.notes = text.strip()
