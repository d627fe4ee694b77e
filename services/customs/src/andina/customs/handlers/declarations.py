"""Declaration cross-checks: an export meets the import of the same shipment, or its deadline."""

from __future__ import annotations

from andina.customs.adapters.observatory import count_trade_finding
from andina.customs.domain.crosscheck import at_least
from andina.customs.domain.declarations import FiledDeclaration, Filing, file_declaration
from andina.customs.domain.findings import (
    discrepancy,
    discrepancy_alert,
    unmatched,
    unmatched_alert,
    unmatched_severity,
)
from andina.customs.domain.matching import Match, Rematch, ScoredPair
from andina.customs.domain.risk import Indicator, hit_alert, risk_hit
from andina.customs.domain.unmatched import UNMATCHED
from andina.customs.handlers.ports import Outcome, Ports
from andina.shared.audit_log import delivered
from andina.shared.events import customs as types
from andina.shared.events.catalogs.customs import ALERT_REQUESTED
from andina.shared.events.customs.declarations import (
    Declaration,
    DeclarationDiscrepancy,
    DiscrepancyWithdrawn,
    Flow,
    MatchMethod,
)
from andina.shared.events.customs.risk import RiskHit
from andina.shared.events.signals import AlertRequested
from andina.shared.gate import Inbound
from andina.shared.ids import derived_event_id
from andina.shared.outputs import Cause, strictest
from andina.shared.publishing import Outgoing
from andina.shared.timers import Timer

# The counterpart a released side found among the pending declarations, and what was wrong between them.
Reunited = tuple[Match, DeclarationDiscrepancy | None]


async def declaration_filed(inbound: Inbound[Declaration], ports: Ports) -> list[Outgoing]:
    envelope = inbound.envelope
    filing = Filing(envelope.origin, envelope.id, envelope.correlationid, envelope.handling, ports.clock())
    declaration = file_declaration(inbound.payload, filing, ports.hs, ports.rates)
    cause = Cause.of(envelope)
    checked = ports.cross_checked(declaration)
    match = ports.pending.counterpart(declaration) if checked else None
    weak = match is None or match.method is MatchMethod.SCORED
    rematch = ports.scored.better(declaration, match.score if match else 0.0) if checked and weak else None
    if rematch is not None:
        match = Match(rematch.side, rematch.method, rematch.score)
    finding = discrepancy(derived_event_id(cause.id, "discrepancy"), declaration, match, ports.rules.tolerances)
    reunited = _reunited(cause, rematch, ports)
    hits = [
        (indicator, risk_hit(derived_event_id(cause.id, "risk-hit", str(indicator.id)), indicator, key, declaration))
        for indicator, key in ports.indicators.hits(declaration, declaration.received_at.date())
    ]
    waits = checked and match is None and declaration.flow is Flow.EXPORT
    paired = [m.counterpart.key for m in (match, reunited[0] if reunited else None) if m is not None]
    overdue = _overdue(declaration, paired, waits, ports) + _released_overdue(rematch, reunited, ports)
    outputs = _discrepancy_outputs(cause, declaration, match, finding, ports) + _hit_outputs(
        cause, declaration, hits, ports
    )
    outputs += _withdrawal_outputs(cause, declaration, rematch, ports)
    if rematch is not None and reunited is not None:
        outputs += _discrepancy_outputs(cause, rematch.released, *reunited, ports, "released")
    for export in overdue:
        outputs += _unmatched_outputs(export, ports)
    closed = [export.key for export in overdue]
    released = rematch.released.key if rematch else None
    reunited_with = reunited[0].counterpart.key if reunited else None
    outcome = await ports.declarations.add(
        declaration, Outcome(match.counterpart.key if match else None, outputs, closed, released, reunited_with)
    )
    if not outcome.replayed:
        _keep_scored_pairs(declaration, match, finding, rematch, reunited, ports)
    if outcome.reunited_with is not None:
        ports.pending.remove(outcome.reunited_with)
    if outcome.matched_with is not None:
        ports.pending.remove(outcome.matched_with)
    elif checked:
        ports.pending.add(declaration)
        if waits:
            await _watch_unmatched(declaration, ports)
    ports.event_time.record(declaration, waits and declaration.key not in outcome.closed)
    for key in outcome.closed:
        ports.pending.remove(key)
    why = "customs cross-check"
    await ports.audit.append(delivered(outcome.outputs, f"declaration/{declaration.key}", why, ports.clock()))
    if not outcome.replayed:
        _count(declaration, match, finding, [hit for _, hit in hits], ports)
        if reunited is not None and reunited[1] is not None:
            _count_discrepancy(reunited[1], ports)
        for export in overdue:
            _count_unmatched(export, ports)
    return outcome.outputs


