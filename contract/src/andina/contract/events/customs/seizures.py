"""Seizure reports (the WCO Customs Enforcement Network's: one seizure, one report).

A report is shared with all members or named ones. The service recognises a seizure
reported twice (by one administration again, or by both sides of a joint operation) and
merges the reports into one seizure: recipients get the second report under the first's id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from pydantic import ConfigDict, Field

from andina.contract.countries import CountryCode
from andina.contract.events.base import Payload
from andina.contract.events.customs.common import (
    ContainerId,
    HsCode,
    Money,
    Party,
    Person,
    Quantity,
    Reference,
    ShortText,
    TransportMode,
    Unit,
    Withholding,
)


class Commodity(Payload):
    hs_code: HsCode = Field(description="its heading (first 4 digits) must be in the network's HS table (else refused)")
    description: ShortText = Field(description="cocaine, gold, mercury, timber, cigarettes, fuel, ...")


class SeizureRoute(Payload):
    origin: CountryCode | None = None
    transit: list[CountryCode] = Field(default_factory=list, max_length=10)
    destination: CountryCode | None = None


SEIZURE_EXAMPLE: dict[str, Any] = {
    "seized_on": "2026-11-20",
    "office": "Aduana de Desaguadero",
    "place": "Puente internacional Desaguadero, Puno",
    "commodity": {"hs_code": "280540", "description": "Mercurio"},
    "quantity": "310",
    "unit": "kg",
    "value": {"amount": "41000", "currency": "USD"},
    "concealment": "Doble fondo en cisterna de combustible",
    "transport_mode": "road",
    "route": {"origin": "BO", "transit": [], "destination": "PE"},
    "persons": [{"name": "Juan Quispe Mamani", "document": "BO-CI-4455667", "nationality": "BO"}],
    "companies": [{"name": "Transportes Altiplano S.R.L.", "tax_id": "1020304050", "country": "BO"}],
    "containers": [],
    "vehicles": ["2345-XYZ"],
    "recipients": "all",
    "reference": "SUNAT-DEC-2026-0311",
}


class SeizureReport(Payload):
    model_config = ConfigDict(json_schema_extra={"examples": [SEIZURE_EXAMPLE]})

    seized_on: dt.date
    office: ShortText = Field(description="customs office that seized")
    place: ShortText
    commodity: Commodity
    quantity: Quantity
    unit: Unit
    value: Money | None = None
    concealment: ShortText | None = None
    transport_mode: TransportMode
    route: SeizureRoute
    persons: list[Person] = Field(default_factory=list, max_length=50)
    companies: list[Party] = Field(default_factory=list, max_length=50)
    containers: list[ContainerId] = Field(default_factory=list, max_length=50)
    vehicles: list[ShortText] = Field(default_factory=list, max_length=20)
    transport_document: Reference | None = None
    recipients: list[CountryCode] | Literal["all"] = Field(
        description='members to share with, or "all" (not allowed with handling h3); at least one member other'
        " than the reporter (else refused)"
    )
    reference: Reference = Field(description="the reporting administration's case number")


class SeizureReportDelivered(SeizureReport):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **SEIZURE_EXAMPLE,
                    "recipients": ["BO", "CO", "EC"],
                    "seizure_id": "5f0c1c2e-9a51-4d53-8f86-1b1e7c2a9d10",
                    "reporter": "PE",
                    "merged": False,
                }
            ]
        }
    )

    seizure_id: UUID = Field(description="one id per seizure, whoever reports it and how often")
    reporter: CountryCode
    merged: bool = Field(description="true when this report joined a seizure already reported")


class SeizureRecorded(Withholding):
    """Told to the reporter: which seizure its report became, and whether it was already known."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "seizure_id": "5f0c1c2e-9a51-4d53-8f86-1b1e7c2a9d10",
                    "report_id": "1b4e28ba-2fa1-4d2e-883f-0016d3cca427",
                    "merged": True,
                    "reports": 2,
                }
            ]
        }
    )

    seizure_id: UUID
    report_id: UUID = Field(description="id of the seizure-reported event")
    merged: bool
    reports: int = Field(
        ge=1, description="how many reports the seizure had once this one was recorded, this one included"
    )
