"""One plain function per inbound event type; each returns the events to emit.

Every check that can refuse an event runs before anything is written, so a refused
event changes nothing; answers go only to the country entitled to them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import date, timedelta

from andina.intel_exchange import SERVICE
from andina.intel_exchange.adapters.audit import AuditEntry, AuditLog
from andina.intel_exchange.adapters.followups import FollowUps
from andina.intel_exchange.adapters.metrics import IntelMetrics
from andina.intel_exchange.adapters.records import RecordStore
from andina.intel_exchange.domain.hits import alert_for, kind, reference, score_text
from andina.intel_exchange.domain.policies import listing_resource, record_resource, screened
from andina.intel_exchange.domain.records import admit_record, owned_by, read_screening
from andina.intel_exchange.domain.screening import Listing
from andina.intel_exchange.domain.sharing import may_see
from andina.intel_exchange.outputs import emit
from andina.shared.countries import CountryRegistry
from andina.shared.events.catalogs import intel_exchange as catalog
from andina.shared.events.intel_exchange import (
    HitNotified,
    PersonRecord,
    RecordAcknowledged,
    RecordWithdrawal,
    ScreeningAnswered,
    ScreeningQuery,
)
from andina.shared.events.intel_requests import (
    RecordReleased,
    RecordRequest,
    RecordRequestAnswer,
    RecordRequestReceived,
    RecordRequestRefused,
)
from andina.shared.events.messages import DirectedMessage
from andina.shared.fanout import deliveries
from andina.shared.gate import Inbound
from andina.shared.outputs import Outbox
from andina.shared.policy.book import PolicyBook
from andina.shared.policy.engine import FILE, KEEP, RECEIVE_RECORD, Agency, Decision, Service
from andina.shared.policy.registry import agency_of
from andina.shared.publishing import Outgoing
from andina.shared.rejections import Reason, Rejected
from andina.shared.timers import Clock


@dataclass(frozen=True)
class Ports:
    """What the Banco Andino handlers use; built once in app.py."""

    countries: CountryRegistry
    deliveries_topic: str
    signals_topic: str
    records: RecordStore
    followups: FollowUps
    audit: AuditLog
    metrics: IntelMetrics
    clock: Clock
    policies: PolicyBook


async def message_sent(
    inbound: Inbound[DirectedMessage], *, countries: CountryRegistry, deliveries_topic: str
) -> list[Outgoing]:
    return deliveries(inbound, Outbox(SERVICE, deliveries_topic), countries)


async def record_submitted(inbound: Inbound[PersonRecord], *, ports: Ports) -> list[Outgoing]:
    envelope, record = inbound.envelope, inbound.payload
    today = ports.clock().date()
    listing = admit_record(record, envelope.origin, envelope.handling, ports.countries.codes, today)
    filing = ports.policies.decide(
        Agency(envelope.origin, agency_of(envelope.source)), FILE, listing_resource(listing), {}
    )
    if not filing.permitted:
        refused = AuditEntry(
            "record-filing-refused", envelope.origin, record.record_id, filing.refusal(), policy(filing)
        )
        await ports.audit.append(envelope, [refused])
        raise Rejected(Reason.UNAUTHORIZED, f"refused by the policies in force: {filing.refusal()}")
    listing, retention = _retained(listing, today, ports.policies)
    version = ports.records.next_version(record.record_id)
    why = "owner filed or updated"
    detail = policy(filing) | retention
    await ports.audit.append(envelope, [AuditEntry("record-stored", envelope.origin, record.record_id, why, detail)])
    await ports.records.store(envelope, record, listing, version, today)
    acknowledged = RecordAcknowledged(record_id=record.record_id, status="stored", version=version)
    return [emit(envelope, ports.deliveries_topic, envelope.origin, catalog.RECORD_ACKNOWLEDGED, acknowledged)]


def _retained(listing: Listing, today: date, policies: PolicyBook) -> tuple[Listing, dict[str, str]]:
    """The listing expiring at the end of the owner's retention, if its policy sets one, and the audit detail."""
    days = policies.engine.retention_days(SERVICE, listing_resource(listing))
    if days is None:
        return listing, {}
    kept_until = today + timedelta(days=days)  # the owner's law keeps it no longer: it stops hitting then
    limit = policies.decide(Service(SERVICE), KEEP, listing_resource(listing), {"age_days": days})
    expires_on = min(kept_until, listing.expires_on or kept_until)
    return replace(listing, expires_on=expires_on), {"kept_until": expires_on.isoformat(), "retention": limit.summary()}


