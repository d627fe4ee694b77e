"""The service's audit entries: one per action on personal data, its id derived from the event that caused it."""

from __future__ import annotations

from collections.abc import Mapping

from andina.contract.envelope import Envelope
from andina.contract.rejections import Reason, Rejected
from andina.shared.audit_log import Audit, caused_entry
from andina.shared.policy.engine import Decision, refusal_of


async def refuse_unless_all_permitted(
    cause: Envelope, action: str, decisions: Mapping[str, Decision], audit: Audit
) -> None:
    """All or none: one refused recipient refuses the event, with the rules, and the sender sends it
    again without them rather than learning later that part of it went nowhere. The refusal is audited."""
    why = refusal_of(decisions)
    if why:
        refused = ",".join(sorted(c for c, d in decisions.items() if not d.permitted))
        await audit.append([caused_entry(cause, action, cause.origin, str(cause.id), why, {"to": refused})])
        raise Rejected(Reason.UNAUTHORIZED, f"refused by the policies in force: {why}")
