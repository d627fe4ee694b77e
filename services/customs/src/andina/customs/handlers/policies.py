"""The members' policies at every customs flow to another member (docs/policies.md): what goes to a
member gives it some member's data (the finding's owner), and goes only if the owner's outbound and the
recipient's inbound rules both permit it ("receive-report" on a ``CustomsFinding`` of the event's kind).

A refused member gets nothing. A finding the service raises (a discrepancy, a risk hit) tells each
recipient whom its own data was withheld from (``withheld``), never another's refusal: that would reveal
the other's data. What a member sends (a request, an answer) goes to all it names or to none, and the
sender is told the rules. Every decision is audited: a permit in its delivery's entry, a deny in an
entry of the copy that was withheld.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar
from uuid import UUID

from andina.contract.envelope import Envelope, Handling
from andina.contract.events.base import Payload
from andina.contract.events.customs.common import Withholding
from andina.contract.events.signals import AlertRequested
from andina.customs.handlers.ports import Ports
from andina.shared.audit_log import Audit, AuditEntry, delivered
from andina.shared.outputs import Cause
from andina.shared.policy import all_or_none
from andina.shared.policy.engine import RECEIVE_REPORT, Decision, Member, Resource, kind_of, refusals
from andina.shared.publishing import Outgoing

WITHHELD = "finding-withheld"
FINDING = "CustomsFinding"

P = TypeVar("P", bound=Payload)


def each_others(first: str, second: str) -> dict[str, str]:
    """Two members each getting the other's data (the two ends of a shipment, an indicator's owner and the
    declarant): recipient -> owner."""
    return {first: second, second: first}


@dataclass(frozen=True, slots=True)
class Sharing:
    """Who would get one finding, whose data each would get, and the decision on each other member's data."""

    owners: Mapping[str, str]  # recipient -> the member whose data it gets
    decisions: Mapping[str, Decision]  # only for recipients of another member's data

    def allows(self, recipient: str) -> bool:
        decision = self.decisions.get(recipient)
        return decision is None or decision.permitted

    @property
    def permitted(self) -> list[str]:
        return [r for r in sorted(self.owners) if self.allows(r)]

    def withheld(self, owner: str | None = None) -> dict[str, str]:
        """The refused recipients (of ``owner``'s data, if given), each with the rules that refused it and their
        reasons."""
        return refusals({r: d for r, d in self.decisions.items() if owner in (None, self.owners[r])})

    def told(self, finding: P, recipient: str) -> P:
        """``recipient``'s copy: a finding of several members' data names whom its own data was withheld from."""
        if isinstance(finding, Withholding):
            return finding.model_copy(update={"withheld": self.withheld(recipient)})
        return finding

    def alert(self, alert: AlertRequested) -> AlertRequested | None:
        """The 24/7 alert about the finding, for the permitted recipients only (none: no alert)."""
        alerted = [r for r in alert.recipients if self.allows(r)]
        return alert.model_copy(update={"recipients": alerted}) if alerted else None


def sharing(ports: Ports, event_type: str, finding_id: UUID, handling: Handling, owners: Mapping[str, str]) -> Sharing:
    """The decisions on sending ``event_type`` to each recipient of ``owners`` (recipient -> whose data it gets);
    a member getting back its own data needs none."""
    attributes = {"handling": handling.value, "kind": kind_of(event_type)}
    decisions = {
        recipient: ports.policies.decide(
            Member(recipient), RECEIVE_REPORT, Resource(FINDING, str(finding_id), owner, attributes), {}
        )
        for recipient, owner in owners.items()
        if recipient != owner
    }
    return Sharing(owners, decisions)


@dataclass
class PolicyTrail:
    """The decisions on one handler's outputs, kept until they are audited with its deliveries."""

    permits: dict[str, Decision] = field(default_factory=dict)  # by output id
    refused: list[tuple[Outgoing, Decision]] = field(default_factory=list)

    def let_through(self, outputs: Iterable[Outgoing], shared: Sharing) -> list[Outgoing]:
        """The outputs to permitted recipients; each withheld one is kept for the audit only."""
        sent = []
        for output in outputs:
            decision = shared.decisions.get(output.recipient)
            if decision is not None and not decision.permitted:
                self.refused.append((output, decision))
                continue
            if decision is not None:
                self.permits[str(output.attributes["id"])] = decision
            sent.append(output)
        return sent

    def deliver(
        self, ports: Ports, cause: Cause, event_type: str, shared: Sharing, finding: Payload, *parts: str
    ) -> list[Outgoing]:
        """Each permitted recipient's copy of ``finding``."""
        return self.let_through(copies(ports, cause, event_type, shared, finding, *parts), shared)

    def audited(self, outputs: Iterable[Outgoing], subject: str, why: str, at: datetime) -> list[AuditEntry]:
        """The deliveries' entries, each with the decision that let it go, and an entry per withheld copy."""
        sent = [
            dataclasses.replace(e, detail={**e.detail, "policy": self.permits[e.id].summary()})
            if e.id in self.permits
            else e
            for e in delivered(outputs, subject, why, at)
        ]
        withheld = delivered([o for o, _ in self.refused], subject, why, at)
        refused = [
            dataclasses.replace(
                e, id=f"{e.id}/{WITHHELD}", action=WITHHELD, why=d.refusal(), detail={"policy": d.summary()}
            )
            for e, (_, d) in zip(withheld, self.refused, strict=True)
        ]
        return sent + refused


def copies(
    ports: Ports, cause: Cause, event_type: str, shared: Sharing, finding: Payload, *parts: str
) -> list[Outgoing]:
    """Each recipient's copy of ``finding``, before the decisions (its ids as if all were sent)."""
    return [ports.outbox.deliver(cause, event_type, r, shared.told(finding, r), *parts) for r in sorted(shared.owners)]


async def release(ports: Ports, outputs: Iterable[Outgoing], shared: Sharing, subject: str, why: str) -> list[Outgoing]:
    """The outputs to permitted recipients, and the audit of every decision."""
    trail = PolicyTrail()
    sent = trail.let_through(outputs, shared)
    await ports.audit.append(trail.audited(sent, subject, why, ports.clock()))
    return sent


async def send(
    ports: Ports, cause: Cause, event_type: str, shared: Sharing, finding: Payload, subject: str, why: str, *parts: str
) -> list[Outgoing]:
    """Each permitted recipient's copy of ``finding`` (its id from ``cause`` and ``parts``), and the audit of
    every decision."""
    return await release(ports, copies(ports, cause, event_type, shared, finding, *parts), shared, subject, why)


async def refuse_unless_all_permitted(cause: Envelope, shared: Sharing, subject: str, audit: Audit) -> None:
    """What a member sends goes to all it names or to none (andina.shared.policy.all_or_none)."""
    await all_or_none.refuse_unless_all_permitted(cause, shared.decisions, WITHHELD, subject, audit)
