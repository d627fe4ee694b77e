"""Shared risk indicators: companies, containers, vehicles, route and HS combinations.

Each indicator has an owner and an expiry. A new declaration that matches one produces a
risk hit for the owner (who keeps control of its data) and for the declaring country.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Self
from uuid import UUID

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from andina.contract.countries import CountryCode
from andina.contract.events.base import Payload
from andina.contract.events.customs.common import HsCode, Reference, ShortText, Text, Withholding
from andina.contract.events.customs.declarations import Flow
from andina.contract.events.signals import Severity


class IndicatorKind(StrEnum):
    COMPANY = "company"
    CONTAINER = "container"
    VEHICLE = "vehicle"
    ROUTE_HS = "route-hs"


class RouteHs(Payload):
    exporter: CountryCode
    importer: CountryCode
    hs_prefix: Annotated[str, StringConstraints(pattern=r"^[0-9]{2,10}$")] = Field(
        description="chapter, heading or longer prefix of the HS codes concerned; its chapter (2 digits) or heading"
        " (4 and more) must be in the network's HS table (else refused)"
    )


INDICATOR_EXAMPLE: dict[str, Any] = {
    "kind": "company",
    "value": "20601234567",
    "reason": "Exportadora vinculada a minería ilegal en Madre de Dios",
    "severity": "high",
    "expires_on": "2027-05-31",
    "reference": "SUNAT-RI-2026-0101",
}


class RiskIndicator(Payload):
    """``value`` names the company (tax id), container (ISO 6346) or vehicle (plate); ``route`` a route-hs."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                INDICATOR_EXAMPLE,
                {
                    **INDICATOR_EXAMPLE,
                    "kind": "route-hs",
                    "value": None,
                    "route": {"exporter": "BO", "importer": "PE", "hs_prefix": "2805"},
                    "reason": "Mercurio declarado hacia zonas de minería ilegal",
                },
            ]
        }
    )

    kind: IndicatorKind
    value: Annotated[str, StringConstraints(min_length=2, max_length=40)] | None = None
    route: RouteHs | None = None
    reason: Text
    severity: Severity = Field(description="the owner's assessment; high and above also raise an alert")
    expires_on: dt.date = Field(
        description="refused when already passed, or more than ANDINA_CUSTOMS_INDICATOR_MAX_DAYS (730) days away"
    )
    reference: Reference | None = None

    @model_validator(mode="after")
    def _value_or_route(self) -> Self:
        if (self.kind is IndicatorKind.ROUTE_HS) != (self.route is not None):
            raise ValueError("a route-hs indicator gives a route, the other kinds do not")
        if (self.kind is IndicatorKind.ROUTE_HS) == (self.value is not None):
            raise ValueError("company, container and vehicle indicators give a value, route-hs ones do not")
        return self


class RiskIndicatorWithdrawal(Payload):
    """The owner withdraws one of its indicators before it expires."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"indicator_id": "1b4e28ba-2fa1-4d2e-883f-0016d3cca427"}]}
    )

    indicator_id: UUID = Field(description="id of the risk-indicator-published event")
    note: ShortText | None = None


class DeclarationSeen(Payload):
    """The declaration that matched, as the owner of the indicator learns it."""

    country: CountryCode
    flow: Flow
    number: Reference
    declared_on: dt.date
    hs_code: HsCode
    exporter: CountryCode
    importer: CountryCode


class RiskHit(Withholding):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "hit_id": "5f0c1c2e-9a51-4d53-8f86-1b1e7c2a9d10",
                    "indicator_id": "1b4e28ba-2fa1-4d2e-883f-0016d3cca427",
                    "owner": "PE",
                    "kind": "company",
                    "matched": "20601234567",
                    "reason": INDICATOR_EXAMPLE["reason"],
                    "severity": "high",
                    "expires_on": "2027-05-31",
                    "declaration": {
                        "country": "CO",
                        "flow": "import",
                        "number": "2026-ME-0099812",
                        "declared_on": "2026-11-20",
                        "hs_code": "710812",
                        "exporter": "PE",
                        "importer": "CO",
                    },
                }
            ]
        }
    )

    hit_id: UUID
    indicator_id: UUID
    owner: CountryCode
    kind: IndicatorKind
    matched: str = Field(description="what matched: the tax id, container, plate, or exporter>importer:hs prefix")
    reason: str
    severity: Severity
    expires_on: dt.date
    declaration: DeclarationSeen
