"""Mutual assistance on the real Kafka and store: PE asks BO to verify a declaration."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest

from andina.contract.client import AgencyClient
from andina.contract.envelope import Handling
from andina.contract.events import customs as types
from andina.customs.settings import Settings
from tests import customs_e2e
from tests.customs_e2e import REJECTED, Partitions, running, stored
from tests.customs_samples import verification_request

pytestmark = pytest.mark.integration

EVERYTHING = [
    types.ASSISTANCE_REQUEST_DELIVERED,
    types.ASSISTANCE_STATUS_CHANGED,
    types.ASSISTANCE_ANSWER_DELIVERED,
    types.ASSISTANCE_REMINDER,
    types.ASSISTANCE_OVERDUE,
]


async def send(agency: AgencyClient, event_type: str, data: Mapping[str, object]) -> str:
    """Assistance travels as h2 here: not to be passed on without the provider's consent."""
    return await customs_e2e.send(agency, event_type, data, Handling.H2)


async def test_bo_acknowledges_and_answers_pes_request_and_only_pe_receives_the_answer(
    settings: Settings, agencies: dict[str, AgencyClient], partitions: Partitions, mongo_url: str
) -> None:
    pe, bo = agencies["PE"], agencies["BO"]

    async with running(settings):
        request_id = await send(pe, types.ASSISTANCE_REQUESTED, verification_request("BO"))
        [request] = await partitions.read("BO", [types.ASSISTANCE_REQUEST_DELIVERED])
        await send(bo, types.ASSISTANCE_STATUS_UPDATED, {"request_id": request_id, "status": "acknowledged"})
        [acknowledged] = await partitions.read("PE", [types.ASSISTANCE_STATUS_CHANGED])
        answer = {"request_id": request_id, "outcome": "answered", "findings": "DUI 2026-201-C-777 declara 84,2 kg."}
        await send(bo, types.ASSISTANCE_ANSWERED, answer)
        [answered] = await partitions.read("PE", [types.ASSISTANCE_ANSWER_DELIVERED])
        seen = {c: await partitions.read(c, EVERYTHING, count=99, within=2.0) for c in ("BO", "CO", "EC")}
        audit = await stored(mongo_url, settings, "audit", count=3)
        chain = await stored(mongo_url, settings, "audit_chain", count=3)  # sealed by the running service

    assert (request["data"]["request_id"], request["data"]["requester"], request["handling"]) == (
        request_id,
        "PE",
        "h2",
    )
    assert (acknowledged["data"]["status"], acknowledged["data"]["changed_by"]) == ("acknowledged", "BO")
    assert (answered["data"]["responder"], answered["data"]["findings"]) == ("BO", answer["findings"])
    assert [e["type"] for e in seen["BO"]] == [types.ASSISTANCE_REQUEST_DELIVERED]
    assert seen["CO"] == seen["EC"] == []
    assert sorted((entry["actor"], entry["event_type"]) for entry in audit) == [
        ("BO", types.ASSISTANCE_REQUEST_DELIVERED),  # who received the personal data
        ("PE", types.ASSISTANCE_ANSWER_DELIVERED),
        ("PE", types.ASSISTANCE_STATUS_CHANGED),
    ]
    assert {entry["subject"] for entry in audit} == {f"assistance-request/{request_id}"}  # and which record
    assert sorted(link["entry"] for link in chain) == sorted(entry["_id"] for entry in audit)
    assert [link["_id"] for link in sorted(chain, key=lambda link: link["_id"])] == [1, 2, 3]


