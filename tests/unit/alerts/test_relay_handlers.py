"""Relayed requests through their handlers: each update to the other party only, deadlines as timers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from andina.alerts.handlers import relay
from andina.contract.envelope import Handling
from andina.contract.events.catalogs.alerts import (
    REQUEST_ACKNOWLEDGED,
    REQUEST_ANSWERED,
    REQUEST_CLOSED,
    REQUEST_DEADLINE,
    REQUEST_REFUSED,
    REQUEST_SUBMITTED,
    REQUEST_UPDATE,
)
from andina.contract.events.relay import (
    RequestSubmitted,
)
from andina.contract.rejections import Reason
from tests.fakes import delivered_to, inbound
from tests.unit.alerts.fakes import Fakes, refusal

SUBMITTED = {
    "to": "CO",
    "subject": "Movimientos migratorios de Juan Mamani Quispe",
    "legal_basis": "Decisión 505, art. 4",
    "urgency": "urgent",
    "requesting_authority": "Fiscalía de La Paz",
}


async def submit(fakes: Fakes, **fields: Any) -> UUID:
    """BO asks CO (by default); the request's id (the submitting event's)."""
    event = inbound(REQUEST_SUBMITTED, RequestSubmitted.model_validate({**SUBMITTED, **fields}), "BO")
    await relay.request_submitted(event, fakes.ports)
    return event.envelope.id


async def test_a_submitted_request_goes_to_the_counterpart_with_a_reminder_and_a_deadline() -> None:
    fakes = Fakes()
    submitted = RequestSubmitted.model_validate(SUBMITTED)
    event = inbound(REQUEST_SUBMITTED, submitted, "BO", handling=Handling.H2)
    update = delivered_to(await relay.request_submitted(event, fakes.ports), REQUEST_UPDATE)
    assert list(update) == ["CO"]
    assert (update["CO"]["requester"], update["CO"]["status"], update["CO"]["subject"]) == (
        "BO",
        "received",
        SUBMITTED["subject"],
    )
    now = fakes.clock.now
    assert {t.kind: t.due_at for t in fakes.timers.pending.values()} == {
        relay.REMINDER: now + timedelta(hours=6),  # three quarters of an urgent request's 8 hours
        relay.OVERDUE: now + timedelta(hours=8),
    }
    assert fakes.counted("andina_requests_open") == 1


async def test_a_request_to_no_member_or_to_itself_is_refused() -> None:
    fakes = Fakes()
    assert await refusal(submit(fakes, to="AR")) is Reason.UNKNOWN_COUNTRY
    assert await refusal(submit(fakes, to="BO")) is Reason.INVALID_PAYLOAD
    assert (fakes.requests.by_id, fakes.timers.pending) == ({}, {})


async def test_only_the_counterpart_works_on_a_request_and_the_requester_hears_of_each_step() -> None:
    fakes = Fakes()
    request_id = await submit(fakes)
    assert await refusal(fakes.handle(REQUEST_ACKNOWLEDGED, "BO", request_id=request_id, by="Cap. Gómez")) is (
        Reason.UNAUTHORIZED
    )
    update = delivered_to(
        await fakes.handle(REQUEST_ACKNOWLEDGED, "CO", request_id=request_id, by="Cap. Gómez"), REQUEST_UPDATE
    )
    assert (list(update), update["BO"]["status"]) == (["BO"], "in-progress")
    again = fakes.handle(REQUEST_ACKNOWLEDGED, "CO", request_id=request_id, by="Cap. Gómez")
    assert await refusal(again) is Reason.DUPLICATE
    unknown = fakes.handle(REQUEST_ACKNOWLEDGED, "CO", request_id=uuid4(), by="Cap. Gómez")
    assert await refusal(unknown) is Reason.NOT_FOUND


SETTLED = [
    (REQUEST_ANSWERED, "answer", "Salió por Ipiales el 2 de diciembre", 3, "answered", True),
    (REQUEST_REFUSED, "ground", "Sin base legal para datos migratorios", 9, "refused", False),
]


@pytest.mark.parametrize(("event_type", "field", "text", "hours", "outcome", "in_time"), SETTLED)
async def test_an_answer_or_a_refusal_reaches_the_requester_says_whether_in_time_and_stops_the_timers(
    event_type: str, field: str, text: str, hours: int, outcome: str, in_time: bool
) -> None:
    fakes = Fakes()
    request_id = await submit(fakes)
    fakes.clock.advance(timedelta(hours=hours))  # an urgent request has 8 hours
    settled: dict[str, Any] = {"request_id": request_id, field: text}
    update = delivered_to(await fakes.handle(event_type, "CO", **settled), REQUEST_UPDATE)
    assert (list(update), update["BO"]["status"], update["BO"][field], update["BO"]["in_time"]) == (
        ["BO"],
        outcome,
        text,
        in_time,
    )
    assert (fakes.timers.pending, len(fakes.timers.cancelled), fakes.counted("andina_requests_open")) == ({}, 2, 0)
    labels = {"requester": "BO", "counterpart": "CO", "urgency": "urgent"}
    assert fakes.counted("andina_requests_settled_total", **labels, outcome=outcome, in_time=str(in_time).lower()) == 1
    again = fakes.handle(event_type, "CO", **{**settled, field: "otra vez"})
    assert await refusal(again) is Reason.INVALID_PAYLOAD


async def test_only_the_requester_closes_and_the_counterpart_is_told() -> None:
    fakes = Fakes()
    request_id = await submit(fakes)
    assert await refusal(fakes.handle(REQUEST_CLOSED, "CO", request_id=request_id)) is Reason.UNAUTHORIZED
    update = delivered_to(await fakes.handle(REQUEST_CLOSED, "BO", request_id=request_id), REQUEST_UPDATE)
    assert (list(update), update["CO"]["status"]) == (["CO"], "closed")
    assert fakes.timers.pending == {}
    assert await refusal(fakes.handle(REQUEST_CLOSED, "BO", request_id=request_id)) is Reason.DUPLICATE


async def test_the_counterpart_is_reminded_then_both_are_told_the_request_is_overdue() -> None:
    fakes = Fakes()
    request_id = await submit(fakes)
    reminder_id, overdue_id = f"request/{request_id}/reminder", f"request/{request_id}/overdue"
    reminder = delivered_to(await fakes.fire(reminder_id), REQUEST_DEADLINE)
    assert (list(reminder), reminder["CO"]["overdue"]) == (["CO"], False)
    overdue = delivered_to(await fakes.fire(overdue_id), REQUEST_DEADLINE)
    assert ({c: d["overdue"] for c, d in overdue.items()}) == {"BO": True, "CO": True}
    assert fakes.counted("andina_requests_overdue_total", requester="BO", counterpart="CO", urgency="urgent") == 1


async def test_no_deadline_notice_for_a_request_already_settled() -> None:
    fakes = Fakes()
    request_id = await submit(fakes)
    deadline = fakes.timers.pending[f"request/{request_id}/overdue"]
    await fakes.handle(REQUEST_ANSWERED, "CO", request_id=request_id, answer="Sin registros")
    fakes.timers.pending[f"request/{request_id}/overdue"] = deadline  # fired while the answer was being handled
    assert await fakes.fire(f"request/{request_id}/overdue") == []
