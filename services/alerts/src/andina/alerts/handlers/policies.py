"""The members' policies at alerts' deliveries (docs/policies.md): an alert reaches a member only if
its origin's outbound rules and the member's inbound rules both permit ``receive-alert`` on it.

Decided for each recipient of each delivery (raise, update, closure, escalation step) by the
engine in process, so a FLASH alert waits for no store. A refused member gets nothing; the origin
is told the rules, never the data; every decision is audited, one ``alert-sent`` entry per delivery
naming each recipient's decision.

A return case goes to its two countries and, its travel agreed, each country of transit gets its
leg (``receive-return-case``, owned by the destination that opened it): the case cannot go on
without one of them, so a refused one refuses the step, naming the rules, before anything changes.

A relayed request goes to the member asked as a directed message does (``receive-message`` on the
asker's ``Message`` of kind ``request-update``): refused, the request is refused, naming the rules,
before it is kept; permitted, a ``request-relayed`` entry has the decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from uuid import UUID

from andina.alerts.domain.alert import Alert
from andina.alerts.domain.relay import RelayRequest
from andina.alerts.domain.returns import ReturnCase
from andina.alerts.handlers.ports import Ports
from andina.contract.envelope import Envelope, Handling
from andina.contract.events.alerts import EscalationStep
from andina.contract.events.catalogs.alerts import REQUEST_UPDATE
from andina.contract.rejections import Reason, Rejected
from andina.shared.audit_log import AuditEntry, caused_entry
from andina.shared.fanout import decide_message
from andina.shared.policy.all_or_none import refuse_unless_all_permitted, sent_to_all
from andina.shared.policy.engine import (
    RECEIVE_ALERT,
    RECEIVE_RETURN_CASE,
    Decision,
    Member,
    Resource,
    refusals,
    summary_of,
)

SENT = "alert-sent"
STEP_REFUSED = "return-step-refused"
REQUEST_RELAYED, REQUEST_WITHHELD = "request-relayed", "request-withheld"
WHY = "alert of the 24/7 network"


def subject(alert: Alert) -> str:
    return f"alert/{alert.id}"


def decide(alert: Alert, recipients: Iterable[str], ports: Ports) -> dict[str, Decision]:
    """Each recipient's decision on this revision of ``alert`` (its origin owns it)."""
    attrs = {"handling": alert.handling.value, "priority": alert.priority.value, "category": alert.category.value}
    resource = Resource("Alert", str(alert.id), alert.origin, attrs)
    return {r: ports.policies.decide(Member(r), RECEIVE_ALERT, resource, {}) for r in recipients}


def audited(
    alert: Alert, decided: Mapping[str, Decision], step: EscalationStep, event_type: str, cause: UUID, at: datetime
) -> AuditEntry:
    """One entry per delivery of an alert with every recipient's decision: a FLASH alert to four
    members adds one entry to the trail, not four (each entry costs the store two writes and a link)."""
    return AuditEntry(
        id=f"{cause}/{SENT}/{alert.id}/{alert.revision}/{step.value}",
        at=at,
        action=SENT,
        actor=alert.origin,
        subject=subject(alert),
        why=WHY,
        on_behalf_of=alert.origin,
        event_type=event_type,
        detail={
            "to": ",".join(r for r, d in decided.items() if d.permitted),
            "withheld": ",".join(refusals(decided)),
            "policies": summary_of(decided),
        },
    )


async def return_step_cleared(
    case: ReturnCase, legs: Iterable[str], cause: Envelope, subject: str, ports: Ports
) -> dict[str, Decision]:
    """Each country's decision on this step of ``case`` (its two countries; ``legs``, the countries of
    transit told now); one refused refuses the step (``unauthorized``, the rules named), audited."""
    resource = Resource(
        "ReturnCase",
        str(case.id),
        case.destination,
        {"handling": Handling.H3.value, "age_group": case.opened.age_group.value},
    )
    decided = {
        c: ports.policies.decide(Member(c), RECEIVE_RETURN_CASE, resource, {"leg": False})
        for c in (case.destination, case.origin)
    }
    decided |= {c: ports.policies.decide(Member(c), RECEIVE_RETURN_CASE, resource, {"leg": True}) for c in legs}
    refused = refusals(decided)
    if refused:
        why = "; ".join(f"{c}: {r}" for c, r in refused.items())
        await ports.audit.append(
            [caused_entry(cause, STEP_REFUSED, cause.origin, subject, why, {"to": ",".join(refused)})]
        )
        raise Rejected(Reason.UNAUTHORIZED, f"refused by the policies in force: {why}")
    return decided


async def relayed(request: RelayRequest, cause: Envelope, ports: Ports) -> None:
    """The asked member's decision on ``request`` (its asker owns it): refused, ``unauthorized`` naming the
    rules, audited as ``request-withheld``; permitted, audited as ``request-relayed``."""
    decided = decide_message(cause, REQUEST_UPDATE, [request.counterpart], ports.policies)
    subject = f"request/{request.id}"
    await refuse_unless_all_permitted(cause, decided, REQUEST_WITHHELD, subject, ports.audit)
    entry = sent_to_all(
        cause, REQUEST_RELAYED, subject, "relayed request", [request.counterpart], decided, ports.clock()
    )
    await ports.audit.append([entry])
