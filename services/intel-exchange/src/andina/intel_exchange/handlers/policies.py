"""A member changes its own policy: checked, kept as a new version, in force at once (docs/policies.md)."""

from __future__ import annotations

from andina.intel_exchange.adapters.audit import AuditEntry, AuditLog
from andina.intel_exchange.outputs import emit
from andina.shared.events.catalogs import intel_exchange as catalog
from andina.shared.events.policies import PolicyAccepted, PolicyChange
from andina.shared.gate import Inbound
from andina.shared.policy.book import PolicyBook
from andina.shared.publishing import Outgoing
from andina.shared.rejections import Rejected


async def policy_changed(
    inbound: Inbound[PolicyChange], *, policies: PolicyBook, audit: AuditLog, deliveries_topic: str
) -> list[Outgoing]:
    envelope, change = inbound.envelope, inbound.payload
    try:
        policy = policies.propose(envelope.origin, change)
    except Rejected as refused:
        # Audited although refused (the batch still writes it): an attempt on another member's policy is a fact.
        entry = AuditEntry("policy-refused", envelope.origin, change.country, refused.detail, {})
        await audit.append(envelope, [entry])
        raise
    rules = sorted(policy.source.policies)
    subject = f"{policy.country}@v{policy.version}"
    await audit.append(
        envelope, [AuditEntry("policy-changed", envelope.origin, subject, change.note, {"rules": " ".join(rules)})]
    )
    await policies.put(envelope, policy, change.note)
    accepted = PolicyAccepted(country=policy.country, version=policy.version, policy_ids=rules)
    return [emit(envelope, deliveries_topic, envelope.origin, catalog.POLICY_ACCEPTED, accepted)]
