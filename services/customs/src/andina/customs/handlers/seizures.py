"""Seizure reports: shared with all members or named ones; one seizure, one report."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from andina.customs.adapters.audit import AuditLog
from andina.customs.adapters.metrics import CustomsMetrics
from andina.customs.adapters.seizures import KnownSeizure, SeizureStore
from andina.customs.domain.currency import CurrencyRates
from andina.customs.domain.hs import HsTable
from andina.customs.domain.seizures import SeizureIdentity, identity, same_seizure
from andina.customs.observatory import count_seizure
from andina.customs.outputs import Cause, Emitter
from andina.shared.countries import CountryRegistry
from andina.shared.envelope import Envelope
from andina.shared.events import customs as types
from andina.shared.events.customs.seizures import SeizureRecorded, SeizureReport, SeizureReportDelivered
from andina.shared.fanout import resolve_recipients
from andina.shared.gate import Inbound
from andina.shared.publishing import Outgoing
from andina.shared.rejections import Reason, Rejected
from andina.shared.timers import Clock, utc_now


@dataclass(frozen=True)
class SeizureDesk:
    countries: CountryRegistry
    hs: HsTable
    rates: CurrencyRates
    seizures: SeizureStore
    quantity_tolerance: Decimal
    audit: AuditLog
    emitter: Emitter
    metrics: CustomsMetrics
    clock: Clock = utc_now


async def seizure_reported(inbound: Inbound[SeizureReport], *, desk: SeizureDesk) -> list[Outgoing]:
    envelope, report = inbound.envelope, inbound.payload
    named = resolve_recipients(envelope.origin, report.recipients, envelope.handling, desk.countries)
    recipients = [country for country in named if country != envelope.origin]
    if not recipients:
        raise Rejected(Reason.INVALID_PAYLOAD, "a seizure report is shared with at least one other member")
    reported = identity(envelope.origin, report, desk.hs)
    known = await desk.seizures.candidates(reported)
    seizure = next((k for k in known if envelope.id in k.reports), None)  # a re-run of this very report
    if seizure is None:
        seizure = await _record(envelope, report, reported, known, desk)
    merged = seizure.first_report != envelope.id
    cause = Cause.of(envelope)
    recorded = SeizureRecorded(
        seizure_id=seizure.id, report_id=envelope.id, merged=merged, reports=len(seizure.reports)
    )
    delivered = SeizureReportDelivered(
        **report.model_dump(exclude={"recipients"}),
        recipients=recipients,
        seizure_id=seizure.id,
        reporter=envelope.origin,
        merged=merged,
    )
    shared = desk.emitter.deliver(cause, types.SEIZURE_REPORT_DELIVERED, recipients, delivered)
    await desk.audit.deliveries(shared, f"seizure/{seizure.id}", "seizure report")
    return desk.emitter.deliver(cause, types.SEIZURE_RECORDED, [envelope.origin], recorded) + shared


async def _record(
    envelope: Envelope, report: SeizureReport, reported: SeizureIdentity, known: list[KnownSeizure], desk: SeizureDesk
) -> KnownSeizure:
    """Merge the report into the seizure it describes, or record a new seizure."""
    at = desk.clock()
    for seizure in known:
        if any(same_seizure(reported, other, desk.quantity_tolerance) for other in seizure.reports.values()):
            await desk.seizures.merge(seizure, envelope.id, reported, report, at)
            desk.metrics.seizures.labels(envelope.origin, "merged").inc()
            return KnownSeizure(seizure.id, {**seizure.reports, envelope.id: reported})
    await desk.seizures.add(envelope.id, reported, report, at)
    desk.metrics.seizures.labels(envelope.origin, "new").inc()
    count_seizure(desk.metrics, report, desk.rates)
    return KnownSeizure(envelope.id, {envelope.id: reported})
