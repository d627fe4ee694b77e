"""Declaration cross-checks: an export meets the import of the same shipment, or its deadline."""

from __future__ import annotations

from andina.contract.events import customs as types
from andina.contract.events.customs.declarations import (
    Declaration,
    DeclarationDiscrepancy,
    DiscrepancyWithdrawn,
    Flow,
    MatchMethod,
)
from andina.contract.events.customs.risk import RiskHit
from andina.customs.adapters.observatory import count_trade_finding
from andina.customs.domain.crosscheck import at_least
from andina.customs.domain.declarations import FiledDeclaration, Filing, file_declaration
from andina.customs.domain.findings import discrepancy, discrepancy_alert
from andina.customs.domain.matching import Match, Rematch, ScoredPair
from andina.customs.domain.risk import Indicator, hit_alert, risk_hit
from andina.customs.handlers.policies import PolicyTrail, each_others, sharing
from andina.customs.handlers.ports import Outcome, Ports
from andina.customs.handlers.unmatched import (
    alert_request,
    count_unmatched,
    unmatched_outputs,
    watch_unmatched,
    withdrawal_outputs,
)
from andina.shared.gate import Inbound
from andina.shared.ids import derived_event_id
from andina.shared.outputs import Cause, strictest
from andina.shared.publishing import Outgoing

# The counterpart a released side found among the pending declarations, and what was wrong between them.
Reunited = tuple[Match, DeclarationDiscrepancy | None]


def declaration_checked(inbound: Inbound[Declaration], ports: Ports) -> FiledDeclaration:
    """The declaration as filed now, its content checked (refused as ``file_declaration`` says)."""
    envelope = inbound.envelope
    filing = Filing(envelope.origin, envelope.id, envelope.correlationid, envelope.handling, ports.clock())
    return file_declaration(inbound.payload, filing, ports.hs, ports.rates)


async def declaration_filed(inbound: Inbound[Declaration], ports: Ports) -> list[Outgoing]:
    envelope = inbound.envelope
    declaration = declaration_checked(inbound, ports)
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
    trail = PolicyTrail()
    outputs = _discrepancy_outputs(cause, declaration, match, finding, ports, trail) + _hit_outputs(
        cause, declaration, hits, ports, trail
    )
    outputs += _withdrawal_outputs(cause, declaration, rematch, ports, trail)
    if rematch is not None and reunited is not None:
        outputs += _discrepancy_outputs(cause, rematch.released, *reunited, ports, trail, "released")
    made = [(declaration, match)] if match else []
    made += [(rematch.released, reunited[0])] if rematch and reunited else []
    outputs += withdrawal_outputs(cause, made, ports, trail)
    for export in overdue:
        outputs += unmatched_outputs(export, ports, trail)
    closed = [export.key for export in overdue]
    released = rematch.released.key if rematch else None
    reunited_with = reunited[0].counterpart.key if reunited else None
    outcome = await ports.declarations.add(
        declaration,
        Outcome(match.counterpart.key if match else None, outputs, closed, released, reunited_with),
        inbound.handled_before,
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
            await watch_unmatched(declaration, ports)
    ports.event_time.record(declaration, waits and declaration.key not in outcome.closed)
    # Exports reported unmatched stay pending: their import may be filed late, and withdraw the finding.
    ports.reported.filed([outcome.matched_with, outcome.reunited_with], outcome.closed)
    why = "customs cross-check"
    await ports.audit.append(trail.audited(outcome.outputs, f"declaration/{declaration.key}", why, ports.clock()))
    if not outcome.replayed:
        _count(declaration, match, finding, [hit for _, hit in hits], ports)
        if reunited is not None and reunited[1] is not None:
            _count_discrepancy(reunited[1], ports)
        for export in overdue:
            count_unmatched(export, ports)
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
    cause: Cause, declaration: FiledDeclaration, rematch: Rematch | None, ports: Ports, trail: PolicyTrail
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
    owners = each_others(withdrawn.exported.country, withdrawn.imported.country)
    decided = sharing(ports, types.DISCREPANCY_WITHDRAWN, notice.finding_id, handling, owners)
    return trail.deliver(ports, cause.handled_as(handling), types.DISCREPANCY_WITHDRAWN, decided, notice)


def _overdue(declaration: FiledDeclaration, paired: list[str], waits: bool, ports: Ports) -> list[FiledDeclaration]:
    """The exports still pending that this declaration shows overdue (not those it pairs now, nor those reported)."""
    overdue = []
    for key in ports.event_time.overdue(declaration, waits):
        export = declaration if key == declaration.key else ports.pending.get(key)
        if export is not None and key not in paired and not ports.reported.standing(key):
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
    trail: PolicyTrail,
    *parts: str,
) -> list[Outgoing]:
    """``parts`` tell apart a second discrepancy of the same cause (that of a released side)."""
    if match is None or finding is None:
        return []
    export = declaration if declaration.flow is Flow.EXPORT else match.counterpart
    shared = cause.handled_as(strictest(declaration.handling, match.counterpart.handling))
    owners = each_others(finding.exported.country, finding.imported.country)
    decided = sharing(ports, types.DECLARATION_DISCREPANCY, finding.finding_id, shared.handling, owners)
    outputs = trail.deliver(ports, shared, types.DECLARATION_DISCREPANCY, decided, finding, *parts)
    if at_least(finding.severity, ports.rules.alert_from):
        outputs += alert_request(shared, decided.alert(discrepancy_alert(finding, export)), ports)
    return outputs


def _hit_outputs(
    cause: Cause,
    declaration: FiledDeclaration,
    hits: list[tuple[Indicator, RiskHit]],
    ports: Ports,
    trail: PolicyTrail,
) -> list[Outgoing]:
    outputs: list[Outgoing] = []
    for indicator, hit in hits:
        shared = cause.handled_as(strictest(declaration.handling, indicator.handling))
        owners = each_others(indicator.owner, declaration.country)
        decided = sharing(ports, types.RISK_HIT, hit.hit_id, shared.handling, owners)
        outputs += trail.deliver(ports, shared, types.RISK_HIT, decided, hit, str(indicator.id))
        if at_least(hit.severity, ports.rules.alert_from):
            outputs += alert_request(shared, decided.alert(hit_alert(hit, declaration)), ports)
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


async def restore_reported(ports: Ports) -> None:
    """At start-up, after the shared state is loaded (with the revisions reported): an export still pending past
    its fallback time, never reported nor withdrawn, is taken as reported by the fallback timer (which keeps no
    record of what it sent)."""
    for export in ports.pending.exports():
        if ports.unmatched.due_at(export) <= ports.clock():
            ports.reported.assume_reported(export.key)
