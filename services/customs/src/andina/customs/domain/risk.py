"""Shared risk indicators and the declarations that hit them.

An indicator names a company (tax id), a container, a vehicle (plate) or a route and HS
combination (exporter > importer : HS prefix). Indicators live in memory, found by that
key; an expired one is never hit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from uuid import UUID

from andina.contract.envelope import Handling
from andina.contract.events.customs.risk import DeclarationSeen, IndicatorKind, RiskHit, RiskIndicator
from andina.contract.events.signals import AlertRequested, Severity
from andina.contract.rejections import Reason, Rejected
from andina.customs.domain import text
from andina.customs.domain.declarations import FiledDeclaration
from andina.customs.domain.hs import HsTable


@dataclass(frozen=True, slots=True)
class Indicator:
    id: UUID
    owner: str
    kind: IndicatorKind
    key: str
    reason: str
    severity: Severity
    expires_on: dt.date
    handling: Handling


def route_key(exporter: str, importer: str, hs_prefix: str) -> str:
    return f"{exporter}>{importer}:{hs_prefix}"


def indicator_key(indicator: RiskIndicator) -> str:
    if indicator.route is not None:
        route = indicator.route
        return route_key(route.exporter, route.importer, route.hs_prefix)
    assert indicator.value is not None, "the model gives company, container and vehicle indicators a value"
    return text.code(indicator.value)


def check_indicator(indicator: RiskIndicator, hs: HsTable, today: dt.date, longest: dt.timedelta) -> None:
    """Refuse an indicator already expired, valid for too long, or on unknown goods."""
    if indicator.expires_on < today:
        raise Rejected(Reason.INVALID_PAYLOAD, f"expires_on {indicator.expires_on} has already passed")
    if indicator.expires_on > today + longest:
        raise Rejected(Reason.INVALID_PAYLOAD, f"an indicator is valid for {longest.days} days at most")
    if indicator.route is not None:
        hs.check_prefix(indicator.route.hs_prefix)


def declaration_keys(declaration: FiledDeclaration) -> list[tuple[IndicatorKind, str]]:
    """Every key under which an indicator would match this declaration."""
    summary = declaration.summary
    parties = (summary.declarant, summary.consignor, summary.consignee)
    keys = [(IndicatorKind.COMPANY, text.code(p.tax_id)) for p in parties if p.tax_id]
    keys += [(IndicatorKind.CONTAINER, c) for c in sorted(declaration.containers)]
    keys += [(IndicatorKind.VEHICLE, text.code(v)) for v in summary.vehicles]
    hs = summary.hs_code
    keys += [
        (IndicatorKind.ROUTE_HS, route_key(declaration.exporter, declaration.importer, hs[:n]))
        for n in range(2, len(hs) + 1)
    ]
    return list(dict.fromkeys(keys))


class IndicatorIndex:
    def __init__(self) -> None:
        self._by_id: dict[UUID, Indicator] = {}
        self._by_key: dict[tuple[IndicatorKind, str], dict[UUID, None]] = defaultdict(dict)

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, indicator_id: UUID) -> Indicator | None:
        return self._by_id.get(indicator_id)

    def add(self, indicator: Indicator) -> None:
        self._by_id[indicator.id] = indicator
        self._by_key[(indicator.kind, indicator.key)][indicator.id] = None

    def remove(self, indicator_id: UUID) -> None:
        indicator = self._by_id.pop(indicator_id, None)
        if indicator is not None:
            self._by_key[(indicator.kind, indicator.key)].pop(indicator_id, None)

    def hits(self, declaration: FiledDeclaration, today: dt.date) -> list[tuple[Indicator, str]]:
        """The live indicators this declaration matches, with the key that matched."""
        if not self._by_id:  # none published: no key of the declaration to work out
            return []
        found = []
        for kind, key in declaration_keys(declaration):
            for indicator_id in self._by_key.get((kind, key), {}):
                indicator = self._by_id[indicator_id]
                if indicator.expires_on >= today:
                    found.append((indicator, key))
        return found


def risk_hit(hit_id: UUID, indicator: Indicator, matched: str, declaration: FiledDeclaration) -> RiskHit:
    summary = declaration.summary
    return RiskHit(
        hit_id=hit_id,
        indicator_id=indicator.id,
        owner=indicator.owner,
        kind=indicator.kind,
        matched=matched,
        reason=indicator.reason,
        severity=indicator.severity,
        expires_on=indicator.expires_on,
        declaration=DeclarationSeen(
            country=summary.country,
            flow=summary.flow,
            number=summary.number,
            declared_on=summary.declared_on,
            hs_code=summary.hs_code,
            exporter=declaration.exporter,
            importer=declaration.importer,
        ),
    )


def hit_alert(hit: RiskHit, declaration: FiledDeclaration) -> AlertRequested:
    """Raised in the declaring country's name (the goods are at its border); the owner is alerted too."""
    seen = hit.declaration
    return AlertRequested(
        signal="customs-risk-hit",
        severity=hit.severity,
        category=declaration.heading.category,
        summary=f"{seen.country} {seen.flow.value} {seen.number} matches {hit.owner}'s {hit.kind.value} indicator"[
            :300
        ],
        facts={"matched": hit.matched, "reason": hit.reason[:500], "hs_code": seen.hs_code},
        country=seen.country,
        recipients=sorted({seen.country, hit.owner}),
        reference=f"risk-hit/{hit.hit_id}",
    )
