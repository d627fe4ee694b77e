"""Declaration cross-checks: an export meets the import of the same shipment, or its deadline."""

from __future__ import annotations

from andina.contract.events import customs as types
from andina.contract.events.customs.declarations import Declaration, Flow
from andina.contract.events.customs.risk import RiskHit
from andina.customs.domain.crosscheck import at_least
from andina.customs.domain.declarations import FiledDeclaration, Filing, file_declaration
from andina.customs.domain.rechecks import RECHECK
from andina.customs.domain.risk import Indicator, hit_alert, risk_hit
from andina.customs.handlers.pairing import (
    NOTHING,
    count_pairing,
    keep_pairing,
    pairing,
    pairing_outputs,
    released_overdue,
)
from andina.customs.handlers.policies import PolicyTrail, each_others, sharing
from andina.customs.handlers.ports import Ports
from andina.customs.handlers.unmatched import alert_request, count_unmatched, unmatched_outputs, watch_unmatched
from andina.shared.gate import Inbound
from andina.shared.ids import derived_event_id
from andina.shared.outputs import Cause, strictest
from andina.shared.publishing import Outgoing


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
    made = pairing(cause, declaration, ports) if checked else NOTHING
    hits = [
        (indicator, risk_hit(derived_event_id(cause.id, "risk-hit", str(indicator.id)), indicator, key, declaration))
        for indicator, key in ports.indicators.hits(declaration, declaration.received_at.date())
    ]
    waits = checked and made.match is None and declaration.flow is Flow.EXPORT
    overdue = _overdue(declaration, made.paired, waits, ports) + released_overdue(made, ports)
    trail = PolicyTrail()
    outputs = pairing_outputs(cause, declaration, made, ports, trail) + _hit_outputs(
        cause, declaration, hits, ports, trail
    )
    for export in overdue:
        outputs += unmatched_outputs(export, ports, trail)
    closed = [export.key for export in overdue]
    outcome = await ports.declarations.add(declaration, made.outcome(outputs, closed), inbound.handled_before)
    keep_pairing(declaration, made, outcome, ports)
    if outcome.matched_with is None and checked:
        ports.pending.add(declaration)
        await _watch(declaration, waits, ports)
    ports.event_time.record(declaration, waits and declaration.key not in outcome.closed)
    # Exports reported unmatched stay pending: their import may be filed late, and withdraw the finding.
    ports.reported.filed([outcome.matched_with, outcome.reunited_with], outcome.closed)
    why = "customs cross-check"
    await ports.audit.append(trail.audited(outcome.outputs, f"declaration/{declaration.key}", why, ports.clock()))
    if not outcome.replayed:
        _count(declaration, [hit for _, hit in hits], ports)
        count_pairing(declaration, made, ports)
        for export in overdue:
            count_unmatched(export, ports)
    return outcome.outputs


async def _watch(declaration: FiledDeclaration, waits: bool, ports: Ports) -> None:
    """A declaration left waiting is looked at again in a few seconds (its counterpart may have been filed through
    another instance meanwhile); an export also has its fallback timer."""
    timer = ports.rechecks.timer(declaration)
    if timer is not None:
        await ports.timers.schedule(timer.id, RECHECK, timer.due_at, timer.data)
        ports.rechecks.scheduled(timer.id)
    if waits:
        await watch_unmatched(declaration, ports)


def _overdue(declaration: FiledDeclaration, paired: list[str], waits: bool, ports: Ports) -> list[FiledDeclaration]:
    """The exports still pending that this declaration shows overdue (not those it pairs now, nor those reported)."""
    overdue = []
    for key in ports.event_time.overdue(declaration, waits):
        export = declaration if key == declaration.key else ports.pending.get(key)
        if export is not None and key not in paired and not ports.reported.standing(key):
            overdue.append(export)
    return overdue


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


def _count(declaration: FiledDeclaration, hits: list[RiskHit], ports: Ports) -> None:
    metrics = ports.metrics
    metrics.declarations.labels(declaration.country, declaration.flow.value).inc()
    for hit in hits:
        metrics.findings.labels("risk-hit", hit.severity.value, declaration.country).inc()


async def restore_reported(ports: Ports) -> None:
    """At start-up, after the shared state is loaded (with the revisions reported): an export still pending past
    its fallback time, never reported nor withdrawn, is taken as reported by the fallback timer (which keeps no
    record of what it sent)."""
    for export in ports.pending.exports():
        if ports.unmatched.due_at(export) <= ports.clock():
            ports.reported.assume_reported(export.key)