async def record_withdrawn(inbound: Inbound[RecordWithdrawal], *, ports: Ports) -> list[Outgoing]:
    envelope, withdrawal = inbound.envelope, inbound.payload
    owned_by(withdrawal.record_id, envelope.origin)
    if withdrawal.record_id not in ports.records.index:
        raise Rejected(Reason.INVALID_PAYLOAD, f"{envelope.origin} has no live record {withdrawal.record_id}")
    version = ports.records.next_version(withdrawal.record_id)
    await ports.audit.append(
        envelope, [AuditEntry("record-withdrawn", envelope.origin, withdrawal.record_id, withdrawal.reason, {})]
    )
    await ports.records.withdraw(envelope, withdrawal.record_id, envelope.origin, version, withdrawal.reason)
    acknowledged = RecordAcknowledged(record_id=withdrawal.record_id, status="withdrawn", version=version)
    return [emit(envelope, ports.deliveries_topic, envelope.origin, catalog.RECORD_ACKNOWLEDGED, acknowledged)]


async def screening_requested(inbound: Inbound[ScreeningQuery], *, ports: Ports) -> list[Outgoing]:
    envelope, query = inbound.envelope, inbound.payload
    asker, index = envelope.origin, ports.records.index
    readings = read_screening(query, ports.clock().date(), index.lexicon)
    started = time.perf_counter()
    candidates = index.screen(readings, asker, ports.clock().date())
    agency = Agency(asker, agency_of(envelope.source))
    # For the members' policies, a screening "by name" is one without a document (with a date of
    # birth or not); a possible match (no date of birth either) is marked in each decision.
    allowed = screened(ports.policies.decide, agency, ports.countries.codes, candidates, not query.documents)
    ports.metrics.screening_seconds.observe(time.perf_counter() - started)
    found = [hit for hit, _ in allowed.hits]
    hits, possible = [h for h in found if not h.possible], [h for h in found if h.possible]
    outcome = "hit" if hits else "possible" if possible else "no-hit"
    ports.metrics.screenings.labels(asker, outcome).inc()
    detail = {"place": query.place, "outcome": outcome, "policies": allowed.screen_summary()}
    audit = [AuditEntry("screening", asker, str(envelope.id), query.purpose, detail)]
    audit += [
        AuditEntry(kind(h), asker, h.listing.record_id, query.purpose, {"score": score_text(h.match.score)} | policy(d))
        for h, d in allowed.hits
    ]
    audit += [
        AuditEntry("hit-withheld", asker, h.listing.record_id, query.purpose, policy(d)) for h, d in allowed.withheld
    ]
    await ports.audit.append(envelope, audit)
    await ports.followups.record_hits(envelope, found)
    answer = ScreeningAnswered(
        screening_id=envelope.id,
        outcome=outcome,
        hits=[reference(h) for h in hits],
        possible_matches=[reference(h) for h in possible],
        not_searched=allowed.not_searched() or None,
    )
    outputs = [emit(envelope, ports.deliveries_topic, asker, catalog.SCREENING_ANSWERED, answer)]
    for hit in found:
        listing = hit.listing
        (ports.metrics.possible_matches if hit.possible else ports.metrics.hits).labels(listing.owner, asker).inc()
        if not hit.possible:
            ports.metrics.hits_by_record_type.labels(listing.record_type.value, listing.owner).inc()
        notice = HitNotified(
            screening_id=envelope.id,
            record_id=listing.record_id,
            asked_by=asker,
            agency=envelope.source.rsplit("/", 1)[-1],
            place=query.place,
            purpose=query.purpose,
            asked_at=envelope.time.isoformat(),
            score=score_text(hit.match.score),
            matched_fields=list(hit.match.matched_fields),
            kind=kind(hit),
            differing_fields=list(hit.match.differing_fields),
        )
        outputs.append(
            emit(envelope, ports.deliveries_topic, listing.owner, catalog.HIT_NOTIFIED, notice, part=listing.record_id)
        )
        if listing.immediate_alert and not hit.possible:
            alert = alert_for(hit, asker, query.place, envelope.id)
            outputs.append(
                emit(
                    envelope, ports.signals_topic, listing.owner, catalog.ALERT_REQUESTED, alert, part=listing.record_id
                )
            )
    return outputs


