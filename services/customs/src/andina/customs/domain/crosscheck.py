"""Comparing the two declarations of one shipment: differences beyond tolerance, and how severe."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from andina.contract.events.customs.declarations import Compared, Difference
from andina.contract.events.signals import Severity
from andina.customs.domain.declarations import FiledDeclaration
from andina.customs.domain.matching import relative_difference

SEVERITIES = (Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL)


@dataclass(frozen=True, slots=True)
class Tolerances:
    """Relative differences allowed (0.05 = 5 %), and how many HS digits must agree."""

    quantity: Decimal = Decimal("0.02")
    weight: Decimal = Decimal("0.05")
    value: Decimal = Decimal("0.10")
    hs_digits: int = 6


def raised(severity: Severity, steps: int = 1) -> Severity:
    return SEVERITIES[min(len(SEVERITIES) - 1, SEVERITIES.index(severity) + steps)]


def highest(severities: list[Severity]) -> Severity:
    return max(severities, key=SEVERITIES.index)


def at_least(severity: Severity, threshold: Severity) -> bool:
    return SEVERITIES.index(severity) >= SEVERITIES.index(threshold)


def excess_severity(relative: Decimal, tolerance: Decimal) -> Severity:
    """Up to 2x the tolerance low, 4x medium, 8x high, beyond critical."""
    times = relative / tolerance
    for limit, severity in ((2, Severity.LOW), (4, Severity.MEDIUM), (8, Severity.HIGH)):
        if times <= limit:
            return severity
    return Severity.CRITICAL


def hs_severity(exported: str, imported: str, digits: int) -> Severity | None:
    """Another chapter is high, another heading medium, a finer difference low."""
    if exported[:digits] == imported[:digits]:
        return None
    if exported[:2] != imported[:2]:
        return Severity.HIGH
    return Severity.MEDIUM if exported[:4] != imported[:4] else Severity.LOW


def _figure(compared: Compared, exported: Decimal, imported: Decimal, tolerance: Decimal) -> Difference | None:
    relative = relative_difference(exported, imported)
    if relative <= tolerance:
        return None
    return Difference(
        compared=compared,
        exported=str(exported),
        imported=str(imported),
        relative=relative.quantize(Decimal("0.0001")),
        tolerance=tolerance,
        severity=excess_severity(relative, tolerance),
    )


def differences(export: FiledDeclaration, imported: FiledDeclaration, tolerances: Tolerances) -> list[Difference]:
    """What the import declares differently from the export, beyond tolerance."""
    found = [
        _figure(Compared.GROSS_WEIGHT, export.gross_weight, imported.gross_weight, tolerances.weight),
        _figure(Compared.VALUE, export.value_usd, imported.value_usd, tolerances.value),
    ]
    # Quantities in different dimensions (kg against pieces) cannot be compared.
    if export.dimension == imported.dimension:
        found.insert(0, _figure(Compared.QUANTITY, export.quantity, imported.quantity, tolerances.quantity))
    hs_export, hs_import = export.summary.hs_code, imported.summary.hs_code
    hs = hs_severity(hs_export, hs_import, tolerances.hs_digits)
    if hs is not None:
        found.append(Difference(compared=Compared.HS_CODE, exported=hs_export, imported=hs_import, severity=hs))
    return [d for d in found if d is not None]


def finding_severity(found: list[Difference], sensitive: bool) -> Severity:
    """The highest difference; goods the network watches (gold, mercury, drugs, arms) one step higher."""
    severity = highest([d.severity for d in found])
    return raised(severity) if sensitive else severity
