"""Assisted return of trafficking victims through the bus: a full case EC -> PE through CO, a
minor's case escalating when the origin is silent (across a restart), refusals, and a
programme-only member that may take part in returns and nothing else."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from uuid import UUID

import pytest
from pymongo import AsyncMongoClient

from andina.alerts.settings import Settings
from andina.contract.client import AgencyClient
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Envelope, Handling
from andina.contract.events.returns import OPENED
from andina.contract.topics import DEAD_LETTER, TopicRegistry
from andina.deploy.kafka_users import KafkaUsers
from andina.shared.audit import AuditTrail, Verdict
from andina.shared.store import Document, database_name, mongo_client
from tests.conftest import Keys
from tests.e2e.alerts.conftest import Reader, running

pytestmark = pytest.mark.integration

T = "andina.alerts.{}.v1".format
MINOR = {**OPENED, "age_group": "minor", "guardian": "DINAPEN, tutora asignada"}
PLAN = {"receiving_agency": "MIMP", "placement": "shelter", "follow_up_agency": "MIMP, UPE Lima"}


def travel_through_colombia() -> dict[str, Any]:
    now = datetime.now(UTC)
    at = {hours: (now + timedelta(hours=hours)).isoformat() for hours in (1, 2, 12, 24)}
    leg = {"country": "CO", "enters_at": at[2], "leaves_at": at[12], "border_posts": "Rumichaca - Puerto Asís"}
    return {"departs_at": at[1], "arrives_at": at[24], "route": [leg], "escort": "DINAPEN", "travel_document": "SC-114"}


def statuses(events: list[Envelope]) -> list[str]:
    return [e.data["status"] for e in events if e.type == T("return-case-update")]


async def stored(settings: Settings, mongo_url: str, collection: str, query: Document) -> list[Document]:
    client: AsyncMongoClient[Document] = AsyncMongoClient(mongo_url)
    try:
        db = client[database_name(settings.database_prefix, "alerts")]
        return [d async for d in db[collection].find(query)]
    finally:
        await client.close()


async def sealed_trail(settings: Settings, mongo_url: str, entries: int) -> Verdict:
    """The audit trail's verdict once its sealer (every second) has linked ``entries`` entries."""
    client = mongo_client(mongo_url)  # as the service reads it: the digests cover time zones
    try:
        trail = AuditTrail(client[database_name(settings.database_prefix, "alerts")])
        for _ in range(40):
            verdict = await trail.verify()
            if verdict.length >= entries:
                break
            await asyncio.sleep(0.25)
        return verdict
    finally:
        await client.close()


