"""Declaration cross-checks (mirror analysis): one country's exports beside its neighbour's imports.

Each member files its export and import declarations. The service matches an export from
A with the import into B of the same shipment and reports differences beyond tolerance to
both countries, and reports exports that no import matched in time.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import AwareDatetime, ConfigDict, Field

from andina.contract.countries import CountryCode
from andina.contract.events.base import Payload
from andina.contract.events.customs.common import (
    ContainerId,
    Figure,
    HsCode,
    Money,
    Party,
    Plate,
    Quantity,
    Ratio,
    Reference,
    ShortText,
    TransportMode,
    Unit,
    Weight,
    Withholding,
)
from andina.contract.events.signals import Severity


class Flow(StrEnum):
    EXPORT = "export"
    IMPORT = "import"


DECLARATION_EXAMPLE: dict[str, Any] = {
    "flow": "export",
    "number": "118-2026-40-012345",
    "declared_on": "2026-11-18",
    "crossed_on": "2026-11-19",
    "partner": "CO",
    "declarant": {"name": "Agencia de Aduanas Andina S.A.", "tax_id": "20100000001", "country": "PE"},
    "consignor": {"name": "Minera Aurífera del Sur S.A.C.", "tax_id": "20601234567", "country": "PE"},
    "consignee": {"name": "Fundiciones del Pacífico S.A.S.", "tax_id": "900123456", "country": "CO"},
    "hs_code": "710812",
    "description": "Oro en bruto, barras",
    "quantity": "120.5",
    "unit": "kg",
    "gross_weight_kg": "121.0",
    "value": {"amount": "9640000", "currency": "USD"},
    "transport_document": "AWB 045-12345675",
    "containers": [],
    "vehicles": [],
    "transport_mode": "air",
    "border_post": "Aeropuerto Jorge Chávez",
}


class Declaration(Payload):
    """An export or import declaration as the filing country's customs holds it.

    Refused (``invalid-payload``, nothing kept) beyond the schema: a partner equal to the filer,
    a declared date later than the day after it is received, a quantity in a mass unit more than
    5 % over the gross weight, an HS code whose heading is not in the network's table, a currency
    without a rate at most 45 days (by default) before the declared date. A number the same
    country already filed for the same flow by another event is refused as ``duplicate``.
    """

    model_config = ConfigDict(json_schema_extra={"examples": [DECLARATION_EXAMPLE]})

    flow: Flow
    number: Reference = Field(
        description="the filing country's declaration number, unique per country and flow (filed again by another"
        " event: refused as duplicate)"
    )
    declared_on: dt.date = Field(
        description="the date the cross-checks judge time by (event time); refused when later than the day after"
        " the service receives it"
    )
    crossed_on: dt.date | None = Field(None, description="when the goods left (export) or entered (import)")
    partner: CountryCode = Field(
        description="destination of an export, origin of an import; another country than the filer (else refused)"
    )
    declarant: Party
    consignor: Party
    consignee: Party
    hs_code: HsCode = Field(description="its heading (first 4 digits) must be in the network's HS table (else refused)")
    description: ShortText
    quantity: Quantity = Field(
        description="in ``unit``; in a mass unit, at most 5 % over ``gross_weight_kg`` (else refused: a typing error)"
    )
    unit: Unit
    gross_weight_kg: Weight
    value: Money = Field(
        description="its currency needs a rate at most 45 days (by default) before ``declared_on``"
        " (else refused: no exchange rate)"
    )
    transport_document: Reference | None = Field(None, description="bill of lading, air waybill, CRT, ...")
    containers: list[ContainerId] = Field(default_factory=list, max_length=200)
    vehicles: list[Plate] = Field(default_factory=list, max_length=20)
    transport_mode: TransportMode
    border_post: ShortText | None = None


class DeclarationSummary(Declaration):
    """A declaration as the two countries of a finding see it, with its value in USD."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{**DECLARATION_EXAMPLE, "country": "PE", "value_usd": "9640000"}]}
    )

    country: CountryCode = Field(description="the country that filed it")
    value_usd: Figure = Field(description="value converted at the rate of the declaration's date")


class MatchMethod(StrEnum):
    TRANSPORT_DOCUMENT = "transport-document"
    CONTAINER = "container"
    SCORED = "scored"


class Compared(StrEnum):
    QUANTITY = "quantity"
    GROSS_WEIGHT = "gross-weight"
    VALUE = "value-usd"
    HS_CODE = "hs-code"


class Difference(Payload):
    compared: Compared
    exported: str = Field(description="the export's figure (a decimal, or an HS code)")
    imported: str
    relative: Ratio | None = Field(None, description="|export - import| / the larger; null for HS codes")
    tolerance: Ratio | None = None
    severity: Severity


FINDING_EXPORT: dict[str, Any] = {**DECLARATION_EXAMPLE, "country": "PE", "value_usd": "9640000"}
FINDING_IMPORT: dict[str, Any] = {
    **FINDING_EXPORT,
    "flow": "import",
    "number": "2026-ME-0099812",
    "partner": "PE",
    "country": "CO",
    "declared_on": "2026-11-20",
    "crossed_on": "2026-11-20",
    "declarant": {"name": "Agencia Aduanas Caribe Ltda.", "tax_id": "800555111", "country": "CO"},
    "gross_weight_kg": "84.7",
    "quantity": "84.2",
    "border_post": "Aeropuerto El Dorado",
}