async def record_requested(inbound: Inbound[RecordRequest], *, ports: Ports) -> list[Outgoing]:
    envelope, request = inbound.envelope, inbound.payload
    asker = envelope.origin
    # The same refusal whether the record exists or not: nothing is revealed.
    refusal = Rejected(
        Reason.UNAUTHORIZED, f"{asker} got no hit on {request.record_id} in screening {request.screening_id}"
    )
    hit = await ports.followups.hit_for(request.screening_id, request.record_id, asker)
    listing = ports.records.index.listing(request.record_id)
    if hit is None or listing is None or not may_see(asker, listing.owner, listing.share_with):
        raise refusal
    agency = Agency(asker, agency_of(envelope.source))
    decision = ports.policies.decide(
        agency, RECEIVE_RECORD, listing_resource(listing), {"treaty": request.treaty or ""}
    )
    action = "record-requested" if decision.permitted else "record-request-refused"
    await ports.audit.append(envelope, [AuditEntry(action, asker, request.record_id, request.reason, policy(decision))])
    if not decision.permitted:  # the asker already knows of the record from its hit: the rule reveals nothing more
        raise Rejected(Reason.UNAUTHORIZED, f"refused by the policies in force: {decision.refusal()}")
    await ports.followups.open_request(envelope, request.screening_id, request.record_id, listing.owner, request.treaty)
    ports.metrics.record_requests.labels(listing.owner, "requested").inc()
    received = RecordRequestReceived(
        request_id=envelope.id,
        screening_id=request.screening_id,
        record_id=request.record_id,
        requested_by=asker,
        reason=request.reason,
        treaty=request.treaty,
    )
    return [emit(envelope, ports.deliveries_topic, listing.owner, catalog.RECORD_REQUEST_RECEIVED, received)]


async def record_request_answered(inbound: Inbound[RecordRequestAnswer], *, ports: Ports) -> list[Outgoing]:
    envelope, answer = inbound.envelope, inbound.payload
    if answer.decision == "refused" and not answer.reason:
        raise Rejected(Reason.INVALID_PAYLOAD, "a refusal needs a reason")
    request = await ports.followups.open_for(envelope, answer.request_id)
    if request is None:
        raise Rejected(Reason.UNAUTHORIZED, f"{envelope.origin} has no pending record request {answer.request_id}")
    requester, record_id = request["requester"], request["record_id"]
    if answer.decision == "refused":
        entry = AuditEntry("record-refused", envelope.origin, record_id, answer.reason or "", {"to": requester})
        refused = RecordRequestRefused(request_id=answer.request_id, record_id=record_id, reason=answer.reason or "")
        output = emit(envelope, ports.deliveries_topic, requester, catalog.RECORD_REQUEST_REFUSED, refused)
    else:
        current = await ports.records.current(record_id)
        if current is None:
            raise Rejected(Reason.INVALID_PAYLOAD, f"record {record_id} was withdrawn: nothing to release")
        record, handling = current
        # Decided again as the record leaves: the policies may have changed since the request.
        recipient = Agency(requester, agency_of(request.get("agency", "")))
        resource = record_resource(record_id, record.owner, record.record_type.value)
        decision = ports.policies.decide(recipient, RECEIVE_RECORD, resource, {"treaty": request.get("treaty") or ""})
        if decision.permitted:
            why = f"approved request {answer.request_id}"
            entry = AuditEntry("record-released", envelope.origin, record_id, why, {"to": requester} | policy(decision))
            released = RecordReleased(request_id=answer.request_id, record=record)
            output = emit(
                envelope, ports.deliveries_topic, requester, catalog.RECORD_RELEASED, released, handling=handling
            )
        else:
            why = f"refused by the policies in force: {decision.refusal()}"
            entry = AuditEntry("record-withheld", envelope.origin, record_id, why, {"to": requester} | policy(decision))
            refused = RecordRequestRefused(request_id=answer.request_id, record_id=record_id, reason=why)
            output = emit(envelope, ports.deliveries_topic, requester, catalog.RECORD_REQUEST_REFUSED, refused)
    await ports.audit.append(envelope, [entry])
    await ports.followups.decide(envelope, answer.request_id, answer.decision)
    ports.metrics.record_requests.labels(envelope.origin, answer.decision).inc()
    return [output]


def policy(decision: Decision) -> dict[str, str]:
    """A policy decision as an audit entry's detail."""
    return {"policy": decision.summary()}
