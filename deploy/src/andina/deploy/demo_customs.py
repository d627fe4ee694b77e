"""The customs scene of ``andina demo``: one mutual-assistance request and one discrepancy, on the running stack.

Acting as the customs systems of PE, BO and CO: PE asks BO to verify an import declaration;
BO acknowledges and answers; the answer reaches PE only. PE files a gold export to CO and CO
files the import 30 % lighter: both receive the discrepancy, EC nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from rich.table import Table

from andina.contract.client import AgencyClient
from andina.contract.envelope import Envelope, Handling
from andina.contract.events import customs as types
from andina.contract.topics import DELIVERIES
from andina.deploy.console import console, done, fields_table, info
from andina.deploy.demo_support import await_event, partition_ends
from andina.deploy.processes import StackError
from andina.deploy.settings import Endpoints

SERVICE = types.SERVICE
WATCHED = ("PE", "BO", "CO", "EC")


def _declaration(flow: str, number: str, partner: str, weight: str, value: dict[str, str]) -> dict[str, Any]:
    return {
        "flow": flow,
        "number": number,
        "declared_on": "2026-11-19",
        "crossed_on": "2026-11-19",
        "partner": partner,
        "declarant": {"name": "Agencia de Aduanas Andina S.A.", "tax_id": "20100000001"},
        "consignor": {"name": "Minera Aurífera del Sur S.A.C.", "tax_id": "20601234567", "country": "PE"},
        "consignee": {"name": "Fundiciones del Pacífico S.A.S.", "tax_id": "900123456", "country": "CO"},
        "hs_code": "710812",
        "description": "Oro en bruto, barras",
        "quantity": weight,
        "unit": "kg",
        "gross_weight_kg": weight,
        "value": value,
        "transport_document": f"AWB 045-{number[-8:]}",
        "transport_mode": "air",
    }


class Scene:
    """The agencies of the scene, and where each watched partition ended when it began."""

    def __init__(
        self, ends: Endpoints, patience: float, agencies: dict[str, AgencyClient], start: dict[str, int]
    ) -> None:
        self.ends, self.patience, self.agencies, self.start = ends, patience, agencies, start

    async def send(self, country: str, event_type: str, data: dict[str, Any]) -> str:
        event = self.agencies[country].event(event_type, data, Handling.H2)
        await self.agencies[country].submit(SERVICE, event)
        return str(event.id)

    async def expect(self, country: str, event_type: str, causes: set[str], what: str) -> Envelope:
        """The event caused by one of ``causes`` on ``country``'s partition, its signature verified."""

        def wanted(e: Envelope) -> bool:
            return e.type == event_type and str(e.causationid) in causes

        return await await_event(self.ends, SERVICE, country, self.start[country], wanted, self.patience, what)

    async def nothing_for(self, country: str, causes: set[str]) -> None:
        """Nothing caused by ``causes`` reached ``country``'s partition."""
        topic = self.ends.andina.topics().topic(SERVICE, DELIVERIES)
        partition = self.ends.andina.countries().partition_of(country)

        open_delivery = self.ends.opener(country).open_attributes  # the whole event is sealed for the country

        def seen(record: Any) -> bool:
            return open_delivery(record.value).get("causationid") in causes

        async with self.ends.country_reader(country, topic, partition) as reader:
            records = await reader.read(self.start[country], lambda rs: any(map(seen, rs)), within=1.5)
        if any(map(seen, records)):
            raise StackError(f"{country}'s partition received an event it may not see")


async def _request(scene: Scene) -> None:
    request = {
        "requested": "BO",
        "subject": {"declarations": [{"country": "BO", "number": "2026-201-C-777"}]},
        "legal_basis": "Decisión 478 de la CAN, art. 5",
        "facts": "Exportación de 120,5 kg de oro declarada con destino a Bolivia; verificar la importación.",
        "actions": ["verify-declaration", "provide-documents"],
        "urgency": "urgent",
        "reference": f"SUNAT-DEMO-{uuid.uuid4().hex[:6]}",
    }
    request_id = await scene.send("PE", types.ASSISTANCE_REQUESTED, request)
    info(f"PE asked BO to verify declaration 2026-201-C-777 ({types.ASSISTANCE_REQUESTED})")
    delivered = await scene.expect("BO", types.ASSISTANCE_REQUEST_DELIVERED, {request_id}, "the request to BO")
    done("BO received the request", f"deadline {delivered.data['deadline']}, signed by {delivered.signer}")
    acknowledged = await scene.send(
        "BO", types.ASSISTANCE_STATUS_UPDATED, {"request_id": request_id, "status": "acknowledged"}
    )
    await scene.expect("PE", types.ASSISTANCE_STATUS_CHANGED, {acknowledged}, "the acknowledgement to PE")
    done("BO acknowledged; PE was told")
    answer = {"request_id": request_id, "outcome": "answered", "findings": "La DUI 2026-201-C-777 declara 84,2 kg."}
    answered = await scene.send("BO", types.ASSISTANCE_ANSWERED, answer)
    event = await scene.expect("PE", types.ASSISTANCE_ANSWER_DELIVERED, {answered}, "the answer to PE")
    console.print(fields_table("answer delivered to PE", {**event.data, "signer": event.signer}))
    for other in ("CO", "EC"):
        await scene.nothing_for(other, {answered})
    done("the answer reached PE only", "(CO and EC got nothing of it)")


def _differences(finding: dict[str, Any]) -> Table:
    title = f"discrepancy {finding['finding_id']} (severity {finding['severity']}, matched by {finding['method']})"
    table = Table(title=title, title_justify="left")
    for column in ("compared", "export (PE)", "import (CO)", "difference", "severity"):
        table.add_column(column)
    for d in finding["differences"]:
        table.add_row(d["compared"], d["exported"], d["imported"], d.get("relative", ""), d["severity"])
    return table


async def _discrepancy(scene: Scene) -> None:
    run = uuid.uuid4().hex[:8]
    export = _declaration("export", f"118-2026-40-{run}", "CO", "121.0", {"amount": "32000000", "currency": "PEN"})
    lighter = {**export, "flow": "import", "number": f"2026-ME-{run}", "partner": "PE", "gross_weight_kg": "84.7"}
    imported = {**lighter, "quantity": "84.2", "value": {"amount": "9400000", "currency": "USD"}}
    # Either may be handled second (they sit on two countries' partitions): that one causes the discrepancy.
    filed = {
        await scene.send("PE", types.DECLARATION_FILED, export),
        await scene.send("CO", types.DECLARATION_FILED, imported),
    }
    info(f"PE filed export {export['number']} (121 kg of gold to CO); CO filed import {imported['number']} (84.7 kg)")
    for country in ("PE", "CO"):
        event = await scene.expect(country, types.DECLARATION_DISCREPANCY, filed, f"the discrepancy for {country}")
    console.print(_differences(event.data))
    await scene.nothing_for("EC", filed)
    done("the discrepancy reached PE and CO", "(EC got nothing of it)")


async def run(ends: Endpoints, patience: float) -> None:
    start = await partition_ends(ends, SERVICE, WATCHED)
    agencies = {c: ends.agency_client(c, "aduana") for c in ("PE", "BO", "CO")}
    for client in agencies.values():
        await client.__aenter__()
    try:
        scene = Scene(ends, patience, agencies, start)
        await _request(scene)
        await _discrepancy(scene)
    finally:
        for client in agencies.values():
            await client.__aexit__()
    done("customs demo passed")
