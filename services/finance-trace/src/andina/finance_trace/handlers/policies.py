"""The members' policies at finance-trace's flows (docs/policies.md): an FIU's data reaches another FIU
only if the owner's outbound rules and the recipient's inbound rules both permit it.

- a finding: "receive-report" by each reader (``Country``) on the ``FinanceTransfers`` of every other
  FIU whose reports it rests on; a refused reader is not told it, the others learn the rules;
- a trace: "ask-trace" by the requesting ``Agency`` on each other member's ``FinanceTransfers``; the
  trace does not follow a refused member's transfers, and the answer names the rules;
- a detail request and its release: "receive-detail" by the requesting ``Agency`` on the owner's
  ``FinanceDetail``; refused before the owner hears of it, or withheld after the owner approved.

The decisions do not depend on the data (an FIU's transfers are one resource per owner), so a
refusal tells nothing about what the refused member holds. Every decision is audited.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from andina.shared.audit_log import AuditEntry
from andina.shared.envelope import Envelope, Handling
from andina.shared.policy.engine import ASK_TRACE, RECEIVE_DETAIL, RECEIVE_REPORT, Agency, Decision, Member, Resource
from andina.shared.policy.handler import PolicyDecisions
from andina.shared.policy.registry import agency_of

FINDING_SHARED = "finding-shared"
TRACE_DECIDED = "trace-decided"
DETAIL_REQUEST_REFUSED = "detail-request-refused"
DETAIL_WITHHELD = "detail-withheld"


def transfers(owner: str, handling: Handling) -> Resource:
    """Everything ``owner``'s FIU reported, as a finding or a trace shows it (one resource: decided once)."""
    return Resource("FinanceTransfers", owner, owner, {"handling": handling.value})


def finance_detail(subject: str, owner: str, handling: Handling) -> Resource:
    return Resource("FinanceDetail", f"{owner}/{subject}", owner, {"handling": handling.value})


def asker(envelope: Envelope) -> Agency:
    return Agency(envelope.origin, agency_of(envelope.source))


def all_of(decisions: Iterable[Decision]) -> Decision:
    """Permitted if every one is; named by the rules that refused (or, when permitted, that permitted)."""
    given = list(decisions)
    permitted = all(d.permitted for d in given)
    rules = {i: r for d in given if d.permitted == permitted for i, r in zip(d.policy_ids, d.reasons, strict=True)}
    return Decision(permitted, tuple(sorted(rules)), tuple(rules[i] for i in sorted(rules)))


@dataclass(frozen=True, slots=True)
class Decided:
    """Each member's decision on one flow."""

    decisions: Mapping[str, Decision]

    def withheld(self) -> dict[str, str]:
        """The refused members, each with the rules that refused it and their reasons."""
        return {c: d.refusal() for c, d in sorted(self.decisions.items()) if not d.permitted}

    def permits(self, member: str) -> bool:
        decision = self.decisions.get(member)
        return decision is None or decision.permitted

    def detail(self) -> dict[str, str]:
        """Every decision, for an audit entry's detail."""
        return {"policies": "; ".join(f"{c} {d.summary()}" for c, d in sorted(self.decisions.items()))}


def finding_readers(policies: PolicyDecisions, readers: Collection[str], handling: Handling) -> Decided:
    """Each reader's decision on a finding resting on the reports of ``readers``: it may be told if every
    other reader's transfers may reach it (a finding of one FIU's reports alone needs no decision)."""
    decisions = {}
    for reader in readers:
        others = [
            policies.decide(Member(reader), RECEIVE_REPORT, transfers(owner, handling), {})
            for owner in readers
            if owner != reader
        ]
        if others:
            decisions[reader] = all_of(others)
    return Decided(decisions)


def traced_members(policies: PolicyDecisions, tracer: Agency, members: Iterable[str], handling: Handling) -> Decided:
    """Whose transfers a trace may follow: each other member's decision."""
    return Decided(
        {
            owner: policies.decide(tracer, ASK_TRACE, transfers(owner, handling), {})
            for owner in members
            if owner != tracer.country
        }
    )


def detail_release(
    policies: PolicyDecisions, requester: Agency, subject: str, owner: str, handling: Handling
) -> Decision:
    return policies.decide(requester, RECEIVE_DETAIL, finance_detail(subject, owner, handling), {})


def with_policy(entries: Iterable[AuditEntry], decision: Decision) -> list[AuditEntry]:
    """The entries of a flow that went ahead, each with the decision that let it."""
    return [dataclasses.replace(e, detail={**e.detail, "policy": decision.summary()}) for e in entries]
