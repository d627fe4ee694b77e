"""The 24/7 network end to end on the real Kafka and store: fan-out, acknowledgement, escalation."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from andina.alerts.settings import Settings
from andina.contract.client import AgencyClient
from andina.contract.envelope import Handling
from andina.contract.events.catalogs import alerts as catalog
from andina.shared.store import database_name
from tests.e2e.alerts.conftest import Reader, running

pytestmark = pytest.mark.integration

FLASH = {
    "priority": "FLASH",
    "category": "drug-shipment",
    "title": "Lancha rápida con cargamento hacia Esmeraldas",
    "facts": "Salió de Tumaco 02:10, 3 tripulantes, ~800 kg.",
    "recipients": ["CO", "EC"],
}


def types(events: list[object]) -> list[str]:
    return [e.type for e in events]  # type: ignore[attr-defined]


async def test_flash_alert_fans_out_is_acknowledged_and_escalates_where_it_is_not(
    alerts_settings: Settings, agencies: dict[str, AgencyClient], inbox: Reader
) -> None:
    raised = agencies["PE"].event(catalog.ALERT_RAISED, FLASH, Handling.H2)

    async with running(alerts_settings):
        await agencies["PE"].submit("alerts", raised)
        co = await inbox("CO", 1)
        await agencies["CO"].submit(
            "alerts",
            agencies["CO"].event(catalog.ALERT_ACKNOWLEDGED, {"alert_id": str(raised.id), "by": "Subt. A. Rojas"}),
        )
        # EC never acknowledges: alternate, then coordinator, then PE hears the delivery failed.
        ec = await inbox("EC", 3, within=30)
        pe = await inbox("PE", 2, within=30)
        await asyncio.sleep(2 * alerts_settings.ack_deadline_flash)  # nothing more may follow
        bo = await inbox("BO", 1, within=0.5)
        co_after, ec_after, pe_after = (
            await inbox("CO", 9, within=0.5),
            await inbox("EC", 9, within=0.5),
            await inbox("PE", 9, within=0.5),
        )

    assert types(co) == [catalog.ALERT_DELIVERED]
    assert co[0].data["step"] == "primary"
    assert co[0].data["alert_id"] == str(raised.id)
    assert co[0].handling is Handling.H2
    assert types(ec) == [catalog.ALERT_DELIVERED, catalog.ALERT_ESCALATED, catalog.ALERT_ESCALATED]
    assert [e.data["step"] for e in ec] == ["primary", "alternate", "coordinator"]
    assert "ECU 911" in ec[1].data["contact"]
    assert "Ministerio del Interior" in ec[2].data["contact"]
    assert types(pe) == [catalog.ACKNOWLEDGEMENT_RECEIVED, catalog.DELIVERY_FAILED]
    assert (pe[0].data["country"], pe[0].data["by"]) == ("CO", "Subt. A. Rojas")
    assert (pe[1].data["country"], pe[1].data["steps"]) == ("EC", ["primary", "alternate", "coordinator"])
    assert bo == []
    assert (len(co_after), len(ec_after), len(pe_after)) == (1, 3, 2)
    assert {e.correlationid for e in co + ec + pe} == {raised.id}


async def test_same_dedup_key_updates_the_open_alert_and_recipients_get_the_update(
    alerts_settings: Settings, agencies: dict[str, AgencyClient], inbox: Reader
) -> None:
    first = {**FLASH, "priority": "URGENT", "recipients": ["BO"], "dedup_key": "OP-ANDES-7"}
    second = {**first, "facts": "Ahora se dirige a Guayaquil."}

    async with running(alerts_settings):
        for facts in (first, second):
            await agencies["PE"].submit("alerts", agencies["PE"].event(catalog.ALERT_RAISED, facts))
        bo = await inbox("BO", 2)

    assert [e.data["revision"] for e in bo] == [1, 2]
    assert bo[0].data["alert_id"] == bo[1].data["alert_id"]
    assert bo[1].data["facts"] == "Ahora se dirige a Guayaquil."


async def escalation_timers(mongo_url: str, settings: Settings, alert_id: str) -> list[str]:
    async with AsyncMongoClient[dict[str, Any]](mongo_url) as client:
        timers = client[database_name(settings.database_prefix, "alerts")]["timers"]
        return [t["_id"] for t in await timers.find({}).to_list() if alert_id in t["_id"]]


async def test_the_origin_updates_and_closes_its_alert_and_nobody_else_may(
    alerts_settings: Settings, agencies: dict[str, AgencyClient], inbox: Reader, mongo_url: str
) -> None:
    raised = agencies["PE"].event(catalog.ALERT_RAISED, {**FLASH, "priority": "ROUTINE", "recipients": ["CO"]})
    alert_id = str(raised.id)

    async with running(alerts_settings):
        await agencies["PE"].submit("alerts", raised)
        await inbox("CO", 1)
        assert len(await escalation_timers(mongo_url, alerts_settings, alert_id)) == 1
        await agencies["CO"].submit(
            "alerts", agencies["CO"].event(catalog.ALERT_UPDATED, {"alert_id": alert_id, "facts": "falso"})
        )
        await inbox("CO", 2)
        await agencies["PE"].submit(
            "alerts", agencies["PE"].event(catalog.ALERT_UPDATED, {"alert_id": alert_id, "facts": "Cambió de rumbo"})
        )
        await agencies["PE"].submit(
            "alerts", agencies["PE"].event(catalog.ALERT_CLOSED, {"alert_id": alert_id, "reason": "Interceptada"})
        )
        co = await inbox("CO", 4)
        assert await escalation_timers(mongo_url, alerts_settings, alert_id) == []  # closing cancelled it

    assert types(co) == [
        catalog.ALERT_DELIVERED,
        catalog.EVENT_REJECTED,
        catalog.ALERT_DELIVERED,
        catalog.ALERT_DELIVERED,
    ]
    assert co[1].data["reason"] == "unauthorized"
    assert [(e.data["revision"], e.data["status"], e.data["facts"]) for e in (co[0], co[2], co[3])] == [
        (1, "open", FLASH["facts"]),
        (2, "open", "Cambió de rumbo"),
        (3, "closed", "Cambió de rumbo"),
    ]
