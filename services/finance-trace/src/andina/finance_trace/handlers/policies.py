"""The members' policies at finance-trace's flows (docs/policies.md): an FIU's data reaches another FIU
only if the owner's outbound rules and the recipient's inbound rules both permit it.

- a finding: "receive-report" by each reader (``Country``) on the ``FinanceTransfers`` of every other
  FIU whose reports it rests on; a refused reader is not told it, the others learn the rules; the
  same decision tells an FIU that another holds a subject it holds too (``subject-shared``);
- a trace: "ask-trace" by the requesting ``Agency`` on each other member's ``FinanceTransfers``; the
  trace does not follow a refused member's transfers nor shows the parties only its reports linked to
  an account, and the answer names the rules;
- a detail request and its release: "receive-detail" by the requesting ``Agency`` on the owner's
  ``FinanceDetail``; refused before the owner hears of it, or withheld after the owner approved.

The decisions do not depend on the data (an FIU's transfers are one resource per owner), so a
refusal tells nothing about what the refused member holds. Every decision is audited.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from andina.contract.envelope import Envelope, Handling
from andina.contract.events.finance_trace_flows import PatternDetected
from andina.contract.events.signals import AlertRequested
from andina.finance_trace.domain.findings import POOLED_HANDLING
from andina.finance_trace.domain.sharing import SharedNotice
from andina.shared.audit_log import AuditEntry, caused_entry
from andina.shared.outputs import strictest
from andina.shared.policy.engine import (
    ASK_TRACE,
    RECEIVE_DETAIL,
    RECEIVE_REPORT,
    Agency,
    Decision,
    Member,
    Resource,
    refusals,
    summary_of,
)
from andina.shared.policy.handler import PolicyDecisions
from andina.shared.policy.registry import agency_of

FINDING_SHARED = "finding-shared"
SUBJECTS_SHARED = "subjects-shared"
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
        return refusals(self.decisions)

    def detail(self) -> dict[str, str]:
        """Every decision, for an audit entry's detail."""
        return {"policies": summary_of(self.decisions)}


def finding_told(
    policies: PolicyDecisions, cause: Envelope, detected: PatternDetected, rest_on: list[str], at: datetime
) -> tuple[PatternDetected, list[str], list[AuditEntry]]:
    """The finding as told (naming the readers withheld), the readers told, and the decisions' audit entry.

    A reader is told if every other reader's transfers may reach it; a finding resting on one FIU's
    reports alone needs no decision.
    """
    handling = strictest(cause.handling, POOLED_HANDLING)
    decisions = {}
    for reader in rest_on:
        others = [
            policies.decide(Member(reader), RECEIVE_REPORT, transfers(owner, handling), {})
            for owner in rest_on
            if owner != reader
        ]
        if others:
            decisions[reader] = all_of(others)
    if not decisions:
        return detected, rest_on, []
    decided = Decided(decisions)
    subject, why = f"finding/{detected.detection_id}", detected.pattern.value
    entry = caused_entry(cause, FINDING_SHARED, cause.origin, subject, why, decided.detail(), at=at)
    told_to = [reader for reader in rest_on if decisions[reader].permitted]
    return detected.model_copy(update={"withheld": decided.withheld()}), told_to, [entry]


def alert_told(alert: AlertRequested, told_to: Sequence[str]) -> AlertRequested:
    """A finding's alert for the readers told it alone, raised in the name of the country concerned if that
    is one of them (else of the first): the network learns no more than the finding's readers may."""
    country = alert.country if alert.country in told_to else told_to[0]
    return alert.model_copy(update={"recipients": list(told_to), "country": country})


def notices_told(
    policies: PolicyDecisions, cause: Envelope, notices: list[SharedNotice], at: datetime
) -> tuple[list[SharedNotice], list[AuditEntry]]:
    """The notices whose recipient may learn that the other FIU holds the subject too (the other's
    reports reach it, as a finding's would); a refused one is withheld silently, since saying so would
    tell that the subject is held. One audit entry holds every pair's decision."""
    if not notices:
        return [], []
    pairs = {
        (n.shared_with, n.recipient): policies.decide(
            Member(n.recipient), RECEIVE_REPORT, transfers(n.shared_with, cause.handling), {}
        )
        for n in notices
    }
    summary = "; ".join(f"{holder} to {recipient} {d.summary()}" for (holder, recipient), d in sorted(pairs.items()))
    entry = caused_entry(cause, SUBJECTS_SHARED, cause.origin, str(cause.id), "", {"policies": summary}, at=at)
    return [n for n in notices if pairs[n.shared_with, n.recipient].permitted], [entry]


def traced_members(policies: PolicyDecisions, tracer: Agency, members: Iterable[str], handling: Handling) -> Decided:
    """Whose transfers a trace may follow: each other member's decision."""
    return Decided(
        {
            owner: policies.decide(tracer, ASK_TRACE, transfers(owner, handling), {})
            for owner in members
            if owner != tracer.country
        }
    )


@dataclass
class DetailsShown:
    """Whether a trace shows again the details an owner disclosed to its requester: "receive-detail" still
    permits it (the policies may have changed since), and the trace follows the owner's transfers."""

    policies: PolicyDecisions
    requester: Agency
    handling: Handling
    untraced: Collection[str]  # members whose transfers the trace does not follow: named nowhere in it
    decisions: dict[str, Decision] = field(default_factory=dict)

    def __call__(self, owner: str, subject: str) -> bool:
        if owner in self.untraced:
            return False
        key = f"{owner}/{subject}"
        if key not in self.decisions:
            self.decisions[key] = detail_release(self.policies, self.requester, subject, owner, self.handling)
        return self.decisions[key].permitted

    def detail(self) -> dict[str, str]:
        """Each decision taken, for an audit entry's detail (nothing if the trace showed no details)."""
        return {"details": summary_of(self.decisions)} if self.decisions else {}


def detail_release(
    policies: PolicyDecisions, requester: Agency, subject: str, owner: str, handling: Handling
) -> Decision:
    return policies.decide(requester, RECEIVE_DETAIL, finance_detail(subject, owner, handling), {})


def with_policy(entries: Iterable[AuditEntry], decision: Decision) -> list[AuditEntry]:
    """The entries of a flow that went ahead, each with the decision that let it."""
    return [dataclasses.replace(e, detail={**e.detail, "policy": decision.summary()}) for e in entries]
