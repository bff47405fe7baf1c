"""The prompt to inform the person's other cases at the agency.

For SGI and customer meetings the report says: when needed, pass the information on
to the person's other cases. Any protocol can ask for the same with a consequence
``inform_other_cases``; its text is then the prompt.
"""

from __future__ import annotations

from app.i18n import N_, _, current_language
from app.screening.protocols import Protocol, protocol_set

INFORM_OTHER_CASES = "inform_other_cases"
ALWAYS_PROMPTED_BENEFITS = frozenset({"sgi_customer_meeting"})
DEFAULT_PROMPT = N_(
    "The person may have other cases at the agency. When needed, pass the information on to "
    "them, for example to adapt ways of contact or deadlines; pass on only what is needed, "
    "and record that you did."
)


def other_cases_prompt(protocol: Protocol | str, language: str | None = None) -> str | None:
    """The prompt for ``protocol`` (or a benefit's latest protocol), or ``None`` when none applies.

    The protocol's ``inform_other_cases`` consequence gives the text (in ``language``,
    default the current one); SGI and customer meetings always get a prompt.
    Raises :class:`~app.errors.UserError` for an unknown benefit.
    """
    if isinstance(protocol, str):
        protocol = protocol_set().latest(protocol)
    for consequence in protocol.consequences:
        if consequence.id == INFORM_OTHER_CASES:
            return consequence.text.get(language or current_language())
    if protocol.benefit in ALWAYS_PROMPTED_BENEFITS:
        return _(DEFAULT_PROMPT)
    return None
