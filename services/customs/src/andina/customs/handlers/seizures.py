"""Seizure reports: shared with all members or named ones, as their policies permit; one seizure, one report."""

from __future__ import annotations

from andina.contract.envelope import Envelope
from andina.contract.events import customs as types
from andina.contract.events.customs.seizures import SeizureRecorded, SeizureReport, SeizureReportDelivered
from andina.contract.rejections import Reason, Rejected
from andina.customs.adapters.observatory import count_seizure
from andina.customs.domain.seizures import KnownSeizure, SeizureIdentity, identity, same_seizure
from andina.customs.handlers.policies import send, sharing
from andina.customs.handlers.ports import Ports
from andina.shared.fanout import resolve_recipients
from andina.shared.gate import Inbound
from andina.shared.outputs import Cause
from andina.shared.publishing import Outgoing


def seizure_checked(inbound: Inbound[SeizureReport], ports: Ports) -> tuple[list[str], SeizureIdentity]:
    """The members a report goes to and the seizure it describes, its content checked."""
    envelope, report = inbound.envelope, inbound.payload
    named = resolve_recipients(envelope.origin, report.recipients, envelope.handling, ports.countries)
    recipients = [country for country in named if country != envelope.origin]
    if not recipients:
        raise Rejected(Reason.INVALID_PAYLOAD, "a seizure report is shared with at least one other member")
    return recipients, identity(envelope.origin, report, ports.hs)


async def seizure_reported(inbound: Inbound[SeizureReport], ports: Ports) -> list[Outgoing]:
    envelope, report = inbound.envelope, inbound.payload
    recipients, reported = seizure_checked(inbound, ports)
    owners = dict.fromkeys(recipients, envelope.origin)
    decided = sharing(ports, types.SEIZURE_REPORT_DELIVERED, envelope.id, envelope.handling, owners)
    known = await ports.seizures.candidates(reported)
    seizure = next((k for k in known if envelope.id in k.reports), None)  # a re-run of this very report
    if seizure is None:
        seizure = await _record(envelope, report, reported, known, ports)
    merged = seizure.first_report != envelope.id
    cause = Cause.of(envelope)
    recorded = SeizureRecorded(
        seizure_id=seizure.id,
        report_id=envelope.id,
        merged=merged,
        # The reports up to this one: the same when it is handled again after another side's was merged.
        reports=list(seizure.reports).index(envelope.id) + 1,
        withheld=decided.withheld(),
    )
    forwarded = SeizureReportDelivered(
        **report.model_dump(exclude={"recipients"}),
        recipients=decided.permitted,
        seizure_id=seizure.id,
        reporter=envelope.origin,
        merged=merged,
    )
    subject = f"seizure/{seizure.id}"
    # Who may have the report is decided by the policies in force when it is handled, which are not kept
    # with it: handled again under others, it tells other recipients and withheld rules, so those are new
    # events (their ids name them).
    sent_to = ",".join(decided.permitted)
    withheld = "; ".join(f"{r}: {rules}" for r, rules in recorded.withheld.items())
    why = "seizure report"
    shared = await send(ports, cause, types.SEIZURE_REPORT_DELIVERED, decided, forwarded, subject, why, sent_to)
    return [ports.outbox.deliver(cause, types.SEIZURE_RECORDED, envelope.origin, recorded, withheld), *shared]


async def _record(
    envelope: Envelope, report: SeizureReport, reported: SeizureIdentity, known: list[KnownSeizure], ports: Ports
) -> KnownSeizure:
    """Merge the report into the seizure it describes, or record a new seizure."""
    at = ports.clock()
    for seizure in known:
        if any(same_seizure(reported, other, ports.seizure_quantity_tolerance) for other in seizure.reports.values()):
            await ports.seizures.merge(seizure, envelope.id, reported, report, at)
            ports.metrics.seizures.labels(envelope.origin, "merged").inc()
            return KnownSeizure(seizure.id, {**seizure.reports, envelope.id: reported})
    await ports.seizures.add(envelope.id, reported, report, at)
    ports.metrics.seizures.labels(envelope.origin, "new").inc()
    count_seizure(ports.metrics, report, ports.rates)
    return KnownSeizure(envelope.id, {envelope.id: reported})
