"""Sample customs payloads for the customs tests: a gold shipment from PE to CO, declared on both sides."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import uuid4

from andina.contract.envelope import Handling
from andina.contract.events.customs.declarations import DECLARATION_EXAMPLE, Declaration
from andina.contract.events.customs.seizures import SEIZURE_EXAMPLE
from andina.customs.adapters.reference import load_hs_table, load_rates
from andina.customs.domain.declarations import FiledDeclaration, Filing, file_declaration

HS = load_hs_table()
RATES = load_rates()
RECEIVED = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)


def gold_export(**changes: Any) -> dict[str, Any]:
    """PE's export of 120.5 kg of gold to CO by air (the contract's example), valued in soles."""
    payload = {
        **DECLARATION_EXAMPLE,
        "number": f"118-2026-40-{uuid4().hex[:6]}",
        "value": {"amount": "32000000", "currency": "PEN"},
    }
    return {**payload, **changes}


def gold_import(**changes: Any) -> dict[str, Any]:
    """CO's import of the same shipment: same figures, CO's own words for the parties."""
    payload = gold_export(
        flow="import",
        number=f"2026-ME-{uuid4().hex[:7]}",
        declared_on="2026-11-20",
        crossed_on="2026-11-20",
        partner="PE",
        declarant={"name": "Agencia Aduanas Caribe Ltda.", "tax_id": "800555111", "country": "CO"},
        consignor={"name": "MINERA AURIFERA DEL SUR SAC", "country": "PE"},
        consignee={"name": "Fundiciones del Pacifico SAS", "tax_id": "900123456", "country": "CO"},
        value={"amount": "9400000", "currency": "USD"},
        transport_document="AWB045-12345675",
        border_post="Aeropuerto El Dorado",
    )
    return {**payload, **changes}


def filed(payload: dict[str, Any], country: str, received_at: dt.datetime = RECEIVED) -> FiledDeclaration:
    filing = Filing(country, uuid4(), uuid4(), Handling.H1, received_at)
    return file_declaration(Declaration.model_validate(payload), filing, HS, RATES)


def mercury_seizure(**changes: Any) -> dict[str, Any]:
    """PE's seizure of 310 kg of mercury at Desaguadero, shared with all members (the contract's example)."""
    return {**SEIZURE_EXAMPLE, **changes}


def verification_request(requested: str = "BO", **changes: Any) -> dict[str, Any]:
    """PE asks ``requested`` to verify an import declaration of gold."""
    payload: dict[str, Any] = {
        "requested": requested,
        "subject": {
            "companies": [{"name": "Minera Aurífera del Sur S.A.C.", "tax_id": "20601234567", "country": "PE"}],
            "goods": [{"hs_code": "710812", "description": "Oro en bruto", "quantity": "120.5", "unit": "kg"}],
            "declarations": [{"country": requested, "number": "2026-201-C-777"}],
        },
        "legal_basis": "Decisión 478 de la CAN, art. 5",
        "facts": "La exportación declara 120,5 kg de oro; la importación declarada parece menor.",
        "actions": ["verify-declaration", "provide-documents"],
        "urgency": "routine",
        "attachments": [{"name": "factura-0042.pdf", "sha256": "ab" * 32, "size": 183_422}],
        "reference": "SUNAT-IA-2026-0042",
    }
    return {**payload, **changes}