async def test_a_full_case_from_ecuador_to_peru_through_colombia_which_sees_only_its_leg(
    alerts_settings: Settings, agencies: dict[str, AgencyClient], inbox: Reader, mongo_url: str
) -> None:
    settings = alerts_settings.model_copy(update={"return_retention": 1.0})
    ec, pe = agencies["EC"], agencies["PE"]
    opened = ec.event(T("return-case-opened"), OPENED, Handling.H3)
    case = {"case_id": str(opened.id)}

    def now() -> str:
        return datetime.now(UTC).isoformat()

    def follow_up(day: int) -> dict[str, Any]:
        return {**case, "day": day, "outcome": "estable"}

    steps: list[tuple[AgencyClient, str, Callable[[], dict[str, Any]]]] = [
        (pe, "return-reception-proposed", lambda: {**case, "identity_verified": True, "reception": PLAN}),
        (ec, "return-travel-planned", lambda: {**case, "travel": travel_through_colombia()}),
        (pe, "return-travel-agreed", lambda: case),
        (ec, "return-handover-confirmed", lambda: {**case, "at": now()}),
        (pe, "return-reception-confirmed", lambda: {**case, "at": now()}),
        *((pe, "return-follow-up-recorded", partial(follow_up, day)) for day in (30, 90, 180)),
        (ec, "return-case-closed", lambda: case),
    ]

    async with running(settings):
        await ec.submit("alerts", opened)
        for done, (agency, event_type, data) in enumerate(steps, start=1):
            await inbox("EC", done)  # each country submits on its own partition: one step after the other
            await agency.submit("alerts", agency.event(T(event_type), data(), Handling.H3))
        to_ec, to_pe = await inbox("EC", 10), await inbox("PE", 10)
        to_co, to_bo = await inbox("CO", 2, within=2), await inbox("BO", 1, within=0.5)
        removed = await stored(settings, mongo_url, "audit", {"action": "personal-data-removed"})
        for _ in range(40):  # the removal is due 1 s after the closure, on the timer loop
            if removed:
                break
            await asyncio.sleep(0.25)
            removed = await stored(settings, mongo_url, "audit", {"action": "personal-data-removed"})
        await pe.submit("alerts", pe.event(T("return-case-withdrawn"), {**case, "ground": "x"}, Handling.H3))
        refusal = await inbox("PE", 11)
        # 10 updates to each country, 1 transit notice, the removal
        verdict = await sealed_trail(settings, mongo_url, 2 * 10 + 1 + 1)

    expected = ["opened", "reception-proposed", "travel-planned", "travel-agreed", "handed-over", "received"]
    assert statuses(to_ec) == statuses(to_pe) == [*expected, "received", "received", "received", "closed"]
    assert to_pe[-1].data["follow_ups"] == {"30": "estable", "90": "estable", "180": "estable"}
    assert {e.handling for e in to_ec + to_pe + to_co} == {Handling.H3}
    assert [e.type for e in to_co] == [T("return-transit")]
    assert to_co[0].data["leg"]["country"] == "CO"
    assert set(to_co[0].data) == {"case_id", "leg", "escort", "travel_document"}
    assert "Quispe" not in str(to_co[0].data)  # the victim's name
    assert to_bo == []
    [document] = await stored(settings, mongo_url, "return_cases", {"_id": str(opened.id)})
    assert (document["personal_data_removed"], document["opened"], document["travel"]) == (True, None, None)
    assert (document["corridor"], document["follow_up_days"], document["status"]) == ("EC-PE", [30, 90, 180], "closed")
    delivered = await stored(settings, mongo_url, "audit", {"subject": f"return-case/{opened.id}"})
    assert {d["actor"] for d in delivered if d["action"] == "delivered"} == {"EC", "PE", "CO"}
    assert len(removed) == 1
    assert (verdict.problems, verdict.length) == ([], 22)  # every entry in the hash chain
    assert (refusal[-1].type, refusal[-1].data["reason"]) == (T("event-rejected"), "not-found")


async def test_a_minors_case_has_shorter_deadlines_and_escalates_when_the_origin_is_silent_across_a_restart(
    alerts_settings: Settings, agencies: dict[str, AgencyClient], inbox: Reader
) -> None:
    settings = alerts_settings.model_copy(
        update={"return_step_deadline": 600, "return_step_deadline_shortened": 3.0, "return_reminder_at": 0.5}
    )
    ec = agencies["EC"]
    minor, adult = (ec.event(T("return-case-opened"), data, Handling.H3) for data in (MINOR, OPENED))

    async with running(settings):
        await ec.submit("alerts", minor)
        await ec.submit("alerts", adult)
        before_restart = await inbox("PE", 3)  # two cases, then the minor's reminder
    async with running(settings):  # a new process: the timers are in the store
        to_pe = await inbox("PE", 5, within=30)
        to_ec = await inbox("EC", 4, within=30)
        nothing_more = await inbox("PE", 6, within=2)

    deadlines = [e.data for e in to_pe if e.type == T("return-deadline")]
    assert before_restart[2].data["overdue"] is False
    assert {d["case_id"] for d in deadlines} == {str(minor.id)}
    assert [(d["overdue"], d["escalated_to"]) for d in deadlines] == [
        (False, None),
        (True, "alternate"),
        (True, "coordinator"),
    ]
    assert {(d["awaiting"], d["responsible"]) for d in deadlines} == {("reception-proposed", "PE")}
    assert all(d["contact"] for d in deadlines[1:])  # Peru's alternate, then its coordinator, from the directory
    assert deadlines[1]["contact"] != deadlines[2]["contact"]
    told = [e.data["escalated_to"] for e in to_ec if e.type == T("return-deadline")]
    assert told == ["alternate", "coordinator"]  # the other country of the case hears of the escalation
    assert len(nothing_more) == 5


