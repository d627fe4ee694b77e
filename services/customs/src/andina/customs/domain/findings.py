"""What the cross-checks report: discrepancies, unmatched shipments, and the alerts they ask for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from andina.contract.events.customs.declarations import (
    DeclarationDiscrepancy,
    Flow,
    MatchMethod,
    UnmatchedShipment,
    UnmatchedShipmentWithdrawn,
)
from andina.contract.events.signals import AlertRequested, Severity
from andina.customs.domain.crosscheck import Tolerances, differences, finding_severity, raised
from andina.customs.domain.declarations import FiledDeclaration
from andina.customs.domain.matching import Match
from andina.shared.ids import derived_event_id


@dataclass(frozen=True, slots=True)
class FindingRules:
    tolerances: Tolerances = field(default_factory=Tolerances)
    # Findings of this severity or higher also ask the 24/7 network for an alert.
    alert_from: Severity = Severity.HIGH
    # An export is unmatched when its importing country has filed this far past the export's declared date...
    unmatched_after: dt.timedelta = dt.timedelta(days=30)
    # ...less this lateness (a country does not file in strict date order).
    allowed_lateness: dt.timedelta = dt.timedelta(days=3)
    # A partner that files nothing new: an export is reported anyway this long after it was received.
    unmatched_fallback: dt.timedelta = dt.timedelta(days=45)
    # How long an unmatched declaration stays matchable (kept in memory).
    retention: dt.timedelta = dt.timedelta(days=180)


def discrepancy(
    finding_id: UUID, declaration: FiledDeclaration, match: Match | None, tolerances: Tolerances
) -> DeclarationDiscrepancy | None:
    """The discrepancy between a new declaration and its counterpart, or None when they agree (or none matched)."""
    if match is None:
        return None
    export, imported = (
        (declaration, match.counterpart) if declaration.flow is Flow.EXPORT else (match.counterpart, declaration)
    )
    found = differences(export, imported, tolerances)
    if not found:
        return None
    sensitive = export.heading.sensitive or imported.heading.sensitive
    return DeclarationDiscrepancy(
        finding_id=finding_id,
        severity=finding_severity(found, sensitive),
        method=match.method,
        score=Decimal(str(round(match.score, 4))),
        exported=export.summary,
        imported=imported.summary,
        differences=found,
    )


def unmatched_severity(export: FiledDeclaration) -> Severity:
    return raised(Severity.MEDIUM) if export.heading.sensitive else Severity.MEDIUM


def unmatched_finding_id(export: FiledDeclaration, revision: int) -> UUID:
    """Each revision of the finding on ``export`` its own id; the first keeps the id it always had."""
    return derived_event_id(export.event_id, "unmatched", *([f"revision-{revision}"] if revision > 1 else []))


def unmatched(export: FiledDeclaration, wait: dt.timedelta, revision: int = 1) -> UnmatchedShipment:
    """The same finding whichever way it was reached (event time, or the fallback), so that a re-emission is equal."""
    return UnmatchedShipment(
        finding_id=unmatched_finding_id(export, revision),
        revision=revision,
        supersedes=unmatched_finding_id(export, revision - 1) if revision > 1 else None,
        severity=unmatched_severity(export),
        exported=export.summary,
        filed_at=export.received_at,
        waited_days=Decimal(wait.days),
        due_by=export.summary.declared_on + dt.timedelta(days=wait.days),
    )


def unmatched_withdrawn(
    export: FiledDeclaration, imported: FiledDeclaration, method: MatchMethod, revision: int
) -> UnmatchedShipmentWithdrawn:
    """The unmatched finding on ``export`` withdrawn: ``imported``, filed since, is its import."""
    return UnmatchedShipmentWithdrawn(
        finding_id=unmatched_finding_id(export, revision),
        revision=revision,
        supersedes=unmatched_finding_id(export, revision - 1),
        reason=f"import {imported.summary.number} filed since is export {export.summary.number}'s ({method.value})"[
            :200
        ],
        exported=export.summary,
        imported=imported.summary,
    )


def _goods(declaration: FiledDeclaration) -> str:
    summary = declaration.summary
    return f"{summary.description} (HS {summary.hs_code})"


def discrepancy_alert(finding: DeclarationDiscrepancy, export: FiledDeclaration) -> AlertRequested:
    """Raised in the importing country's name, where the goods are now; both ends are alerted."""
    exported, imported = finding.exported, finding.imported
    facts = {d.compared.value: f"export {d.exported}, import {d.imported}" for d in finding.differences}
    return AlertRequested(
        signal="customs-discrepancy",
        severity=finding.severity,
        category=export.heading.category,
        summary=f"{_goods(export)}: {exported.country} export {exported.number} and "
        f"{imported.country} import {imported.number} disagree"[:300],
        facts={**facts, "method": finding.method.value, "export": exported.number, "import": imported.number},
        country=imported.country,
        recipients=sorted({exported.country, imported.country}),
        reference=f"discrepancy/{finding.finding_id}",
    )


def unmatched_alert(finding: UnmatchedShipment, export: FiledDeclaration) -> AlertRequested:
    summary = finding.exported
    return AlertRequested(
        signal="customs-unmatched-shipment",
        severity=finding.severity,
        category=export.heading.category,
        summary=f"{_goods(export)}: {summary.country} export {summary.number} to {summary.partner} "
        f"has no import after {finding.waited_days} days"[:300],
        facts={"export": summary.number, "destination": summary.partner, "filed_at": finding.filed_at.isoformat()},
        country=summary.country,
        recipients=sorted({summary.country, export.importer}),
        reference=f"unmatched/{finding.finding_id}",
    )