def _keep_scored_pairs(
    declaration: FiledDeclaration,
    match: Match | None,
    finding: DeclarationDiscrepancy | None,
    rematch: Rematch | None,
    reunited: Reunited | None,
    ports: Ports,
) -> None:
    """A scored match stays open to a better one; one undone pairs its other side again, or puts it back to wait."""
    if rematch is not None:
        ports.scored.remove(rematch.pair)
        released = rematch.released
        if reunited is not None:
            _keep_scored_pairs(released, *reunited, None, None, ports)
        else:
            ports.pending.add(released)
            if released.flow is Flow.EXPORT:
                ports.event_time.watch(released)
    if match is not None and match.method is MatchMethod.SCORED:
        ports.scored.add(ScoredPair(declaration, match.counterpart, finding))


def _reunited(cause: Cause, rematch: Rematch | None, ports: Ports) -> Reunited | None:
    """The pending counterpart of the side a rematch released, and the discrepancy between them: it may have
    arrived while that side was paired (in a burst, the order of arrival says nothing)."""
    match = ports.pending.counterpart(rematch.released) if rematch else None
    if rematch is None or match is None:
        return None
    finding_id = derived_event_id(cause.id, "discrepancy", "released")
    return match, discrepancy(finding_id, rematch.released, match, ports.rules.tolerances)


def _withdrawal_outputs(
    cause: Cause, declaration: FiledDeclaration, rematch: Rematch | None, ports: Ports
) -> list[Outgoing]:
    """The discrepancy reported on a scored pair now undone, withdrawn for the countries that had it."""
    if rematch is None or rematch.pair.finding is None:
        return []
    withdrawn = rematch.pair.finding
    pair = rematch.pair
    handling = strictest(declaration.handling, pair.declaration.handling, pair.counterpart.handling)
    notice = DiscrepancyWithdrawn(
        finding_id=derived_event_id(cause.id, "withdrawn"),
        supersedes=withdrawn.finding_id,
        reason=f"{declaration.flow.value} {declaration.summary.number} is the counterpart of "
        f"{rematch.side.summary.number} ({rematch.method.value})"[:200],
        exported=withdrawn.exported,
        imported=withdrawn.imported,
    )
    recipients = [withdrawn.exported.country, withdrawn.imported.country]
    return ports.outbox.deliver_each(cause.handled_as(handling), types.DISCREPANCY_WITHDRAWN, recipients, notice)


def _overdue(declaration: FiledDeclaration, paired: list[str], waits: bool, ports: Ports) -> list[FiledDeclaration]:
    """The exports still pending that this declaration shows overdue (those it pairs now are not)."""
    overdue = []
    for key in ports.event_time.overdue(declaration, waits):
        export = declaration if key == declaration.key else ports.pending.get(key)
        if export is not None and key not in paired:
            overdue.append(export)
    return overdue


def _released_overdue(rematch: Rematch | None, reunited: Reunited | None, ports: Ports) -> list[FiledDeclaration]:
    """The export a rematch released without a counterpart, when its importer has already filed past its deadline:
    no later filing of the importer may come to move the watermark again (it loaded its history first)."""
    if rematch is None or reunited is not None or rematch.released.flow is not Flow.EXPORT:
        return []
    return [rematch.released] if ports.event_time.passed(rematch.released) else []


def _discrepancy_outputs(
    cause: Cause,
    declaration: FiledDeclaration,
    match: Match | None,
    finding: DeclarationDiscrepancy | None,
    ports: Ports,
    *parts: str,
) -> list[Outgoing]:
    """``parts`` tell apart a second discrepancy of the same cause (that of a released side)."""
    if match is None or finding is None:
        return []
    export = declaration if declaration.flow is Flow.EXPORT else match.counterpart
    shared = cause.handled_as(strictest(declaration.handling, match.counterpart.handling))
    recipients = [finding.exported.country, finding.imported.country]
    outputs = ports.outbox.deliver_each(shared, types.DECLARATION_DISCREPANCY, recipients, finding, *parts)
    if at_least(finding.severity, ports.rules.alert_from):
        outputs.append(_alert(shared, discrepancy_alert(finding, export), ports))
    return outputs


