"""Detail requests between FIUs, refusals of bad input, and the graph, the findings and the disclosures surviving
a restart."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from faststream.asgi import AsgiFastStream
from pymongo.asynchronous.collection import AsyncCollection

from andina.contract.topics import DEAD_LETTER
from andina.deploy.demo_finance_trace import BANKS, account, round_trip, trace_request
from andina.finance_trace.app import create_app
from andina.finance_trace.settings import Settings
from andina.shared.store import Document, database_name, mongo_client
from tests.conftest import ServiceSettingsFactory
from tests.e2e.finance_trace.fius import Fius, hours_ago, of_type, running
from tests.instances import scraped

pytestmark = pytest.mark.integration

PE_ACCOUNT, CO_ACCOUNT = account("PE", "191-55-01"), account("CO", "0550-55-88")


def wire(reference: str, hours: float, **changes: Any) -> dict[str, Any]:
    transaction = {
        "reference": reference,
        "time": hours_ago(hours),
        "amount": "2500",
        "currency": "USD",
        "channel": "wire",
        "from_account": PE_ACCOUNT,
        "to_account": CO_ACCOUNT,
    }
    return {"kind": "cross-border", "reporting_entity": "BCPLPEPL", "transactions": [{**transaction, **changes}]}


def reversed_wire(reference: str, hours: float) -> dict[str, Any]:
    report = wire(reference, hours, from_account=CO_ACCOUNT, to_account=PE_ACCOUNT, amount="900")
    return {**report, "reporting_entity": "COLOCOBM"}


async def test_a_detail_request_the_owner_approves_shows_in_the_requesters_later_traces(
    fius: Fius, service_settings: ServiceSettingsFactory
) -> None:
    now = datetime.now(UTC)
    async with running(service_settings(Settings)):
        await fius.send("PE", "report-submitted", wire("PE-1", 30))
        await fius.send("CO", "report-submitted", reversed_wire("CO-1", 10))
        await fius.wait_for("PE", "subject-shared")
        fishing = await fius.send(
            "BO", "detail-requested", {"subject": CO_ACCOUNT["ref"], "owner": "CO", "purpose": "?"}
        )
        asked = await fius.send(
            "PE", "detail-requested", {"subject": CO_ACCOUNT["ref"], "owner": "CO", "purpose": "ROS 871"}
        )
        (received,) = await fius.wait_for("CO", "detail-request-received")
        details = {"holder": "Importadora Andes SAS", "opened": "2026-10-02"}
        decision = {"request_id": received["data"]["request_id"], "decision": "approved", "details": details}
        await fius.send("CO", "detail-decided", decision)
        (answer,) = await fius.wait_for("PE", "detail-answered")
        await fius.send("PE", "trace-requested", trace_request(PE_ACCOUNT["ref"], now))
        (trace,) = await fius.wait_for("PE", "trace-completed")
        (refusal,) = await fius.wait_for("BO", "event-rejected")

    assert (received["data"]["requester"], received["data"]["request_id"]) == ("PE", str(asked.id))
    assert (answer["data"]["decision"], answer["data"]["details"]) == ("approved", details)
    nodes = {n["ref"]: n for n in trace["data"]["nodes"]}
    assert nodes[CO_ACCOUNT["ref"]]["disclosed"] == {"CO.holder": "Importadora Andes SAS", "CO.opened": "2026-10-02"}
    assert nodes[PE_ACCOUNT["ref"]]["disclosed"] is None
    assert (refusal["data"]["event_id"], refusal["data"]["reason"]) == (str(fishing.id), "unauthorized")


async def test_an_unanswered_detail_request_expires_and_every_access_is_in_the_audit_log(
    fius: Fius, service_settings: ServiceSettingsFactory, mongo_url: str
) -> None:
    settings = service_settings(Settings).model_copy(update={"finance_detail_answer_hours": 2 / 3600})
    async with running(settings):
        report = await fius.send("PE", "report-submitted", wire("PE-1", 30))
        # PE's report first, so that the sharing is CO's doing (the later report is the one that shares).
        await fius.wait_for("PE", "report-recorded")
        await fius.send("CO", "report-submitted", reversed_wire("CO-1", 10))
        await fius.wait_for("PE", "subject-shared")
        asked = await fius.send(
            "PE", "detail-requested", {"subject": CO_ACCOUNT["ref"], "owner": "CO", "purpose": "ROS 9"}
        )
        (answer,) = await fius.wait_for("PE", "detail-answered")
    client = mongo_client(mongo_url)
    audit = (
        await client[database_name(settings.database_prefix, "finance-trace")]["audit"]
        .find({"actor": "PE"})
        .sort("at", 1)
        .to_list()
    )
    await client.close()

    assert (answer["data"]["decision"], answer["data"]["request_id"]) == ("expired", str(asked.id))
    assert [(a["action"], a["subject"], a["detail"]["event"]) for a in audit] == [
        ("report", str(report.id), str(report.id)),
        ("detail-request", CO_ACCOUNT["ref"], str(asked.id)),
    ]
    assert {a["detail"]["agency"] for a in audit} == {"/countries/PE/agencies/policia"}
    assert audit[-1]["why"] == "ROS 9"


async def test_bad_input_is_refused_clearly_and_changes_nothing(
    fius: Fius, service_settings: ServiceSettingsFactory
) -> None:
    now = datetime.now(UTC)
    bad = {  # what the refusal says -> the refused event
        "amount -100 is not positive": wire("B-1", 5, amount="-100"),
        "unknown currency 'XAU'": wire("B-2", 5, currency="XAU"),
        "no USD to USD rate": wire("B-3", 24 * 365 * 3),
        "is in the future": wire("B-4", -3),
        "at most 6 hops; 9 were asked": {**trace_request(PE_ACCOUNT["ref"], now), "max_hops": 9},
    }
    async with running(service_settings(Settings)):
        sent = {
            why: await fius.send("PE", "trace-requested" if "hops" in why else "report-submitted", event)
            for why, event in bad.items()
        }
        refusals = await fius.wait_for("PE", "event-rejected", count=len(bad))
        dead = await fius.read("PE", lambda events: len(events) >= len(bad), stream=DEAD_LETTER)
        await fius.send("PE", "trace-requested", trace_request(PE_ACCOUNT["ref"], now))
        (trace,) = await fius.wait_for("PE", "trace-completed")
        everything = await fius.read("PE", lambda events: len(events) >= len(bad) + 1)

    by_event = {r["data"]["event_id"]: r["data"] for r in refusals}
    for why, event in sent.items():
        assert why in by_event[str(event.id)]["detail"]
    assert {r["reason"] for r in by_event.values()} == {"invalid-payload"}
    assert len(dead) == len(bad)
    assert (trace["data"]["nodes"], trace["data"]["edges"]) == ([], [])
    assert of_type(everything, "report-recorded") == []


async def test_a_report_with_one_self_transfer_is_recorded_but_that_one_which_comes_back_with_its_rule(
    fius: Fius, service_settings: ServiceSettingsFactory
) -> None:
    rows = [wire(f"P-{n}", 5 + n / 10)["transactions"][0] for n in range(20)]
    rows[7] = {**rows[7], "to_account": PE_ACCOUNT}
    async with running(service_settings(Settings)):
        await fius.send("PE", "report-submitted", {**wire("P", 5), "transactions": rows})
        (receipt,) = await fius.wait_for("PE", "report-recorded")
        await fius.send("PE", "trace-requested", trace_request(PE_ACCOUNT["ref"], datetime.now(UTC)))
        (trace,) = await fius.wait_for("PE", "trace-completed")

    assert (receipt["data"]["transactions"], receipt["data"]["total_usd"]) == (19, "47500.00")
    [refusal] = receipt["data"]["refused"]
    assert (refusal["position"], refusal["reference"], refusal["rule"]) == (7, "P-7", "self-transfer")
    assert len(trace["data"]["edges"]) == 19


async def test_the_graph_is_reloaded_from_the_store_after_a_restart(
    fius: Fius, service_settings: ServiceSettingsFactory
) -> None:
    legs = round_trip(datetime.now(UTC) - timedelta(hours=1), "e2e5")
    settings = service_settings(Settings)
    async with running(settings):
        for country, report in legs[:2]:
            await fius.send(country, "report-submitted", report)
        await fius.wait_for("CO", "report-recorded")
    async with running(settings):
        country, report = legs[2]
        await fius.send(country, "report-submitted", report)
        found = await fius.wait_for("PE", "pattern-detected")

    assert [f["data"]["pattern"] for f in found] == ["circular-flow"]
    assert len(found[0]["data"]["evidence"]) == 3


@asynccontextmanager
async def snapshot_heads(settings: Settings) -> AsyncIterator[AsyncCollection[Document]]:
    client = mongo_client(settings.mongo_url)
    try:
        yield client[database_name(settings.database_prefix, "finance-trace")]["changelog_heads"]
    finally:
        await client.close()


async def snapshot_written(settings: Settings) -> None:
    deadline = time.monotonic() + 30
    async with snapshot_heads(settings) as heads:
        while await heads.find_one({}) is None:
            assert time.monotonic() < deadline, "the instance wrote no snapshot of its changelog"
            await asyncio.sleep(0.2)


async def restarted(settings: Settings, source: str) -> AsgiFastStream:
    """The service to start again from its snapshot (and the changelog since) or, with none, from the store."""
    if source == "store":  # as at the first start with a changelog
        async with snapshot_heads(settings) as heads:
            await heads.delete_many({})
    return create_app(settings)


@pytest.mark.parametrize("source", ["snapshot", "store"])
async def test_a_finding_told_before_a_restart_is_revised_after_it(
    fius: Fius, service_settings: ServiceSettingsFactory, source: str
) -> None:
    legs = round_trip(datetime.now(UTC) - timedelta(hours=1), f"e2e8{source}")
    settings = service_settings(Settings)
    async with running(settings):
        for country, report in legs:
            await fius.send(country, "report-submitted", report)
        await fius.wait_for("PE", "pattern-detected")
        await snapshot_written(settings)
    service = await restarted(settings, source)
    async with service.start_lifespan_context():
        await fius.send("PE", "report-submitted", {**legs[2][1], "reporting_entity": BANKS["PE"]})  # PE saw it arrive
        first, revised = await fius.wait_for("PE", "pattern-detected", count=2)
        loaded = await scraped(service, "andina_changelog_start_seconds")

    assert {dict(labels)["source"] for labels in loaded} >= {source}
    assert (revised["data"]["detection_id"], revised["data"]["revision"]) == (first["data"]["detection_id"], 2)
    assert revised["data"]["supersedes"] == first["id"]


@pytest.mark.parametrize("source", ["snapshot", "store"])
async def test_what_owners_disclosed_and_traces_showed_before_a_restart_stand_after_it(
    fius: Fius, service_settings: ServiceSettingsFactory, source: str
) -> None:
    now = datetime.now(UTC)
    settings = service_settings(Settings)
    async with running(settings):
        await fius.send("PE", "report-submitted", wire("PE-1", 30))
        await fius.send("CO", "report-submitted", reversed_wire("CO-1", 10))
        await fius.wait_for("PE", "subject-shared")
        await fius.send("BO", "trace-requested", trace_request(PE_ACCOUNT["ref"], now))  # BO holds neither account
        await fius.wait_for("BO", "trace-completed")
        await fius.send("PE", "detail-requested", {"subject": CO_ACCOUNT["ref"], "owner": "CO", "purpose": "ROS 5"})
        (received,) = await fius.wait_for("CO", "detail-request-received")
        decision = {"request_id": received["data"]["request_id"], "decision": "approved", "details": {"holder": "X"}}
        await fius.send("CO", "detail-decided", decision)
        await fius.wait_for("PE", "detail-answered")
        await snapshot_written(settings)
    service = await restarted(settings, source)
    async with service.start_lifespan_context():
        await fius.send("BO", "detail-requested", {"subject": CO_ACCOUNT["ref"], "owner": "CO", "purpose": "ROS 6"})
        await fius.send("PE", "trace-requested", trace_request(PE_ACCOUNT["ref"], now))
        (trace,) = await fius.wait_for("PE", "trace-completed")
        received_then = await fius.wait_for("CO", "detail-request-received", count=2)
        loaded = await scraped(service, "andina_changelog_start_seconds")

    assert {dict(labels)["source"] for labels in loaded} >= {source}
    assert [r["data"]["requester"] for r in received_then] == ["PE", "BO"]
    nodes = {n["ref"]: n for n in trace["data"]["nodes"]}
    assert nodes[CO_ACCOUNT["ref"]]["disclosed"] == {"CO.holder": "X"}
