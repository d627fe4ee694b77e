"""A member changes its own policy: checked, kept as a new version, in force at once (docs/policies.md).

One handler for every service that enforces the members' policies; each accepts its own
``andina.<service>.policy-changed.v1`` and answers its own ``policy-accepted``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from andina.shared.audit_log import Audit, caused_entry
from andina.shared.envelope import Envelope
from andina.shared.events.policies import PolicyAccepted, PolicyChange, policy_accepted_type
from andina.shared.gate import Inbound
from andina.shared.outputs import SOLE, Cause, Outbox
from andina.shared.policy.engine import Agency, Decision, Member, Resource, Service
from andina.shared.policy.members import MemberPolicy
from andina.shared.publishing import Outgoing
from andina.shared.rejections import Rejected


class PolicyChanges(Protocol):
    """What the handler needs of a service's policy book (andina.shared.policy.book)."""

    def propose(self, sender: str, change: PolicyChange) -> MemberPolicy:
        """The next version of the sender's policy, checked; refused for another country's or a bad text."""

    async def put(self, cause: Envelope, policy: MemberPolicy, note: str) -> None: ...


class PolicyDecisions(PolicyChanges, Protocol):
    """A policy book as a service's handlers use it: its decisions, and its changes."""

    def decide(
        self, principal: Agency | Member | Service, action: str, resource: Resource, context: Mapping[str, Any]
    ) -> Decision: ...


class PolicyPorts(Protocol):
    @property
    def policies(self) -> PolicyChanges: ...

    @property
    def audit(self) -> Audit: ...

    @property
    def outbox(self) -> Outbox: ...


async def policy_changed(inbound: Inbound[PolicyChange], ports: PolicyPorts) -> list[Outgoing]:
    envelope, change = inbound.envelope, inbound.payload
    try:
        policy = ports.policies.propose(envelope.origin, change)
    except Rejected as refused:
        # Audited although refused (the batch still writes it): an attempt on another member's policy is a fact.
        attempt = caused_entry(envelope, "policy-refused", envelope.origin, change.country, refused.detail)
        await ports.audit.append([attempt])
        raise
    rules = sorted(policy.source.policies)
    subject = f"{policy.country}@v{policy.version}"
    changed = caused_entry(
        envelope, "policy-changed", envelope.origin, subject, change.note, {"rules": " ".join(rules)}
    )
    await ports.audit.append([changed])
    await ports.policies.put(envelope, policy, change.note)
    accepted = PolicyAccepted(country=policy.country, version=policy.version, policy_ids=rules)
    accepted_type = policy_accepted_type(ports.outbox.service)
    return [ports.outbox.deliver(Cause.of(envelope), accepted_type, envelope.origin, accepted, SOLE)]