class DeclarationDiscrepancy(Withholding):
    """An export and the import of the same shipment disagree beyond tolerance; sent to both countries."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "finding_id": "5f0c1c2e-9a51-4d53-8f86-1b1e7c2a9d10",
                    "severity": "high",
                    "method": "transport-document",
                    "score": "1",
                    "exported": FINDING_EXPORT,
                    "imported": FINDING_IMPORT,
                    "differences": [
                        {
                            "compared": "gross-weight",
                            "exported": "121.0",
                            "imported": "84.7",
                            "relative": "0.3",
                            "tolerance": "0.05",
                            "severity": "high",
                        }
                    ],
                }
            ]
        }
    )

    finding_id: UUID
    severity: Severity = Field(description="the highest of the differences, one step up for sensitive goods")
    method: MatchMethod
    score: Ratio = Field(description="1 for a match by document or container, else the match score")
    exported: DeclarationSummary
    imported: DeclarationSummary
    differences: list[Difference] = Field(min_length=1)


WITHDRAWAL_EXAMPLE: dict[str, Any] = {
    "finding_id": "0e2b7c1a-3d4f-4a5b-9c6d-7e8f9a0b1c2d",
    "revision": 2,
    "supersedes": "5f0c1c2e-9a51-4d53-8f86-1b1e7c2a9d10",
    "reason": "import 2026-ME-0099812 is export 118-2026-40-012399's shipment (transport-document)",
    "exported": FINDING_EXPORT,
    "imported": FINDING_IMPORT,
}


class Withdrawal(Withholding):
    """A finding reported before that no longer holds, withdrawn by a new event under its own id (an id is never
    sent again with other content). Drop the finding whose ``finding_id`` is ``supersedes``."""

    finding_id: UUID = Field(description="this withdrawal's own id")
    revision: int = Field(ge=2, description="the withdrawn finding's revision plus one")
    supersedes: UUID = Field(description="the finding_id of the finding withdrawn")
    reason: ShortText


class DiscrepancyWithdrawn(Withdrawal):
    """A discrepancy reported before no longer holds: its declarations were paired by score, and a declaration
    filed since is the import's (or export's) own counterpart by transport document or container. Sent to the
    countries of the withdrawn finding; the right pair, if it disagrees, is a new ``declaration-discrepancy``."""

    model_config = ConfigDict(json_schema_extra={"examples": [WITHDRAWAL_EXAMPLE]})

    revision: int = Field(2, ge=2, description="2: the withdrawn discrepancy was revision 1 (it is never revised)")
    exported: DeclarationSummary = Field(description="the export of the withdrawn pair")
    imported: DeclarationSummary = Field(description="the import of the withdrawn pair")


class UnmatchedShipment(Withholding):
    """No import matched an export in time: possible diversion or contraband. Sent to both ends.

    Judged on declared dates, not on arrival: once the importing country has filed declarations
    dated ``waited_days`` past the export's declared date (less an allowed lateness), the import
    was due and did not come. A partner that files nothing new for a long time (wall clock) gets
    the finding anyway. The finding is the same whichever way it was reached.

    If the import is filed after all, the finding is withdrawn (``unmatched-shipment-withdrawn``,
    the next revision) and the pair is checked as any other. Should that import later prove to be
    another export's, the export is reported again: a new finding (revision 3, then 5, ...) that
    supersedes the withdrawal.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "finding_id": "5f0c1c2e-9a51-4d53-8f86-1b1e7c2a9d10",
                    "severity": "high",
                    "exported": FINDING_EXPORT,
                    "filed_at": "2026-10-19T14:02:11+00:00",
                    "waited_days": "30",
                    "due_by": "2026-12-18",
                }
            ]
        }
    )

    finding_id: UUID = Field(description="this revision's own id")
    revision: int = Field(1, ge=1, description="1 when first reported; 3, 5, ... when reported again once withdrawn")
    supersedes: UUID | None = Field(None, description="from revision 3: the finding_id of the withdrawal it replaces")
    severity: Severity
    exported: DeclarationSummary
    filed_at: AwareDatetime = Field(description="when the service received the export (not what is judged)")
    waited_days: Figure = Field(description="days after the export's declared date that the import was awaited")
    due_by: dt.date = Field(description="the export's declared date plus the wait: the import was due by this day")


class UnmatchedShipmentWithdrawn(Withdrawal):
    """An export reported unmatched has its import after all: filed after the importing country's watermark had
    passed the export's deadline. Sent to both ends, as the unmatched shipment was; the pair is then checked as
    any other, and a ``declaration-discrepancy`` follows if it disagrees."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **WITHDRAWAL_EXAMPLE,
                    "finding_id": "7a1d3e5f-2b4c-4d6e-8f0a-1b2c3d4e5f60",
                    "reason": "import 2026-ME-0099812 filed since is export 118-2026-40-012345's (transport-document)",
                }
            ]
        }
    )

    revision: int = Field(2, ge=2, description="the withdrawn unmatched shipment's revision plus one: 2, 4, ...")
    exported: DeclarationSummary = Field(description="the export that was reported unmatched")
    imported: DeclarationSummary = Field(description="the import filed since, matched with it")
