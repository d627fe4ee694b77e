"""Firearm traces: the asked countries get the request with its deadline; an answer goes to the
requester and stops that country's deadline; a silent country makes the trace overdue for both."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from andina.contract.envelope import Handling
from andina.contract.events.catalogs import intel_exchange as catalog
from andina.contract.events.intel_reports import FirearmTraceAnswer, FirearmTraceRequest
from andina.contract.rejections import Reason, Rejected
from andina.intel_exchange.handlers.traces import (
    DEADLINE,
    deadline_timer,
    firearm_trace_answered,
    firearm_trace_overdue,
    firearm_trace_requested,
)
from andina.shared.gate import Inbound
from andina.shared.ids import derived_event_id
from andina.shared.timers import Timer
from tests.e2e.intel_exchange.test_intel_policies import TRACE_RULE
from tests.fakes import delivered_to
from tests.unit.intel_exchange.fakes import ROUTINE, URGENT, Fakes
from tests.unit.intel_exchange.samples import ARMY, sent

GLOCK: dict[str, Any] = {"make": "Glock", "model": "17", "serial_number": "BXK-448", "caliber": "9x19mm"}
GLOCK |= {"country_of_seizure": "EC", "recipients": ["BO", "PE"], "urgent": False}


def trace(agency: str = "policia", **changes: Any) -> Inbound[FirearmTraceRequest]:
    return sent(catalog.FIREARM_TRACE_REQUESTED, FirearmTraceRequest.model_validate(GLOCK | changes), "EC", agency)


def answer(request: Inbound[FirearmTraceRequest], country: str) -> Inbound[FirearmTraceAnswer]:
    found = FirearmTraceAnswer(request_id=request.envelope.id, result="found", details="imported 2019")
    return sent(catalog.FIREARM_TRACE_ANSWERED, found, country)


def fired(fakes: Fakes, timer_id: str) -> Timer:
    """The pending timer ``timer_id`` as the timer loop hands it to its handler."""
    scheduled = fakes.timers.pending[timer_id]
    return Timer(timer_id, scheduled.kind, scheduled.due_at, scheduled.data, slot="unit")


@pytest.mark.parametrize(("urgent", "deadline"), [(False, ROUTINE), (True, URGENT)], ids=["routine", "urgent"])
async def test_each_asked_country_gets_the_request_and_a_deadline(urgent: bool, deadline: timedelta) -> None:
    fakes = Fakes()
    request = trace(urgent=urgent)

    outputs = await firearm_trace_requested(request, fakes.ports)

    due_at = request.envelope.time + deadline
    received = delivered_to(outputs, catalog.FIREARM_TRACE_RECEIVED)
    assert sorted(received) == ["BO", "PE"]
    assert (received["BO"]["requester"], received["BO"]["due_at"]) == ("EC", due_at.isoformat())
    timers = fakes.timers.of_kind(DEADLINE)
    assert sorted(timers) == [deadline_timer(request.envelope.id, c) for c in ("BO", "PE")]
    assert {t.due_at for t in timers.values()} == {due_at}
    assert fakes.audited("trace-asked")["subject"] == str(request.envelope.id)


async def test_a_trace_is_refused_whole_when_one_asked_countrys_policy_refuses_the_asker() -> None:
    fakes = Fakes()
    fakes.policies.enact("BO", TRACE_RULE)

    with pytest.raises(Rejected) as refused:
        await firearm_trace_requested(trace(ARMY), fakes.ports)
    await firearm_trace_requested(trace(), fakes.ports)

    assert refused.value.reason is Reason.UNAUTHORIZED
    assert refused.value.detail.startswith("refused by the policies in force: BO: BO@v1/bo-no-traces-for-military")
    assert fakes.audited("trace-refused")["to"] == "BO"
    assert len(fakes.traces.traces) == 1
    assert len(fakes.timers.pending) == 2


async def test_a_trace_asking_only_its_sender_is_refused() -> None:
    with pytest.raises(Rejected) as refused:
        await firearm_trace_requested(trace(recipients=["EC"]), Fakes().ports)

    assert refused.value.reason is Reason.INVALID_PAYLOAD


async def test_an_answer_reaches_the_requester_and_stops_that_countrys_deadline_only() -> None:
    fakes = Fakes()
    request = trace()
    await firearm_trace_requested(request, fakes.ports)

    outputs = await firearm_trace_answered(answer(request, "BO"), fakes.ports)

    delivered = delivered_to(outputs, catalog.FIREARM_TRACE_ANSWER_DELIVERED)
    assert list(delivered) == ["EC"]
    assert (delivered["EC"]["answered_by"], delivered["EC"]["result"]) == ("BO", "found")
    assert fakes.timers.cancelled == [deadline_timer(request.envelope.id, "BO")]
    assert list(fakes.timers.pending) == [deadline_timer(request.envelope.id, "PE")]


async def test_an_answer_a_policy_enacted_since_the_request_refuses_is_withheld_and_the_trace_stays_open() -> None:
    fakes = Fakes()
    request = trace(ARMY)
    await firearm_trace_requested(request, fakes.ports)
    fakes.policies.enact("BO", TRACE_RULE)

    with pytest.raises(Rejected) as refused:
        await firearm_trace_answered(answer(request, "BO"), fakes.ports)
    outputs = await firearm_trace_answered(answer(request, "PE"), fakes.ports)

    assert refused.value.reason is Reason.UNAUTHORIZED
    assert "BO@v1/bo-no-traces-for-military" in refused.value.detail
    assert fakes.audited("trace-answer-refused")["to"] == "EC"
    assert list(delivered_to(outputs, catalog.FIREARM_TRACE_ANSWER_DELIVERED)) == ["EC"]  # PE's rules permit it
    assert fakes.audited("trace-answered")["to"] == "EC"
    assert list(fakes.timers.pending) == [deadline_timer(request.envelope.id, "BO")]  # BO's deadline still runs


@pytest.mark.parametrize("country", ["CO", "BO"], ids=["not-asked", "answered-already"])
async def test_only_an_asked_country_answers_and_only_once(country: str) -> None:
    fakes = Fakes()
    request = trace()
    await firearm_trace_requested(request, fakes.ports)
    await firearm_trace_answered(answer(request, "BO"), fakes.ports)

    with pytest.raises(Rejected) as refused:
        await firearm_trace_answered(answer(request, country), fakes.ports)

    assert refused.value.reason is Reason.UNAUTHORIZED


async def test_a_silent_country_makes_the_trace_overdue_for_it_and_the_requester() -> None:
    fakes = Fakes()
    request = trace()
    await firearm_trace_requested(request, fakes.ports)
    timer = fired(fakes, deadline_timer(request.envelope.id, "PE"))

    outputs = await firearm_trace_overdue(timer, fakes.ports)

    overdue = delivered_to(outputs, catalog.FIREARM_TRACE_OVERDUE)
    assert sorted(overdue) == ["EC", "PE"]
    assert (overdue["PE"]["silent"], overdue["PE"]["requester"]) == ("PE", "EC")
    assert datetime.fromisoformat(overdue["EC"]["due_at"]) == timer.due_at
    # On behalf of the requester, in its conversation; the ids it always had, from the request and the timer.
    first = outputs[0].attributes
    assert (first["origin"], first["correlationid"]) == ("EC", str(request.envelope.correlationid))
    assert first["handling"] == Handling.H1.value
    assert first["id"] == str(derived_event_id(request.envelope.id, catalog.FIREARM_TRACE_OVERDUE, "EC", timer.id))
