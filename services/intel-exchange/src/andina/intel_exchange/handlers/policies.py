"""A member changes its own policy: checked, kept as a new version, in force at once (docs/policies.md)."""

from __future__ import annotations

from andina.intel_exchange.handlers.audit import entry
from andina.intel_exchange.handlers.ports import SOLE, Ports
from andina.shared.events.catalogs import intel_exchange as catalog
from andina.shared.events.policies import PolicyAccepted, PolicyChange
from andina.shared.gate import Inbound
from andina.shared.outputs import Cause
from andina.shared.publishing import Outgoing
from andina.shared.rejections import Rejected


async def policy_changed(inbound: Inbound[PolicyChange], ports: Ports) -> list[Outgoing]:
    envelope, change = inbound.envelope, inbound.payload
    try:
        policy = ports.policies.propose(envelope.origin, change)
    except Rejected as refused:
        # Audited although refused (the batch still writes it): an attempt on another member's policy is a fact.
        await ports.audit.append([entry(envelope, "policy-refused", envelope.origin, change.country, refused.detail)])
        raise
    rules = sorted(policy.source.policies)
    subject = f"{policy.country}@v{policy.version}"
    changed = entry(envelope, "policy-changed", envelope.origin, subject, change.note, {"rules": " ".join(rules)})
    await ports.audit.append([changed])
    await ports.policies.put(envelope, policy, change.note)
    accepted = PolicyAccepted(country=policy.country, version=policy.version, policy_ids=rules)
    return [ports.outbox.deliver(Cause.of(envelope), catalog.POLICY_ACCEPTED, envelope.origin, accepted, SOLE)]
