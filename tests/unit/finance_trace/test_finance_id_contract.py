"""Every type finance-trace emits keeps the id contract: one id, one content, even when handled again."""

from __future__ import annotations

from andina.contract.events.catalogs import finance_trace
from andina.contract.events.catalogs.finance_trace import (
    DETAIL_DECIDED,
    DETAIL_REQUESTED,
    MESSAGE_SENT,
    REPORT_SUBMITTED,
    TRACE_REQUESTED,
)
from andina.deploy.demo_finance_trace import round_trip, trace_request
from andina.finance_trace.handlers import HANDLERS, TIMERS
from andina.finance_trace.handlers.details import DETAIL_EXPIRY
from andina.shared.timers import Timer
from tests.id_contract import IdContract
from tests.unit.finance_trace.fakes import Service
from tests.unit.finance_trace.reporting import CO_ACCOUNT, PE_ACCOUNT, event


async def test_no_output_of_finance_trace_comes_under_an_id_used_for_other_content() -> None:
    service = Service()
    run = IdContract(HANDLERS, TIMERS, service.ports)
    now = service.clock()
    message = {"subject": "ROS 9", "body": "see the wires of 3 December", "recipients": ["CO", "EC"]}
    await run.handle(event(MESSAGE_SENT, message, "PE"))
    legs = round_trip(now, "55")  # subjects shared, then a circular flow and its alert
    for origin, payload in legs:
        await run.handle(event(REPORT_SUBMITTED, payload, origin))
    await run.handle(event(REPORT_SUBMITTED, legs[-1][1], "PE"))  # the closing leg seen arriving: a new revision
    await run.handle(event(TRACE_REQUESTED, trace_request(PE_ACCOUNT["ref"], now), "PE"))
    about_co = {"subject": CO_ACCOUNT["ref"], "owner": "CO", "purpose": "ROS 9"}
    answered, expiring = event(DETAIL_REQUESTED, about_co, "PE"), event(DETAIL_REQUESTED, about_co, "PE")
    for request in (answered, expiring):
        await run.handle(request)
    decision = {"request_id": str(answered.envelope.id), "decision": "approved", "details": {"holder": "Andes SAS"}}
    await run.handle(event(DETAIL_DECIDED, decision, "CO"))
    expiry = {"request": str(expiring.envelope.id)}
    await run.fire(Timer(f"detail/{expiring.envelope.id}", DETAIL_EXPIRY, now, expiry, slot="unit"))

    await run.handled_again()

    run.assert_kept(finance_trace)