async def test_bad_input_is_refused_with_its_rule_and_changes_nothing(
    alerts_settings: Settings, agencies: dict[str, AgencyClient], inbox: Reader
) -> None:
    ec, co = agencies["EC"], agencies["CO"]
    opened = ec.event(T("return-case-opened"), OPENED, Handling.H3)
    bad = [
        ec.event(T("return-case-opened"), {**OPENED, "consent_given": False}, Handling.H3),
        ec.event(T("return-case-opened"), {**MINOR, "guardian": None}, Handling.H3),
        ec.event(T("return-case-opened"), OPENED, Handling.H2),
    ]
    by_outsider = co.event(T("return-case-withdrawn"), {"case_id": str(opened.id), "ground": "x"}, Handling.H3)

    async with running(alerts_settings):
        await ec.submit("alerts", opened)
        # Two countries' partitions carry no order between them: CO acts once the case is open.
        await inbox("EC", 1)
        for event in bad:
            await ec.submit("alerts", event)
        await co.submit("alerts", by_outsider)
        to_ec, to_co = await inbox("EC", 4), await inbox("CO", 1)
        to_pe = await inbox("PE", 2, within=2)
        dead = await inbox("EC", 3, stream=DEAD_LETTER)

    refusals = [(e.data["event_id"], e.data["reason"]) for e in to_ec if e.type == T("event-rejected")]
    assert refusals == [(str(e.id), "invalid-payload") for e in bad]
    assert [d.data["detail"] for d in to_ec if d.type == T("event-rejected")][:2] == [
        "no return case without the victim's informed consent",
        "a minor's return case names the minor's guardian",
    ]
    assert (to_co[0].data["reason"], to_co[0].data["detail"]) == (
        "unauthorized",
        f"CO is not a country of return case {opened.id}",
    )
    assert statuses(to_pe) == ["opened"]  # the outsider's withdrawal changed nothing
    assert [dict(r.headers)["andina-dlq-reason"] for r in dead] == [b"invalid-payload"] * 3


async def test_a_programme_only_member_runs_a_case_and_is_refused_everything_else(
    alerts_settings: Settings,
    kafka_bootstrap: str,
    kafka_users: KafkaUsers | None,
    keys: Keys,
    countries: CountryRegistry,
    topics: TopicRegistry,
    agencies: dict[str, AgencyClient],
    inbox: Reader,
) -> None:
    # The stack's admin carries Chile's signed events here; tests/security shows Chile's own Kafka user.
    admin = kafka_users.admin() if kafka_users else None
    async with AgencyClient(kafka_bootstrap, keys.signers["CL"], countries, topics, auth=admin) as cl:
        opened = cl.event(T("return-case-opened"), {**OPENED, "origin_country": "PY"}, Handling.H3)
        message = {"subject": "Consulta", "body": "¿Antecedentes?", "recipients": ["PE"]}
        outside = [cl.event(T("message-sent"), message, Handling.H1), cl.event(T("alert-raised"), {}, Handling.H1)]
        async with running(alerts_settings):
            await cl.submit("alerts", opened)
            for event in outside:
                await cl.submit("alerts", event)
            to_cl, to_py = await inbox("CL", 3), await inbox("PY", 1)
            to_pe = await inbox("PE", 1, within=2)

    assert statuses(to_py) == ["opened"]
    assert to_py[0].data["destination"] == "CL"
    refusals = [(UUID(e.data["event_id"]), e.data["reason"]) for e in to_cl if e.type == T("event-rejected")]
    assert refusals == [(e.id, "unauthorized") for e in outside]
    assert to_pe == []
