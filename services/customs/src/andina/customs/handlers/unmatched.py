"""Exports without import: their findings, the withdrawal when the import is filed late, the fallback timers.

Each finding on an export is caused by the export, so its ids are the same however it was
reached (a filing of the importing country, or the fallback timer); each revision has its own.
A withdrawal is caused by the filing that found the import.
"""

from __future__ import annotations

from andina.contract.events import customs as types
from andina.contract.events.catalogs.customs import ALERT_REQUESTED
from andina.contract.events.customs.declarations import Flow
from andina.contract.events.signals import AlertRequested
from andina.customs.adapters.observatory import count_trade_finding
from andina.customs.domain.crosscheck import at_least
from andina.customs.domain.declarations import FiledDeclaration
from andina.customs.domain.findings import unmatched, unmatched_alert, unmatched_severity, unmatched_withdrawn
from andina.customs.domain.matching import Match
from andina.customs.domain.unmatched import UNMATCHED
from andina.customs.handlers.policies import PolicyTrail, each_others, sharing
from andina.customs.handlers.ports import Ports
from andina.shared.outputs import Cause, strictest
from andina.shared.publishing import Outgoing
from andina.shared.timers import Timer


def unmatched_outputs(
    export: FiledDeclaration, ports: Ports, trail: PolicyTrail, revision: int | None = None
) -> list[Outgoing]:
    """The finding on an export without import, by default its next revision (the 24/7 network is alerted by the
    first), for the members the exporter's policy lets have it."""
    cause = Cause(export.event_id, export.correlation_id, export.country, export.handling)
    revision = revision or ports.reported.next(export.key)
    finding = unmatched(export, ports.rules.unmatched_after, revision)
    parts = [f"revision-{revision}"] if revision > 1 else []
    owners = dict.fromkeys([export.exporter, export.importer], export.country)
    decided = sharing(ports, types.UNMATCHED_SHIPMENT, finding.finding_id, export.handling, owners)
    found = trail.deliver(ports, cause, types.UNMATCHED_SHIPMENT, decided, finding, *parts)
    if revision == 1 and at_least(finding.severity, ports.rules.alert_from):
        found += alert_request(cause, decided.alert(unmatched_alert(finding, export)), ports)
    return found


def alert_request(cause: Cause, alert: AlertRequested | None, ports: Ports) -> list[Outgoing]:
    """A request for a 24/7 alert, keyed by the country concerned (one per finding: its reference); none when the
    policies let the finding go to no one."""
    return [ports.outbox.signal(cause, ALERT_REQUESTED, alert.country, alert, alert.reference)] if alert else []


def withdrawal_outputs(
    cause: Cause, pairs: list[tuple[FiledDeclaration, Match]], ports: Ports, trail: PolicyTrail
) -> list[Outgoing]:
    """For each pair made by one filing whose export was reported unmatched: that finding withdrawn."""
    outputs: list[Outgoing] = []
    for declaration, match in pairs:
        export, imported = (
            (declaration, match.counterpart) if declaration.flow is Flow.EXPORT else (match.counterpart, declaration)
        )
        if not ports.reported.standing(export.key):
            continue
        notice = unmatched_withdrawn(export, imported, match.method, ports.reported.next(export.key))
        shared = cause.handled_as(strictest(export.handling, imported.handling))
        owners = each_others(export.country, imported.country)
        decided = sharing(ports, types.UNMATCHED_SHIPMENT_WITHDRAWN, notice.finding_id, shared.handling, owners)
        outputs += trail.deliver(ports, shared, types.UNMATCHED_SHIPMENT_WITHDRAWN, decided, notice, export.key)
    return outputs


def count_unmatched(export: FiledDeclaration, ports: Ports) -> None:
    ports.metrics.findings.labels("unmatched-shipment", unmatched_severity(export).value, export.country).inc()
    count_trade_finding(ports.metrics, "unmatched-shipment", export.summary)


async def unmatched_exports_due(timer: Timer, ports: Ports) -> list[Outgoing]:
    """The fallback for a partner that files nothing new: the exports of one slot still without import or finding.
    They stay matchable: the import may still come."""
    outputs: list[Outgoing] = []
    for export in ports.pending.exports_received(timer.data["exporter"], timer.data["start"], timer.data["end"]):
        revision = ports.reported.fallback_revision(export.key)
        if revision is None:
            continue
        trail = PolicyTrail()
        found = unmatched_outputs(export, ports, trail, revision)
        why = "customs unmatched shipment"
        await ports.audit.append(trail.audited(found, f"declaration/{export.key}", why, ports.clock()))
        count_unmatched(export, ports)
        ports.reported.filed([], [export.key])
        outputs += found
    ports.unmatched.forget(timer.id)
    ports.pending.evict_received_before(ports.clock() - ports.rules.retention)
    ports.scored.evict_received_before(ports.clock() - ports.rules.retention)
    ports.reported.keep_only(lambda key: key in ports.pending or key in ports.scored)
    return outputs


async def watch_unmatched(export: FiledDeclaration, ports: Ports) -> None:
    """Make sure the slot of this export has its fallback timer."""
    timer = ports.unmatched.timer(export)
    if timer is not None:
        await ports.timers.schedule(timer.id, UNMATCHED, timer.due_at, timer.data)
        ports.unmatched.scheduled(timer.id)