def _hit_outputs(
    cause: Cause, declaration: FiledDeclaration, hits: list[tuple[Indicator, RiskHit]], ports: Ports
) -> list[Outgoing]:
    outputs: list[Outgoing] = []
    for indicator, hit in hits:
        shared = cause.handled_as(strictest(declaration.handling, indicator.handling))
        recipients = [indicator.owner, declaration.country]
        outputs += ports.outbox.deliver_each(shared, types.RISK_HIT, recipients, hit, str(indicator.id))
        if at_least(hit.severity, ports.rules.alert_from):
            outputs.append(_alert(shared, hit_alert(hit, declaration), ports))
    return outputs


def _count(
    declaration: FiledDeclaration,
    match: Match | None,
    finding: DeclarationDiscrepancy | None,
    hits: list[RiskHit],
    ports: Ports,
) -> None:
    metrics = ports.metrics
    metrics.declarations.labels(declaration.country, declaration.flow.value).inc()
    if match is not None:
        metrics.matches.labels(declaration.exporter, declaration.importer, match.method.value).inc()
    if finding is not None:
        _count_discrepancy(finding, ports)
    for hit in hits:
        metrics.findings.labels("risk-hit", hit.severity.value, declaration.country).inc()


def _count_discrepancy(finding: DeclarationDiscrepancy, ports: Ports) -> None:
    ports.metrics.findings.labels("discrepancy", finding.severity.value, finding.imported.country).inc()
    count_trade_finding(ports.metrics, "discrepancy", finding.exported)


def _unmatched_outputs(export: FiledDeclaration, ports: Ports) -> list[Outgoing]:
    """The finding of an export without import: caused by the export, so its ids are the same however reached."""
    cause = Cause(export.event_id, export.correlation_id, export.country, export.handling)
    finding = unmatched(derived_event_id(export.event_id, "unmatched"), export, ports.rules.unmatched_after)
    found = ports.outbox.deliver_each(cause, types.UNMATCHED_SHIPMENT, [export.exporter, export.importer], finding)
    if at_least(finding.severity, ports.rules.alert_from):
        found.append(_alert(cause, unmatched_alert(finding, export), ports))
    return found


def _count_unmatched(export: FiledDeclaration, ports: Ports) -> None:
    ports.metrics.findings.labels("unmatched-shipment", unmatched_severity(export).value, export.country).inc()
    count_trade_finding(ports.metrics, "unmatched-shipment", export.summary)


async def unmatched_exports_due(timer: Timer, ports: Ports) -> list[Outgoing]:
    """The fallback for a partner that files nothing new: the exports of one slot still without import."""
    outputs: list[Outgoing] = []
    for export in ports.pending.exports_received(timer.data["exporter"], timer.data["start"], timer.data["end"]):
        found = _unmatched_outputs(export, ports)
        why = "customs unmatched shipment"
        await ports.audit.append(delivered(found, f"declaration/{export.key}", why, ports.clock()))
        _count_unmatched(export, ports)
        ports.pending.remove(export.key)
        outputs += found
    ports.unmatched.forget(timer.id)
    ports.pending.evict_received_before(ports.clock() - ports.rules.retention)
    ports.scored.evict_received_before(ports.clock() - ports.rules.retention)
    return outputs


def _alert(cause: Cause, alert: AlertRequested, ports: Ports) -> Outgoing:
    """A request for a 24/7 alert, keyed by the country concerned (one per finding: its reference)."""
    return ports.outbox.signal(cause, ALERT_REQUESTED, alert.country, alert, alert.reference)


async def _watch_unmatched(export: FiledDeclaration, ports: Ports) -> None:
    """Make sure the slot of this export has its fallback timer."""
    timer = ports.unmatched.timer(export)
    if timer is not None:
        await ports.timers.schedule(timer.id, UNMATCHED, timer.due_at, timer.data)
        ports.unmatched.scheduled(timer.id)
