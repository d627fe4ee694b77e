"""Bad input to the Banco Andino: a clear refusal to the sender, nothing changed, nothing revealed."""

from __future__ import annotations

from typing import Any

import pytest

from andina.contract.client import AgencyClient
from andina.contract.events.catalogs import intel_exchange as intel_exchange_catalog
from andina.contract.events.intel_exchange import intel_type
from andina.deploy.demo_intel_exchange import MISSPELT
from andina.intel_exchange.app import create_app
from andina.intel_exchange.settings import Settings
from andina.shared.store import mongo_client
from tests.conftest import ServiceSettingsFactory
from tests.e2e.intel_exchange.partitions import Bus, of_type, only
from tests.e2e.intel_exchange.test_intel_screening import WANTED

pytestmark = pytest.mark.integration

REJECTED = intel_exchange_catalog.EVENT_REJECTED
NO_SUCH_SCREENING = "00000000-0000-4000-8000-000000000000"
LONE_NAME = {"given_names": ["Juan"]}  # no surname, no document: identifies no one


def rejections(events: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(e["data"]["event_type"].split(".")[2], e["data"]["reason"]) for e in events if e["type"] == REJECTED]


async def test_refused_submissions_change_nothing_and_reveal_nothing(
    service_settings: ServiceSettingsFactory, agencies: dict[str, AgencyClient], bus: Bus, mongo_url: str
) -> None:
    settings = service_settings(Settings)
    co, bo = agencies["CO"], agencies["BO"]
    async with create_app(settings).start_lifespan_context():
        await agencies["EC"].submit(Bus.SERVICE, agencies["EC"].event(intel_type("person-record-submitted"), WANTED))
        await bus.read("EC", of_type("person-record-acknowledged"))
        bad = [
            co.event(intel_type("person-record-submitted"), {**WANTED, "given_names": ["Falso"]}),
            co.event(intel_type("person-record-withdrawn"), {"record_id": WANTED["record_id"], "reason": "no"}),
            co.event(intel_type("screening-requested"), {**LONE_NAME, "place": "Rumichaca", "purpose": "tip"}),
            co.event(intel_type("screening-requested"), {**MISSPELT, "date_of_birth": "1985-02-30"}),
            co.event(
                intel_type("record-requested"),
                {"screening_id": NO_SUCH_SCREENING, "record_id": WANTED["record_id"], "reason": "x"},
            ),
        ]
        for event in bad:
            await co.submit(Bus.SERVICE, event)
        co_events = await bus.read("CO", lambda events: len(rejections(events)) >= len(bad))
        # BO, excluded by EC, screens (no-hit) and then asks for the record with its own screening id.
        bo_query = bo.event(intel_type("screening-requested"), MISSPELT)
        await bo.submit(Bus.SERVICE, bo_query)
        request = {"screening_id": str(bo_query.id), "record_id": WANTED["record_id"], "reason": "curiosity"}
        await bo.submit(Bus.SERVICE, bo.event(intel_type("record-requested"), request))
        bo_events = await bus.read("BO", lambda events: len(rejections(events)) >= 1)
        ec_events = await bus.read("EC", of_type("record-request-received"), within=2.0)

    assert rejections(co_events) == [
        ("person-record-submitted", "unauthorized"),
        ("person-record-withdrawn", "unauthorized"),
        ("screening-requested", "invalid-payload"),
        ("screening-requested", "invalid-payload"),
        ("record-requested", "unauthorized"),
    ]
    assert rejections(bo_events) == [("record-requested", "unauthorized")]
    assert [a["outcome"] for a in only(bo_events, "screening-answered")] == ["no-hit"]
    assert only(ec_events, "record-request-received") == []
    assert only(ec_events, "hit-notified") == []
    client = mongo_client(mongo_url)
    db = client[f"{settings.database_prefix}intel_exchange"]
    versions = [d async for d in db["record_versions"].find({})]
    audit = sorted([(d["action"], d["actor"]) async for d in db["audit"].find({})])
    await client.close()
    assert [(v["record_id"], v["record"]["given_names"]) for v in versions] == [("EC-2026-000113", ["Juan Carlos"])]
    assert audit == [("record-stored", "EC"), ("screening", "BO")]
