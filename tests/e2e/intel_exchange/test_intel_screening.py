"""The Banco Andino de Datos on the real Kafka and store: a wanted person, a screening hit, the follow-up.

EC files a wanted person shared with CO and PE; CO screens a misspelt variant and gets a
hit reference, EC is notified and the 24/7 network gets an alert request; BO, which EC
excluded, gets no-hit for the same query; the follow-up request is approved and only CO
receives the record; every step is in the audit log.
"""

from __future__ import annotations

import orjson
import pytest

from andina.contract.client import AgencyClient
from andina.contract.envelope import Handling
from andina.contract.events.intel_exchange import intel_type
from andina.deploy.demo_intel_exchange import MISSPELT, wanted_person
from andina.intel_exchange.app import create_app
from andina.intel_exchange.settings import Settings
from andina.shared.store import mongo_client
from tests.conftest import ServiceSettingsFactory
from tests.e2e.intel_exchange.partitions import Bus, of_type, only

pytestmark = pytest.mark.integration

# The demo's own wanted person and misspelt query, so the demo's scenario is what is tested here.
WANTED = wanted_person("EC-2026-000113") | {"expires_on": "2028-03-01"}


async def test_a_misspelt_variant_hits_for_co_notifies_ec_and_the_record_reaches_only_co(
    service_settings: ServiceSettingsFactory, agencies: dict[str, AgencyClient], bus: Bus, mongo_url: str
) -> None:
    settings = service_settings(Settings)
    async with create_app(settings).start_lifespan_context():
        await agencies["EC"].submit(Bus.SERVICE, agencies["EC"].event(intel_type("person-record-submitted"), WANTED))
        await bus.read("EC", of_type("person-record-acknowledged"))

        co_query = agencies["CO"].event(intel_type("screening-requested"), MISSPELT, Handling.H1)
        await agencies["CO"].submit(Bus.SERVICE, co_query)
        co_events = await bus.read("CO", of_type("screening-answered"))
        ec_events = await bus.read("EC", of_type("hit-notified"))
        signals = await bus.read("EC", of_type("alert-requested"), stream="signals")

        await agencies["BO"].submit(Bus.SERVICE, agencies["BO"].event(intel_type("screening-requested"), MISSPELT))
        bo_events = await bus.read("BO", of_type("screening-answered"))

        request = {"screening_id": str(co_query.id), "record_id": WANTED["record_id"], "reason": "held at Rumichaca"}
        co_request = agencies["CO"].event(intel_type("record-requested"), request)
        await agencies["CO"].submit(Bus.SERVICE, co_request)
        ec_events = await bus.read("EC", of_type("record-request-received"))
        approval = {"request_id": str(co_request.id), "decision": "approved"}
        await agencies["EC"].submit(Bus.SERVICE, agencies["EC"].event(intel_type("record-request-answered"), approval))
        co_events = await bus.read("CO", of_type("record-released"))
        others = {c: await bus.read(c, of_type("record-released"), within=2.0) for c in ("BO", "EC", "PE")}

    [answer] = only(co_events, "screening-answered")
    assert answer["outcome"] == "hit"
    [hit] = answer["hits"]
    assert (hit["record_id"], hit["owner"], hit["record_type"], hit["requested_action"]) == (
        "EC-2026-000113",
        "EC",
        "warrant",
        "arrest",
    )
    assert "paternal_surname" not in orjson.dumps(answer).decode()
    [notice] = only(ec_events, "hit-notified")
    assert (notice["asked_by"], notice["place"], notice["record_id"]) == ("CO", "Rumichaca", "EC-2026-000113")
    [alert] = only(signals, "alert-requested")
    assert (alert["signal"], alert["country"], alert["category"]) == ("screening-hit", "EC", "wanted-person")
    assert only(bo_events, "screening-answered") == [
        {
            "screening_id": only(bo_events, "screening-answered")[0]["screening_id"],
            "outcome": "no-hit",
            "hits": [],
            "possible_matches": [],
            "not_searched": None,
        }
    ]
    [received] = only(ec_events, "record-request-received")
    assert (received["requested_by"], received["record_id"]) == ("CO", "EC-2026-000113")
    [released] = only(co_events, "record-released")
    assert released["record"]["paternal_surname"] == "Quispe"
    assert all(only(events, "record-released") == [] for events in others.values())

    client = mongo_client(mongo_url)
    audit = [d async for d in client[f"{settings.database_prefix}intel_exchange"]["audit"].find({})]
    await client.close()
    logged = sorted((d["action"], d["actor"]) for d in audit)
    assert logged == [
        ("hit", "CO"),
        ("record-released", "EC"),
        ("record-requested", "CO"),
        ("record-stored", "EC"),
        ("screening", "BO"),
        ("screening", "CO"),
    ]


async def test_a_restarted_service_rebuilds_its_index_from_the_store(
    service_settings: ServiceSettingsFactory, agencies: dict[str, AgencyClient], bus: Bus
) -> None:
    settings = service_settings(Settings)
    withdrawn = wanted_person("EC-2026-000200") | {"given_names": ["Wilber"], "paternal_surname": "Yupanqui"}
    async with create_app(settings).start_lifespan_context():
        for record in (WANTED, withdrawn):
            await agencies["EC"].submit(
                Bus.SERVICE, agencies["EC"].event(intel_type("person-record-submitted"), record)
            )
        withdrawal = {"record_id": "EC-2026-000200", "reason": "served"}
        await agencies["EC"].submit(
            Bus.SERVICE, agencies["EC"].event(intel_type("person-record-withdrawn"), withdrawal)
        )
        await bus.read("EC", of_type("person-record-acknowledged", 3))

    async with create_app(settings).start_lifespan_context():
        for query in (MISSPELT, MISSPELT | {"given_names": ["Wilber"], "paternal_surname": "Yupanki"}):
            await agencies["CO"].submit(Bus.SERVICE, agencies["CO"].event(intel_type("screening-requested"), query))
        co_events = await bus.read("CO", of_type("screening-answered", 2))

    answers = only(co_events, "screening-answered")
    assert [[h["record_id"] for h in a["hits"]] for a in answers] == [["EC-2026-000113"], []]


async def test_a_query_with_names_only_gets_possible_matches_and_the_owner_is_told(
    service_settings: ServiceSettingsFactory, agencies: dict[str, AgencyClient], bus: Bus
) -> None:
    """A name read over the radio: no hit and no alert, but the record as a possible match for CO and EC."""
    names_only = {k: v for k, v in MISSPELT.items() if k != "date_of_birth"} | {"given_names": ["Juan Quispe Huamán"]}
    async with create_app(service_settings(Settings)).start_lifespan_context():
        await agencies["EC"].submit(Bus.SERVICE, agencies["EC"].event(intel_type("person-record-submitted"), WANTED))
        await bus.read("EC", of_type("person-record-acknowledged"))
        await agencies["CO"].submit(Bus.SERVICE, agencies["CO"].event(intel_type("screening-requested"), names_only))
        [answer] = only(await bus.read("CO", of_type("screening-answered")), "screening-answered")
        [notice] = only(await bus.read("EC", of_type("hit-notified")), "hit-notified")
        signals = await bus.read("EC", of_type("alert-requested"), stream="signals", within=2.0)

    assert (answer["outcome"], answer["hits"]) == ("possible", [])
    assert [(p["record_id"], p["kind"]) for p in answer["possible_matches"]] == [("EC-2026-000113", "possible")]
    assert (notice["record_id"], notice["kind"], notice["asked_by"]) == ("EC-2026-000113", "possible", "CO")
    assert only(signals, "alert-requested") == []
