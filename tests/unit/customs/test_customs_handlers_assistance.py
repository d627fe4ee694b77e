"""Mutual-assistance handlers over in-memory fakes: who receives what, what is kept, scheduled and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID, uuid4

import pytest

from andina.contract.envelope import Handling
from andina.contract.events import customs as types
from andina.contract.events.customs.assistance import (
    AssistanceAnswer,
    AssistanceClosure,
    AssistanceRequest,
    AssistanceStatusUpdate,
    RequestStatus,
    SpontaneousAssistance,
)
from andina.contract.rejections import Reason, Rejected
from andina.customs.handlers import assistance
from andina.customs.handlers.ports import Ports
from andina.shared.gate import Inbound
from andina.shared.publishing import Outgoing
from andina.shared.timers import Timer
from tests.customs_samples import verification_request
from tests.fakes import delivered_to, inbound
from tests.unit.customs.fakes import Customs, counted


def requested(administration: str = "BO", **changes: Any) -> Inbound[AssistanceRequest]:
    """PE asks ``administration`` to verify a declaration, as h2."""
    payload = AssistanceRequest.model_validate(verification_request(administration, **changes))
    return inbound(types.ASSISTANCE_REQUESTED, payload, "PE", handling=Handling.H2)


async def request(ports: Ports, administration: str = "BO", **changes: Any) -> UUID:
    """PE's request, handled; its id."""
    event = requested(administration, **changes)
    await assistance.assistance_requested(event, ports)
    return event.envelope.id


async def update(ports: Ports, sender: str, request_id: UUID, status: str, **fields: Any) -> list[Outgoing]:
    payload = AssistanceStatusUpdate.model_validate({"request_id": str(request_id), "status": status, **fields})
    return await assistance.assistance_status_updated(inbound(types.ASSISTANCE_STATUS_UPDATED, payload, sender), ports)


def answered(sender: str, request_id: UUID) -> Inbound[AssistanceAnswer]:
    payload = AssistanceAnswer.model_validate(
        {"request_id": str(request_id), "outcome": "answered", "findings": "84,2 kg."}
    )
    return inbound(types.ASSISTANCE_ANSWERED, payload, sender)


async def answer(ports: Ports, sender: str, request_id: UUID) -> list[Outgoing]:
    return await assistance.assistance_answered(answered(sender, request_id), ports)


async def close(ports: Ports, sender: str, request_id: UUID) -> list[Outgoing]:
    payload = AssistanceClosure(request_id=request_id)
    return await assistance.assistance_closed(inbound(types.ASSISTANCE_CLOSED, payload, sender), ports)


def spontaneous(recipients: list[str]) -> Inbound[SpontaneousAssistance]:
    """BO tells ``recipients`` of a truck with undeclared mercury."""
    subject = {"conveyances": [{"mode": "road", "identifier": "V4X-882"}]}
    information = {"recipients": recipients, "subject": subject, "facts": "Camión con mercurio no declarado."}
    return inbound(types.SPONTANEOUS_ASSISTANCE_SENT, SpontaneousAssistance.model_validate(information), "BO")


def due(customs: Customs, kind: str) -> Timer:
    [(timer_id, scheduled)] = customs.timers.of_kind(kind).items()
    return Timer(timer_id, kind, scheduled.due_at, scheduled.data, "slot")


async def test_a_request_reaches_the_requested_administration_only_and_is_kept_with_its_deadlines() -> None:
    customs = Customs()
    ports = customs.ports()
    event = requested("BO")

    outputs = await assistance.assistance_requested(event, ports)

    delivered = delivered_to(outputs, types.ASSISTANCE_REQUEST_DELIVERED)
    assert list(delivered) == ["BO"]
    assert (delivered["BO"]["request_id"], delivered["BO"]["requester"]) == (str(event.envelope.id), "PE")
    assert outputs[0].attributes["handling"] == "h2"
    deadline = customs.clock() + dt.timedelta(days=30)  # a routine request without a deadline of its own
    assert customs.cases.records[event.envelope.id].case.deadline == deadline
    assert sorted(t.due_at for t in customs.timers.pending.values()) == [
        deadline - dt.timedelta(hours=48),
        deadline - dt.timedelta(hours=4),
        deadline,
    ]
    assert customs.audit.actions() == [("delivered", "BO", f"assistance-request/{event.envelope.id}")]
    assert counted(ports.metrics.requests, requester="PE", requested="BO", urgency="routine") == 1


