"""What a member sends goes to all it names or to none: one refused recipient refuses the event, naming the
rules, and the sender sends it again without that member rather than learn later that part of it went
nowhere (docs/policies.md). The refusal is audited (the batch writes it although the event is refused)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from andina.contract.envelope import Envelope
from andina.contract.rejections import Reason, Rejected
from andina.shared.audit_log import Audit, AuditEntry, caused_entry
from andina.shared.policy.engine import Decision, refusal_of, refusals, summary_of


async def refuse_unless_all_permitted(
    cause: Envelope, decided: Mapping[str, Decision], action: str, subject: str, audit: Audit
) -> None:
    """Nothing if every recipient of ``decided`` is permitted; else an ``action`` entry for the sender (``to``
    the refused recipients, ``policy`` each one's decision) and ``unauthorized`` naming the rules."""
    refused = refusals(decided)
    if refused:
        why = refusal_of(decided)
        detail = {"to": ",".join(refused), "policy": summary_of({r: decided[r] for r in refused})}
        await audit.append([caused_entry(cause, action, cause.origin, subject, why, detail)])
        raise Rejected(Reason.UNAUTHORIZED, f"refused by the policies in force: {why}")


def sent_to_all(
    cause: Envelope,
    action: str,
    subject: str,
    why: str,
    recipients: Iterable[str],
    decided: Mapping[str, Decision],
    at: datetime,
) -> AuditEntry:
    """One entry for what the sender sent, naming every recipient (``to``) and each decision (``policies``): one
    per event rather than per recipient, as each entry costs the store two writes and a link of the chain."""
    detail = {"to": ",".join(recipients), "policies": summary_of(decided)}
    return caused_entry(cause, action, cause.origin, subject, why, detail, at=at)
