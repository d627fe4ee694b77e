"""Intelligence reports reach named recipients only; connections and firearm traces on the real stack."""

from __future__ import annotations

import asyncio
import time

import pytest

from andina.contract.client import AgencyClient
from andina.contract.envelope import Handling
from andina.contract.events.intel_exchange import intel_type
from andina.intel_exchange.app import create_app
from andina.intel_exchange.settings import Settings
from tests.conftest import ServiceSettingsFactory
from tests.e2e.intel_exchange.partitions import Bus, Events, of_type, only

pytestmark = pytest.mark.integration

ROUTE_REPORT = {
    "reference": "DIRANDRO-2026-771",
    "subject": "Envíos por Tumbes",
    "topic": "drug-trafficking",
    "body": "Camiones de fruta desde Tumbes hacia Huaquillas.",
    "evaluation": "B2",
    "recipients": ["CO", "EC"],
    "entities": [
        {"kind": "person", "value": "Juan Carlos Quispe Huamán", "role": "leader"},
        {"kind": "phone", "value": "+51 987 654 321", "role": "contact"},
    ],
}
CLAN_REPORT = {
    "reference": "DNA-2026-12",
    "subject": "Jefe del clan",
    "topic": "drug-trafficking",
    "body": "Quispi Guamán dirige el clan en la frontera norte.",
    "evaluation": "C3",
    "recipients": ["CO"],
    "entities": [
        {"kind": "person", "value": "JUAN CARLOS QUISPI GUAMAN"},
        {"kind": "organization", "value": "Clan del Golfo"},
    ],
}


def connections(events: Events) -> dict[str, int]:
    [answer] = only(events, "connections-answered")
    return {c["value"]: c["distance"] for c in answer["connections"]}


async def test_reports_reach_named_recipients_and_connections_follow_only_readable_reports(
    service_settings: ServiceSettingsFactory, agencies: dict[str, AgencyClient], bus: Bus
) -> None:
    ask = {"kind": "phone", "value": "987-654-321", "hops": 3}
    async with create_app(service_settings(Settings)).start_lifespan_context():
        await agencies["PE"].submit(Bus.SERVICE, agencies["PE"].event(intel_type("report-submitted"), ROUTE_REPORT))
        await agencies["EC"].submit(
            Bus.SERVICE, agencies["EC"].event(intel_type("report-submitted"), CLAN_REPORT, Handling.H3)
        )
        co = await bus.read("CO", of_type("report-delivered", 2))
        ec = await bus.read("EC", of_type("report-delivered"))
        bo = await bus.read("BO", of_type("report-delivered"), within=2.0)
        for country in ("CO", "PE"):
            await agencies[country].submit(
                Bus.SERVICE, agencies[country].event(intel_type("connections-requested"), ask)
            )
        co = await bus.read("CO", of_type("connections-answered"))
        pe = await bus.read("PE", of_type("connections-answered"))

    assert sorted(r["reference"] for r in only(co, "report-delivered")) == ["DIRANDRO-2026-771", "DNA-2026-12"]
    assert [r["sender"] for r in only(ec, "report-delivered")] == ["PE"]
    assert only(bo, "report-delivered") == []
    assert connections(co) == {"Juan Carlos Quispe Huamán": 1, "Clan del Golfo": 2}
    assert connections(pe) == {"Juan Carlos Quispe Huamán": 1}


async def test_a_firearm_trace_is_answered_and_a_silent_country_is_overdue(
    service_settings: ServiceSettingsFactory, agencies: dict[str, AgencyClient], bus: Bus
) -> None:
    settings = service_settings(Settings).model_copy(
        update={"firearm_trace_urgent_hours": 3 / 3600, "timer_poll_seconds": 0.2}
    )
    trace = {
        "make": "Glock",
        "model": "17",
        "serial_number": "BXK-448",
        "caliber": "9x19mm",
        "country_of_seizure": "EC",
        "recipients": ["PE", "CO"],
        "urgent": True,
    }
    async with create_app(settings).start_lifespan_context():
        request = agencies["EC"].event(intel_type("firearm-trace-requested"), trace)
        await agencies["EC"].submit(Bus.SERVICE, request)
        pe = await bus.read("PE", of_type("firearm-trace-received"))
        answer = {"request_id": str(request.id), "result": "found", "details": "Importada 2019, robada 2024"}
        await agencies["PE"].submit(Bus.SERVICE, agencies["PE"].event(intel_type("firearm-trace-answered"), answer))
        await agencies["BO"].submit(Bus.SERVICE, agencies["BO"].event(intel_type("firearm-trace-answered"), answer))
        ec = await bus.read("EC", of_type("firearm-trace-overdue"))
        co = await bus.read("CO", of_type("firearm-trace-overdue"))
        bo = await bus.read("BO", of_type("event-rejected"))

    [received] = only(pe, "firearm-trace-received")
    assert (received["requester"], received["serial_number"]) == ("EC", "BXK-448")
    [delivered] = only(ec, "firearm-trace-answer-delivered")
    assert (delivered["answered_by"], delivered["result"]) == ("PE", "found")
    [overdue] = only(ec, "firearm-trace-overdue")
    assert overdue["silent"] == "CO"
    assert [o["silent"] for o in only(co, "firearm-trace-overdue")] == ["CO"]
    assert [r["reason"] for r in only(bo, "event-rejected")] == ["unauthorized"]


async def test_a_report_links_entities_until_its_horizon_then_no_more_across_a_restart(
    service_settings: ServiceSettingsFactory, agencies: dict[str, AgencyClient], bus: Bus
) -> None:
    horizon = 10.0
    settings = service_settings(Settings).model_copy(update={"report_horizon_days": horizon / 86_400})

    async def ask() -> None:
        query = {"kind": "phone", "value": "987654321", "hops": 1}
        await agencies["CO"].submit(Bus.SERVICE, agencies["CO"].event(intel_type("connections-requested"), query))

    async with create_app(settings).start_lifespan_context():
        report = agencies["PE"].event(intel_type("report-submitted"), ROUTE_REPORT)
        filed_at = time.monotonic()  # the report's time is when it was made, just before
        await agencies["PE"].submit(Bus.SERVICE, report)
        await bus.read("CO", of_type("report-delivered"))
        await ask()
        await bus.read("CO", of_type("connections-answered"))
    async with create_app(settings).start_lifespan_context():  # the graph loaded again from the store
        await ask()
        await bus.read("CO", of_type("connections-answered", 2))
        await asyncio.sleep(max(0.0, filed_at + horizon - time.monotonic()))
        await ask()
        answered = await bus.read("CO", of_type("connections-answered", 3))

    found = [[c["value"] for c in a["connections"]] for a in only(answered, "connections-answered")]
    assert found == [["Juan Carlos Quispe Huamán"], ["Juan Carlos Quispe Huamán"], []]
