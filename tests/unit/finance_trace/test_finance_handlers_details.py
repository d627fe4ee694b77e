"""detail-requested, detail-decided and the detail-expiry timer: who may ask, who may answer, and when."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from andina.contract.events.catalogs.finance_trace import (
    DETAIL_ANSWERED,
    DETAIL_DECIDED,
    DETAIL_REQUEST_RECEIVED,
    DETAIL_REQUESTED,
)
from andina.contract.rejections import Reason, Rejected
from andina.finance_trace.handlers import HANDLERS, TIMERS
from andina.finance_trace.handlers.details import DETAIL_EXPIRY
from andina.shared.publishing import Outgoing
from andina.shared.timers import Timer
from tests.unit.finance_trace.fakes import Service
from tests.unit.finance_trace.reporting import CO_ACCOUNT, both_hold_the_accounts, event, handle

DETAILS = {"holder": "Importadora Andes SAS"}


async def ask(service: Service, asker: str = "PE", owner: str = "CO") -> tuple[UUID, list[Outgoing]]:
    """``asker`` asks ``owner`` about CO's account: the request's id, and what the service emits."""
    request = event(DETAIL_REQUESTED, {"subject": CO_ACCOUNT["ref"], "owner": owner, "purpose": "ROS 9"}, asker)
    return request.envelope.id, await HANDLERS[DETAIL_REQUESTED](request, service.ports)


async def decide(service: Service, request_id: UUID, decision: str, by: str = "CO", **more: Any) -> list[Outgoing]:
    return await handle(service, DETAIL_DECIDED, {"request_id": str(request_id), "decision": decision, **more}, by)


async def expire(service: Service, request_id: UUID) -> list[Outgoing]:
    """The request's expiry timer fires (as the timer loop would, whether or not it was cancelled meanwhile)."""
    timer = Timer(f"detail/{request_id}", DETAIL_EXPIRY, service.clock(), {"request": str(request_id)}, slot="unit")
    return await TIMERS[DETAIL_EXPIRY](timer, service.ports)


async def test_a_detail_request_goes_to_the_owner_with_its_deadline_which_a_timer_keeps() -> None:
    service = Service()
    await both_hold_the_accounts(service)

    request_id, (received,) = await ask(service)

    due = service.clock() + timedelta(hours=48)
    assert (received.recipient, received.attributes["type"]) == ("CO", DETAIL_REQUEST_RECEIVED)
    data = received.attributes["data"]
    assert (data["requester"], data["subject"]) == ("PE", CO_ACCOUNT["ref"])
    assert datetime.fromisoformat(data["answer_by"]) == due
    assert service.requests.cases[request_id].status == "pending"
    (timer,) = service.timers.of_kind(DETAIL_EXPIRY).values()
    assert (timer.due_at, timer.data) == (due, {"request": str(request_id)})
    assert service.audit.actions()[-1] == ("detail-request", "PE", CO_ACCOUNT["ref"])
    assert [e.why for e in service.audit.by_id.values()][-1] == "ROS 9"


@pytest.mark.parametrize(
    ("asker", "owner", "reason", "detail"),
    [
        ("BO", "CO", Reason.UNAUTHORIZED, "may ask only about subjects it holds or was shown"),
        ("PE", "EC", Reason.UNAUTHORIZED, "EC holds no data on this subject"),
        ("PE", "PE", Reason.INVALID_PAYLOAD, "does not ask itself"),
    ],
)
async def test_a_detail_request_goes_ahead_only_from_a_holder_or_viewer_to_a_holder(
    asker: str, owner: str, reason: Reason, detail: str
) -> None:
    service = Service()
    await both_hold_the_accounts(service)

    with pytest.raises(Rejected) as refused:
        await ask(service, asker, owner)

    assert refused.value.reason is reason
    assert detail in refused.value.detail
    assert (service.requests.cases, service.timers.pending) == ({}, {})


async def test_an_approval_goes_to_the_requester_and_its_details_show_in_the_requesters_later_traces() -> None:
    service = Service()
    await both_hold_the_accounts(service)
    request_id, _ = await ask(service)

    (answer,) = await decide(service, request_id, "approved", details=DETAILS)

    assert (answer.recipient, answer.attributes["type"]) == ("PE", DETAIL_ANSWERED)
    assert (answer.attributes["data"]["decision"], answer.attributes["data"]["details"]) == ("approved", DETAILS)
    assert service.requests.disclosed == {request_id: DETAILS}
    assert service.state.disclosures.granted("PE", CO_ACCOUNT["ref"]) == {"CO.holder": "Importadora Andes SAS"}
    assert service.timers.cancelled == [f"detail/{request_id}"]
    assert service.audit.actions()[-1] == ("detail-approved", "CO", CO_ACCOUNT["ref"])


async def test_a_refusal_discloses_nothing_and_one_with_details_is_itself_refused() -> None:
    service = Service()
    await both_hold_the_accounts(service)
    request_id, _ = await ask(service)

    with pytest.raises(Rejected) as refused:
        await decide(service, request_id, "refused", details=DETAILS)
    (answer,) = await decide(service, request_id, "refused", reason="under judicial secrecy")

    assert refused.value.reason is Reason.INVALID_PAYLOAD
    assert (answer.attributes["data"]["decision"], answer.attributes["data"]["details"]) == ("refused", {})
    assert service.requests.disclosed == {}
    assert service.state.disclosures.granted("PE", CO_ACCOUNT["ref"]) is None


async def test_only_the_owner_decides_and_only_once_but_the_same_decision_handled_again_says_the_same() -> None:
    service = Service()
    await both_hold_the_accounts(service)
    request_id, _ = await ask(service)
    decision = event(DETAIL_DECIDED, {"request_id": str(request_id), "decision": "approved", "details": DETAILS}, "CO")

    with pytest.raises(Rejected) as not_owner:
        await decide(service, request_id, "approved", by="EC")
    first = await HANDLERS[DETAIL_DECIDED](decision, service.ports)
    again = await HANDLERS[DETAIL_DECIDED](decision, service.ports)
    with pytest.raises(Rejected) as second:
        await decide(service, request_id, "refused")

    assert not_owner.value.reason is Reason.UNAUTHORIZED
    assert [o.attributes["id"] for o in first] == [o.attributes["id"] for o in again]
    assert second.value.reason is Reason.DUPLICATE
    assert "already approved" in second.value.detail


async def test_an_unanswered_request_expires_and_the_requester_is_told_once_on_the_owners_behalf() -> None:
    service = Service()
    await both_hold_the_accounts(service)
    request_id, _ = await ask(service)

    (answer,) = await expire(service, request_id)
    again = await expire(service, request_id)

    assert (answer.recipient, answer.attributes["data"]["decision"]) == ("PE", "expired")
    assert (answer.attributes["origin"], answer.attributes["causationid"]) == ("CO", str(request_id))
    assert [o.attributes["id"] for o in again] == [answer.attributes["id"]]
    with pytest.raises(Rejected):
        await decide(service, request_id, "approved", details=DETAILS)


async def test_a_request_answered_in_time_does_not_expire() -> None:
    service = Service()
    await both_hold_the_accounts(service)
    request_id, _ = await ask(service)
    await decide(service, request_id, "refused")

    assert await expire(service, request_id) == []
    assert service.counted("andina_finance_trace_detail_answers_total", outcome="expired") == 0
