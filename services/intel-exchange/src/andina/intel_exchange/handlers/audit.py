"""The service's audit entries: one per action on personal data, its id derived from the event that caused it."""

from __future__ import annotations

from collections.abc import Mapping

from andina.intel_exchange.domain.policies import refusal_of
from andina.shared.audit_log import Audit, AuditEntry
from andina.shared.envelope import Envelope
from andina.shared.policy.engine import Decision
from andina.shared.rejections import Reason, Rejected


def entry(
    cause: Envelope, action: str, actor: str, subject: str, why: str, detail: Mapping[str, str] | None = None
) -> AuditEntry:
    """``actor`` did ``action`` to ``subject`` (a record id, a screening id) because of ``cause``.

    The id is ``<cause id>/<action>/<subject>``, as the service always wrote it, so handling the
    cause again writes nothing twice; the sending agency and the conversation go in the detail.
    """
    return AuditEntry(
        id=f"{cause.id}/{action}/{subject}",
        at=cause.time,
        action=action,
        actor=actor,
        subject=subject,
        why=why,
        on_behalf_of=cause.origin,
        event_type=cause.type,
        detail={**(detail or {}), "agency": cause.source, "correlation_id": str(cause.correlationid)},
    )


async def refuse_unless_all_permitted(
    cause: Envelope, action: str, decisions: Mapping[str, Decision], audit: Audit
) -> None:
    """All or none: one refused recipient refuses the event, with the rules, and the sender sends it
    again without them rather than learning later that part of it went nowhere. The refusal is audited."""
    why = refusal_of(decisions)
    if why:
        refused = ",".join(sorted(c for c, d in decisions.items() if not d.permitted))
        await audit.append([entry(cause, action, cause.origin, str(cause.id), why, {"to": refused})])
        raise Rejected(Reason.UNAUTHORIZED, f"refused by the policies in force: {why}")