async def test_a_request_left_unanswered_gets_a_reminder_then_goes_overdue_and_a_refused_one_does_not(
    settings: Settings, agencies: dict[str, AgencyClient], partitions: Partitions, mongo_url: str
) -> None:
    quick = settings.model_copy(update={"customs_assistance_reminder_hours": [3 / 3600]})

    def soon(seconds: float) -> str:
        return (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)).isoformat()

    async with running(quick):
        refused_id = await send(
            agencies["PE"], types.ASSISTANCE_REQUESTED, verification_request("CO", deadline=soon(60))
        )
        await partitions.read("CO", [types.ASSISTANCE_REQUEST_DELIVERED])  # the service is consuming now
        refusal = {"request_id": refused_id, "status": "refused", "ground": "judicial-proceedings"}
        await send(agencies["CO"], types.ASSISTANCE_STATUS_UPDATED, refusal)
        [refused] = await partitions.read("PE", [types.ASSISTANCE_STATUS_CHANGED])
        late_id = await send(agencies["PE"], types.ASSISTANCE_REQUESTED, verification_request("BO", deadline=soon(6)))
        overdue = {c: await partitions.read(c, [types.ASSISTANCE_OVERDUE], within=45.0) for c in ("PE", "BO")}
        reminded = await partitions.read("BO", [types.ASSISTANCE_REMINDER])
        timers = await stored(mongo_url, quick, "timers", count=0)

    assert [e["data"]["request_id"] for e in overdue["PE"]] == [e["data"]["request_id"] for e in overdue["BO"]]
    assert [e["data"]["request_id"] for e in overdue["PE"]] == [late_id]
    assert [e["data"]["request_id"] for e in reminded] == [late_id]
    assert (refused["data"]["status"], refused["data"]["ground"]) == ("refused", "judicial-proceedings")
    assert [t["_id"] for t in timers if refused_id in t["_id"]] == []  # its reminders and deadline were cancelled


async def test_a_reply_to_a_request_the_sender_did_not_receive_is_refused_and_changes_nothing(
    settings: Settings, agencies: dict[str, AgencyClient], partitions: Partitions
) -> None:
    async with running(settings):
        request_id = await send(agencies["PE"], types.ASSISTANCE_REQUESTED, verification_request("BO"))
        answer = {"request_id": request_id, "outcome": "answered", "findings": "Todo en orden."}
        intruder_id = await send(agencies["EC"], types.ASSISTANCE_ANSWERED, answer)
        [refused] = await partitions.read("EC", [REJECTED])
        requester_id = await send(
            agencies["PE"], types.ASSISTANCE_STATUS_UPDATED, {"request_id": request_id, "status": "acknowledged"}
        )
        [refused_too] = await partitions.read("PE", [REJECTED])
        await send(
            agencies["BO"], types.ASSISTANCE_STATUS_UPDATED, {"request_id": request_id, "status": "acknowledged"}
        )
        [acknowledged] = await partitions.read("PE", [types.ASSISTANCE_STATUS_CHANGED])
        answers = await partitions.read("PE", [types.ASSISTANCE_ANSWER_DELIVERED], within=2.0)

    assert (refused["data"]["event_id"], refused["data"]["reason"]) == (intruder_id, "unauthorized")
    assert f"EC received no assistance request {request_id}" in refused["data"]["detail"]
    assert (refused_too["data"]["event_id"], refused_too["data"]["reason"]) == (requester_id, "unauthorized")
    assert acknowledged["data"]["previous"] == "submitted"  # the intruder's answer did not move it
    assert answers == []


async def test_spontaneous_assistance_reaches_the_named_countries_only(
    settings: Settings, agencies: dict[str, AgencyClient], partitions: Partitions
) -> None:
    information = {
        "recipients": ["CO"],
        "subject": {"conveyances": [{"mode": "road", "identifier": "V4X-882"}]},
        "facts": "Camión con mercurio no declarado rumbo a la frontera norte.",
    }

    async with running(settings):
        sent_id = await send(agencies["BO"], types.SPONTANEOUS_ASSISTANCE_SENT, information)
        [delivered] = await partitions.read("CO", [types.SPONTANEOUS_ASSISTANCE_DELIVERED])
        others = {
            c: await partitions.read(c, [types.SPONTANEOUS_ASSISTANCE_DELIVERED], within=2.0) for c in ("EC", "PE")
        }

    assert (delivered["data"]["information_id"], delivered["data"]["sender"]) == (sent_id, "BO")
    assert others == {"EC": [], "PE": []}