async def test_a_request_handled_again_gives_the_same_events_and_keeps_one_case() -> None:
    customs = Customs()
    ports = customs.ports()
    event = requested("BO")

    first = await assistance.assistance_requested(event, ports)
    customs.clock.advance(dt.timedelta(minutes=5))
    again = await assistance.assistance_requested(event, ports)

    assert [o.attributes["id"] for o in again] == [o.attributes["id"] for o in first]
    assert len(customs.cases.records) == 1
    assert len(customs.timers.pending) == 3  # the same timer ids, scheduled again
    assert counted(ports.metrics.requests, requester="PE", requested="BO", urgency="routine") == 1


@pytest.mark.parametrize(
    ("requested", "changes", "reason", "detail"),
    [
        ("PE", {}, Reason.INVALID_PAYLOAD, "another administration than the requester"),
        ("VE", {}, Reason.UNKNOWN_COUNTRY, "'VE' is not a member country"),
        ("BO", {"deadline": "2026-12-01T00:00:00Z"}, Reason.INVALID_PAYLOAD, "has already passed"),
    ],
    ids=["to-itself", "to-a-non-member", "past-deadline"],
)
async def test_a_bad_request_is_refused_and_nothing_is_kept(
    requested: str, changes: dict[str, Any], reason: Reason, detail: str
) -> None:
    customs = Customs()

    with pytest.raises(Rejected) as refused:
        await request(customs.ports(), requested, **changes)

    assert refused.value.reason is reason
    assert detail in refused.value.detail
    assert (customs.cases.records, customs.timers.pending, customs.audit.by_id) == ({}, {}, {})


async def test_a_status_change_by_the_requested_administration_goes_back_to_the_requester_only() -> None:
    customs = Customs()
    ports = customs.ports()
    request_id = await request(ports)

    outputs = await update(ports, "BO", request_id, "acknowledged")

    changed = delivered_to(outputs, types.ASSISTANCE_STATUS_CHANGED)
    assert list(changed) == ["PE"]
    assert (changed["PE"]["status"], changed["PE"]["previous"], changed["PE"]["changed_by"]) == (
        "acknowledged",
        "submitted",
        "BO",
    )
    assert customs.cases.records[request_id].case.status is RequestStatus.ACKNOWLEDGED
    assert len(customs.timers.pending) == 3  # still owed: reminders and deadline stay


@pytest.mark.parametrize("sender", ["EC", "PE"], ids=["a-third-country", "the-requester"])
async def test_a_reply_from_anyone_but_the_requested_administration_is_refused_without_revealing_the_request(
    sender: str,
) -> None:
    customs = Customs()
    ports = customs.ports()
    request_id = await request(ports)

    with pytest.raises(Rejected) as refused:
        await answer(ports, sender, request_id)

    assert refused.value.reason is Reason.UNAUTHORIZED
    assert f"{sender} received no assistance request {request_id}" in refused.value.detail
    assert customs.cases.records[request_id].case.status is RequestStatus.SUBMITTED


async def test_a_reply_to_an_unknown_request_gets_the_same_answer_as_to_someone_elses() -> None:
    unknown = uuid4()

    with pytest.raises(Rejected) as refused:
        await update(Customs().ports(), "BO", unknown, "acknowledged")

    assert (refused.value.reason, refused.value.detail) == (
        Reason.UNAUTHORIZED,
        f"BO received no assistance request {unknown}",
    )


async def test_the_answer_reaches_the_requester_only_is_audited_and_ends_the_reminders() -> None:
    customs = Customs()
    ports = customs.ports()
    request_id = await request(ports)

    outputs = await answer(ports, "BO", request_id)

    assert list(delivered_to(outputs, types.ASSISTANCE_ANSWER_DELIVERED)) == ["PE"]
    assert delivered_to(outputs, types.ASSISTANCE_ANSWER_DELIVERED)["PE"]["responder"] == "BO"
    assert customs.timers.pending == {}
    assert ("delivered", "PE", f"assistance-request/{request_id}") in customs.audit.actions()
    assert counted(ports.metrics.transitions, status="answered", by="BO") == 1


