"""Each owner's retention at the Banco Andino, judged from every record's first filing date.

A member's policy may limit how long the service keeps a kind of record (``keep`` refused
from some ``age_days`` on). The screening index judges every record it holds by the
retention of the policies in force, whenever it was filed: the handlers that use the index
judge it again first when a new version came into force (the engine is replaced at each),
and a record stops hitting on the day its owner's law no longer keeps it. The instance that
takes a policy change audits each record the new version expires at once, with its rule.
A record its owner's law no longer keeps is no longer released either: a full record leaves
only if ``keep`` still permits it that day (:func:`released_under`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from andina.contract.events.intel_exchange import RecordType
from andina.contract.events.policies import PolicyChange
from andina.intel_exchange import SERVICE
from andina.intel_exchange.domain.policies import listing_resource, record_resource
from andina.intel_exchange.domain.screening import Listing, Retention, kept_until
from andina.intel_exchange.handlers.ports import Ports
from andina.shared.audit_log import caused_entry
from andina.shared.gate import Inbound
from andina.shared.policy.engine import KEEP, RECEIVE_RECORD, Agency, Decision, PolicyEngine, Resource, Service
from andina.shared.policy.handler import policy_changed
from andina.shared.publishing import Outgoing

PAST_RETENTION = "past its owner's retention, counted from its first filing"


def retention_of(engine: PolicyEngine, owners: list[str]) -> Retention:
    """The days each owner's law keeps each type of its records; a kind it does not limit has no key."""
    return {
        (owner, kind): days
        for owner in owners
        for kind in RecordType
        if (days := engine.retention_days(SERVICE, record_resource("", owner, kind.value))) is not None
    }


def retention_judged(ports: Ports) -> None:
    """The index judged by the retention in force, if a version came into force since it was last judged."""
    engine, index = ports.policies.engine, ports.records.index
    if index.retention_under is not engine:  # the hot path: one comparison
        index.retain(retention_of(engine, sorted(ports.countries.codes)), engine)


def retention_detail(listing: Listing, ports: Ports) -> dict[str, str]:
    """The audit detail of a record its owner's law keeps for a time: until when, and the rule; {} if no limit."""
    retention = ports.records.index.retention
    until = kept_until(listing, retention)
    if until is None:
        return {}
    age = {"age_days": retention[listing.owner, listing.record_type]}
    limit = ports.policies.decide(Service(SERVICE), KEEP, listing_resource(listing), age)
    return {"kept_until": until.isoformat(), "retention": limit.summary()}


def released_under(ports: Ports, recipient: Agency, record: Resource, context: dict[str, Any], today: date) -> Decision:
    """Whether ``record`` may go to ``recipient`` today: refused by its owner's retention (``keep`` at its age,
    counted from its first filing) as by ``receive-record``, whichever refuses first, naming the rule."""
    age_days = (today - (ports.records.filed_on(record.id) or today)).days
    kept = ports.policies.decide(Service(SERVICE), KEEP, record, {"age_days": age_days})
    return ports.policies.decide(recipient, RECEIVE_RECORD, record, context) if kept.permitted else kept


async def policy_changed_retained(inbound: Inbound[PolicyChange], ports: Ports) -> list[Outgoing]:
    """A policy change (andina.shared.policy.handler), and each record its new version expires at once, audited."""
    index = ports.records.index
    retention_judged(ports)  # as before the change, so that only what the change expires is audited
    before = index.retention
    outputs = await policy_changed(inbound, ports)
    retention_judged(ports)
    envelope, today = inbound.envelope, ports.clock().date()
    expired = [
        caused_entry(envelope, "record-expired", x.owner, x.record_id, PAST_RETENTION, retention_detail(x, ports))
        for x in index.no_longer_kept(before, today)
    ]
    await ports.audit.append(expired)
    return outputs
