"""The Banco Andino's person records: the owner files and withdraws them; a country with a hit
asks for the full record, and the owner releases or refuses it.

Every check that can refuse an event runs before anything is written, so a refused event
changes nothing (but its audit entry); answers go only to the country entitled to them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from andina.contract.events.catalogs import intel_exchange as catalog
from andina.contract.events.intel_exchange import PersonRecord, RecordAcknowledged, RecordWithdrawal
from andina.contract.events.intel_requests import (
    RecordReleased,
    RecordRequest,
    RecordRequestAnswer,
    RecordRequestReceived,
    RecordRequestRefused,
)
from andina.contract.rejections import Reason, Rejected
from andina.intel_exchange.domain.policies import listing_resource, policy_detail, record_resource
from andina.intel_exchange.domain.records import admit_record, owned_by
from andina.intel_exchange.domain.screening import Listing
from andina.intel_exchange.domain.sharing import may_see
from andina.intel_exchange.handlers.ports import SOLE, Ports
from andina.intel_exchange.handlers.retention import released_under, retention_detail, retention_judged
from andina.shared.audit_log import caused_entry
from andina.shared.gate import Inbound
from andina.shared.outputs import Cause
from andina.shared.policy.engine import FILE, Agency
from andina.shared.policy.registry import agency_of
from andina.shared.publishing import Outgoing


def record_checked(inbound: Inbound[PersonRecord], ports: Ports, today: date) -> Listing:
    envelope = inbound.envelope
    return admit_record(inbound.payload, envelope.origin, envelope.handling, ports.countries.codes, today)


def record_check(inbound: Inbound[PersonRecord], ports: Ports) -> Listing:
    return record_checked(inbound, ports, ports.clock().date())


async def record_submitted(inbound: Inbound[PersonRecord], ports: Ports) -> list[Outgoing]:
    envelope, record = inbound.envelope, inbound.payload
    owner, record_id, today = envelope.origin, record.record_id, ports.clock().date()
    listing = record_checked(inbound, ports, today)
    filing = ports.policies.decide(Agency(owner, agency_of(envelope.source)), FILE, listing_resource(listing), {})
    if not filing.permitted:
        refused = caused_entry(
            envelope, "record-filing-refused", owner, record_id, filing.refusal(), policy_detail(filing)
        )
        await ports.audit.append([refused])
        raise Rejected(Reason.UNAUTHORIZED, f"refused by the policies in force: {filing.refusal()}")
    retention_judged(ports)
    listing = replace(listing, filed_on=ports.records.filed_on(record_id) or today)  # an update keeps it
    version = ports.records.next_version(record_id)
    detail = policy_detail(filing) | retention_detail(listing, ports)
    await ports.audit.append(
        [caused_entry(envelope, "record-stored", owner, record_id, "owner filed or updated", detail)]
    )
    # Handled again (a crash before the commit), a filing answers the version it got then, not the next one.
    version = await ports.records.store(envelope, record, listing, version, today)
    acknowledged = RecordAcknowledged(record_id=record_id, status="stored", version=version)
    return [ports.outbox.deliver(Cause.of(envelope), catalog.RECORD_ACKNOWLEDGED, owner, acknowledged, SOLE)]


async def record_withdrawn(inbound: Inbound[RecordWithdrawal], ports: Ports) -> list[Outgoing]:
    envelope, withdrawal = inbound.envelope, inbound.payload
    owned_by(withdrawal.record_id, envelope.origin)
    if withdrawal.record_id not in ports.records.index:
        raise Rejected(Reason.INVALID_PAYLOAD, f"{envelope.origin} has no live record {withdrawal.record_id}")
    version = ports.records.next_version(withdrawal.record_id)
    await ports.audit.append(
        [caused_entry(envelope, "record-withdrawn", envelope.origin, withdrawal.record_id, withdrawal.reason)]
    )
    version = await ports.records.withdraw(envelope, withdrawal.record_id, envelope.origin, version, withdrawal.reason)
    acknowledged = RecordAcknowledged(record_id=withdrawal.record_id, status="withdrawn", version=version)
    return [ports.outbox.deliver(Cause.of(envelope), catalog.RECORD_ACKNOWLEDGED, envelope.origin, acknowledged, SOLE)]


async def record_requested(inbound: Inbound[RecordRequest], ports: Ports) -> list[Outgoing]:
    envelope, request = inbound.envelope, inbound.payload
    asker = envelope.origin
    # The same refusal whether the record exists or not: nothing is revealed.
    refusal = Rejected(
        Reason.UNAUTHORIZED, f"{asker} got no hit on {request.record_id} in screening {request.screening_id}"
    )
    hit = await ports.followups.hit_for(request.screening_id, request.record_id, asker)
    listing, today = ports.records.index.listing(request.record_id), ports.clock().date()
    if (
        hit is None
        or listing is None
        or not listing.live_on(today)
        or not may_see(asker, listing.owner, listing.share_with)
    ):
        raise refusal  # a record its owner let expire is no more there to ask for than one never filed
    agency = Agency(asker, agency_of(envelope.source))
    context = {"treaty": request.treaty or ""}
    decision = released_under(ports, agency, listing_resource(listing), context, today)
    action = "record-requested" if decision.permitted else "record-request-refused"
    await ports.audit.append(
        [caused_entry(envelope, action, asker, request.record_id, request.reason, policy_detail(decision))]
    )
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
    return [ports.outbox.deliver(Cause.of(envelope), catalog.RECORD_REQUEST_RECEIVED, listing.owner, received, SOLE)]


async def record_request_answered(inbound: Inbound[RecordRequestAnswer], ports: Ports) -> list[Outgoing]:
    envelope, answer = inbound.envelope, inbound.payload
    if answer.decision == "refused" and not answer.reason:
        raise Rejected(Reason.INVALID_PAYLOAD, "a refusal needs a reason")
    request = await ports.followups.open_for(envelope, answer.request_id)
    if request is None:
        raise Rejected(Reason.UNAUTHORIZED, f"{envelope.origin} has no pending record request {answer.request_id}")
    requester, record_id = request["requester"], request["record_id"]
    cause, to = Cause.of(envelope), {"to": requester}
    if answer.decision == "refused":
        audited = caused_entry(envelope, "record-refused", envelope.origin, record_id, answer.reason or "", to)
        refused = RecordRequestRefused(request_id=answer.request_id, record_id=record_id, reason=answer.reason or "")
        output = ports.outbox.deliver(cause, catalog.RECORD_REQUEST_REFUSED, requester, refused, SOLE)
    else:
        current = await ports.records.current(record_id)
        if current is None:
            raise Rejected(Reason.INVALID_PAYLOAD, f"record {record_id} was withdrawn: nothing to release")
        (record, handling), today = current, ports.clock().date()
        if record.expires_on is not None and record.expires_on <= today:
            raise Rejected(
                Reason.INVALID_PAYLOAD, f"record {record_id} expired on {record.expires_on}: nothing to release"
            )
        # Decided again as the record leaves: the policies may have changed since the request, and time passed.
        recipient = Agency(requester, agency_of(request.get("agency", "")))
        resource = record_resource(record_id, record.owner, record.record_type.value)
        context = {"treaty": request.get("treaty") or ""}
        decision = released_under(ports, recipient, resource, context, today)
        detail = to | policy_detail(decision)
        if decision.permitted:
            why = f"approved request {answer.request_id}"
            audited = caused_entry(envelope, "record-released", envelope.origin, record_id, why, detail)
            released = RecordReleased(request_id=answer.request_id, record=record)
            output = ports.outbox.deliver(
                cause.handled_as(handling), catalog.RECORD_RELEASED, requester, released, SOLE
            )
        else:
            why = f"refused by the policies in force: {decision.refusal()}"
            audited = caused_entry(envelope, "record-withheld", envelope.origin, record_id, why, detail)
            withheld = RecordRequestRefused(request_id=answer.request_id, record_id=record_id, reason=why)
            output = ports.outbox.deliver(cause, catalog.RECORD_REQUEST_REFUSED, requester, withheld, SOLE)
    await ports.audit.append([audited])
    await ports.followups.decide(envelope, answer.request_id, answer.decision)
    ports.metrics.record_requests.labels(envelope.origin, answer.decision).inc()
    return [output]
