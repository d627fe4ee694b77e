"""The members' policies at customs' flows (docs/policies.md): a finding goes to a member only if
the owner's outbound rules and the recipient's inbound rules both permit it ("receive-report" on a
``CustomsFinding``). A refused member gets nothing; the owner is told the rules, never the data;
every decision is audited: a permit in the delivery's own entry, a deny in an entry of its own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from andina.customs.handlers.ports import Ports
from andina.shared.audit_log import AuditEntry, caused_entry
from andina.shared.envelope import Envelope
from andina.shared.policy.engine import RECEIVE_REPORT, Decision, Member, Resource

WITHHELD = "finding-withheld"


@dataclass(frozen=True, slots=True)
class Sharing:
    """Each named recipient's decision on one finding."""

    decisions: Mapping[str, Decision]

    @property
    def permitted(self) -> list[str]:
        return [c for c, d in self.decisions.items() if d.permitted]

    def withheld(self) -> dict[str, str]:
        """The refused recipients, each with the rules that refused it and their reasons."""
        return {c: d.refusal() for c, d in sorted(self.decisions.items()) if not d.permitted}

    def audited(self, cause: Envelope, subject: str, deliveries: Iterable[AuditEntry]) -> list[AuditEntry]:
        """The deliveries' entries with the decision that let each go, and an entry per refusal."""
        sent = [dataclasses.replace(e, detail={"policy": self.decisions[e.actor].summary()}) for e in deliveries]
        refused = [
            caused_entry(cause, WITHHELD, c, subject, d.refusal(), {"policy": d.summary()})
            for c, d in sorted(self.decisions.items())
            if not d.permitted
        ]
        return sent + refused


def sharing(ports: Ports, envelope: Envelope, recipients: Iterable[str]) -> Sharing:
    """The decisions on ``envelope``'s finding (its sender owns it) for each recipient."""
    finding = Resource("CustomsFinding", str(envelope.id), envelope.origin, {"handling": envelope.handling.value})
    return Sharing({c: ports.policies.decide(Member(c), RECEIVE_REPORT, finding, {}) for c in recipients})
