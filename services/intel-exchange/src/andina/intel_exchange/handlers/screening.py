"""Screening at the Banco Andino: hit/no-hit to the asker, a notice to each owner, an alert when the owner asked.

The answer goes to the asker only, and never holds a record; hits the members' policies
withhold are audited, not told.
"""

from __future__ import annotations

import time

from andina.contract.envelope import Envelope
from andina.contract.events.catalogs import intel_exchange as catalog
from andina.contract.events.intel_exchange import HitNotified, ScreeningAnswered, ScreeningQuery
from andina.intel_exchange.domain.hits import alert_for, kind, reference, score_text
from andina.intel_exchange.domain.policies import Screened, policy_detail, screened
from andina.intel_exchange.domain.readings import Reading
from andina.intel_exchange.domain.records import read_screening
from andina.intel_exchange.domain.screening import Hit
from andina.intel_exchange.handlers.ports import SOLE, Ports
from andina.intel_exchange.handlers.retention import retention_judged
from andina.shared.audit_log import AuditEntry, caused_entry
from andina.shared.gate import Inbound
from andina.shared.outputs import Cause
from andina.shared.policy.engine import Agency
from andina.shared.policy.registry import agency_of
from andina.shared.publishing import Outgoing


def screening_checked(inbound: Inbound[ScreeningQuery], ports: Ports) -> list[Reading]:
    """The readings of the query, refused when none could identify a person."""
    return read_screening(inbound.payload, ports.clock().date(), ports.records.index.lexicon)


async def screening_requested(inbound: Inbound[ScreeningQuery], ports: Ports) -> list[Outgoing]:
    envelope, query = inbound.envelope, inbound.payload
    asker, index = envelope.origin, ports.records.index
    readings = screening_checked(inbound, ports)
    started = time.perf_counter()
    retention_judged(ports)
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
    await ports.audit.append(_audited(envelope, query, outcome, allowed))
    await ports.followups.record_hits(envelope, found)
    answer = ScreeningAnswered(
        screening_id=envelope.id,
        outcome=outcome,
        hits=[reference(h) for h in hits],
        possible_matches=[reference(h) for h in possible],
        not_searched=allowed.not_searched() or None,
    )
    cause = Cause.of(envelope)
    outputs = [ports.outbox.deliver(cause, catalog.SCREENING_ANSWERED, asker, answer, SOLE)]
    for hit in found:
        _count(hit, asker, ports)
        outputs += _told_to_the_owner(hit, envelope, query, ports)
    return outputs


def _audited(envelope: Envelope, query: ScreeningQuery, outcome: str, allowed: Screened) -> list[AuditEntry]:
    """The screening, each hit and possible match given, and each hit the policies withheld."""
    asker, purpose = envelope.origin, query.purpose
    detail = {"place": query.place, "outcome": outcome, "policies": allowed.screen_summary()}
    entries = [caused_entry(envelope, "screening", asker, str(envelope.id), purpose, detail)]
    for hit, decision in allowed.hits:
        scored = {"score": score_text(hit.match.score)} | policy_detail(decision)
        entries.append(caused_entry(envelope, kind(hit), asker, hit.listing.record_id, purpose, scored))
    entries += [
        caused_entry(envelope, "hit-withheld", asker, h.listing.record_id, purpose, policy_detail(d))
        for h, d in allowed.withheld
    ]
    return entries


def _count(hit: Hit, asker: str, ports: Ports) -> None:
    listing = hit.listing
    (ports.metrics.possible_matches if hit.possible else ports.metrics.hits).labels(listing.owner, asker).inc()
    if not hit.possible:
        ports.metrics.hits_by_record_type.labels(listing.record_type.value, listing.owner).inc()


def _told_to_the_owner(hit: Hit, envelope: Envelope, query: ScreeningQuery, ports: Ports) -> list[Outgoing]:
    """The owner's notice of a hit or possible match; and the alert, on a hit of a record marked for one."""
    listing, cause, asker = hit.listing, Cause.of(envelope), envelope.origin
    notice = HitNotified(
        screening_id=envelope.id,
        record_id=listing.record_id,
        asked_by=asker,
        agency=agency_of(envelope.source),
        place=query.place,
        purpose=query.purpose,
        asked_at=envelope.time.isoformat(),
        score=score_text(hit.match.score),
        matched_fields=list(hit.match.matched_fields),
        kind=kind(hit),
        differing_fields=list(hit.match.differing_fields),
    )
    told = [ports.outbox.deliver(cause, catalog.HIT_NOTIFIED, listing.owner, notice, listing.record_id)]
    if listing.immediate_alert and not hit.possible:
        alert = alert_for(hit, asker, query.place, envelope.id)
        told.append(ports.outbox.signal(cause, catalog.ALERT_REQUESTED, listing.owner, alert, listing.record_id))
    return told
