"""A member changes its own policy: checked, kept as a new version, published for every service (docs/policies.md).

The one policy-changed handler, run by the one service that takes policy changes (the one
whose topics include the policies stream). It answers the member with ``policy-accepted``
and publishes the version on the policies topic, from which every service, itself included,
puts it in force (andina.shared.policy.network).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from andina.contract.envelope import Envelope
from andina.contract.events.policies import (
    PolicyAccepted,
    PolicyChange,
    PolicyVersion,
    policy_accepted_type,
    policy_version_type,
)
from andina.contract.rejections import Rejected
from andina.shared.audit_log import Audit, caused_entry
from andina.shared.gate import Inbound
from andina.shared.outputs import SOLE, Cause, Outbox
from andina.shared.policy.engine import Agency, Decision, Member, Resource, Service
from andina.shared.policy.members import MemberPolicy
from andina.shared.publishing import Outgoing


class PolicyChanges(Protocol):
    """What the handler needs of the versions the service keeps (andina.shared.policy.versions)."""

    @property
    def topic(self) -> str:
        """The policies topic, where each kept version goes for every service."""

    async def propose(self, cause: Envelope, change: PolicyChange) -> MemberPolicy:
        """The next version of the sender's policy, checked; refused for another country's or a bad text.
        The same change handled again makes the same version (its acceptance and publication are equal)."""

    async def put(self, cause: Envelope, policy: MemberPolicy, note: str) -> None: ...


class PolicyDecisions(Protocol):
    """The members' policies as a service's handlers use them: the decision on a flow (andina.shared.policy.book)."""

    def decide(
        self, principal: Agency | Member | Service, action: str, resource: Resource, context: Mapping[str, Any]
    ) -> Decision: ...


class PolicyPorts(Protocol):
    @property
    def policy_versions(self) -> PolicyChanges: ...

    @property
    def audit(self) -> Audit: ...

    @property
    def outbox(self) -> Outbox: ...


async def policy_changed(inbound: Inbound[PolicyChange], ports: PolicyPorts) -> list[Outgoing]:
    envelope, change, versions = inbound.envelope, inbound.payload, ports.policy_versions
    try:
        policy = await versions.propose(envelope, change)
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
    await versions.put(envelope, policy, change.note)
    cause, service = Cause.of(envelope), ports.outbox.service
    accepted = PolicyAccepted(country=policy.country, version=policy.version, policy_ids=rules)
    version = PolicyVersion(country=policy.country, version=policy.version, policy=policy.text, note=change.note)
    return [
        ports.outbox.deliver(cause, policy_accepted_type(service), envelope.origin, accepted, SOLE),
        ports.outbox.event(versions.topic, policy.country, policy_version_type(service), version, cause),
    ]