async def test_an_answer_handled_again_gives_the_same_event_and_moves_nothing_twice() -> None:
    customs = Customs()
    ports = customs.ports()
    request_id = await request(ports)
    event = answered("BO", request_id)

    first = await assistance.assistance_answered(event, ports)
    again = await assistance.assistance_answered(event, ports)

    assert [o.attributes["id"] for o in again] == [o.attributes["id"] for o in first]
    assert len(customs.cases.records[request_id].steps) == 1


async def test_a_status_that_cannot_follow_the_current_one_is_refused() -> None:
    customs = Customs()
    ports = customs.ports()
    request_id = await request(ports)
    await answer(ports, "BO", request_id)

    with pytest.raises(Rejected) as refused:
        await update(ports, "BO", request_id, "acknowledged")

    assert refused.value.reason is Reason.INVALID_PAYLOAD
    assert "is answered: cannot be acknowledged" in refused.value.detail


async def test_only_the_requester_closes_and_the_closure_reaches_the_requested_administration() -> None:
    customs = Customs()
    ports = customs.ports()
    request_id = await request(ports)

    with pytest.raises(Rejected, match=f"only the requester PE closes request {request_id}"):
        await close(ports, "BO", request_id)
    outputs = await close(ports, "PE", request_id)

    changed = delivered_to(outputs, types.ASSISTANCE_STATUS_CHANGED)
    assert (list(changed), changed["BO"]["status"]) == (["BO"], "closed")
    assert customs.timers.pending == {}
    with pytest.raises(Rejected, match="already closed"):
        await close(ports, "PE", request_id)


async def test_a_reminder_goes_to_the_requested_administration_and_the_overdue_notice_to_both() -> None:
    customs = Customs()
    ports = customs.ports()
    request_id = await request(ports, "BO", deadline="2026-12-08T09:00:00Z")  # in 24 h: one reminder (48 h) is past
    [reminder_id] = customs.timers.of_kind(assistance.REMINDER)

    reminded = await assistance.deadline_reminder(due(customs, assistance.REMINDER), ports)
    overdue = await assistance.deadline_passed(due(customs, assistance.OVERDUE), ports)

    assert list(delivered_to(reminded, types.ASSISTANCE_REMINDER)) == ["BO"]
    assert reminder_id.startswith(f"assistance/{request_id}/reminder-")
    notices = delivered_to(overdue, types.ASSISTANCE_OVERDUE)
    assert sorted(notices) == ["BO", "PE"]
    assert notices["PE"]["request_id"] == str(request_id)
    assert counted(ports.metrics.overdue, requested="BO") == 1


async def test_a_deadline_of_a_request_already_answered_sends_nothing() -> None:
    customs = Customs()
    ports = customs.ports()
    request_id = await request(ports)
    overdue = due(customs, assistance.OVERDUE)
    await answer(ports, "BO", request_id)

    assert await assistance.deadline_passed(overdue, ports) == []


async def test_spontaneous_assistance_reaches_the_named_administrations_and_each_delivery_is_audited() -> None:
    customs = Customs()
    event = spontaneous(["CO", "EC"])

    outputs = await assistance.spontaneous_assistance_sent(event, customs.ports())

    delivered = delivered_to(outputs, types.SPONTANEOUS_ASSISTANCE_DELIVERED)
    assert sorted(delivered) == ["CO", "EC"]
    assert (delivered["CO"]["information_id"], delivered["CO"]["sender"]) == (str(event.envelope.id), "BO")
    subject = f"spontaneous-assistance/{event.envelope.id}"
    assert customs.audit.actions() == [("delivered", "CO", subject), ("delivered", "EC", subject)]


async def test_spontaneous_assistance_naming_its_own_sender_is_refused() -> None:
    customs = Customs()

    with pytest.raises(Rejected) as refused:
        await assistance.spontaneous_assistance_sent(spontaneous(["BO", "CO"]), customs.ports())

    assert (refused.value.reason, refused.value.detail) == (
        Reason.INVALID_PAYLOAD,
        "spontaneous assistance goes to other administrations",
    )
    assert customs.audit.by_id == {}
