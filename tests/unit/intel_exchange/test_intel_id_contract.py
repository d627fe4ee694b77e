"""Every type intel-exchange emits keeps the id contract: one id, one content, even when handled again."""

from __future__ import annotations

from andina.contract.events.catalogs import intel_exchange as catalog
from andina.contract.events.messages import DirectedMessage
from andina.intel_exchange.handlers import HANDLERS, TIMERS
from andina.intel_exchange.handlers.traces import deadline_timer
from tests.e2e.intel_exchange.test_intel_reports import ROUTE_REPORT
from tests.id_contract import IdContract
from tests.unit.intel_exchange.fakes import Fakes
from tests.unit.intel_exchange.samples import BY_DOCUMENT, person, sent
from tests.unit.intel_exchange.test_intel_handlers_policies import CO_POLICY
from tests.unit.intel_exchange.test_intel_handlers_reports import PHONE, report
from tests.unit.intel_exchange.test_intel_handlers_requests import answer_of, request_for
from tests.unit.intel_exchange.test_intel_handlers_traces import answer, fired, trace


async def test_no_output_of_intel_exchange_comes_under_an_id_used_for_other_content() -> None:
    fakes = Fakes()
    run = IdContract(HANDLERS, TIMERS, fakes.ports)
    message = DirectedMessage(subject="Operativo", body="Coordinación en Rumichaca.", recipients=["CO", "PE"])
    await run.handle(sent(catalog.MESSAGE_SENT, message, "EC"))
    await run.handle(sent(catalog.RECORD_SUBMITTED, person("EC-1"), "EC"))
    screening = sent(catalog.SCREENING_REQUESTED, BY_DOCUMENT, "CO")  # a hit: the owner is told, alerts asked
    await run.handle(screening)
    released, refused = (request_for(screening.envelope.id, "EC-1") for _ in range(2))
    await run.handle(released)
    await run.handle(answer_of(released, "EC", "approved"))
    await run.handle(refused)
    await run.handle(answer_of(refused, "EC", "refused", reason="investigación reservada"))
    await run.handle(sent(catalog.REPORT_SUBMITTED, report(ROUTE_REPORT), "PE"))
    await run.handle(sent(catalog.CONNECTIONS_REQUESTED, PHONE, "PE"))
    traced = trace()
    await run.handle(traced)
    await run.handle(answer(traced, "BO"))
    await run.fire(fired(fakes, deadline_timer(traced.envelope.id, "PE")))
    await run.handle(sent(catalog.POLICY_CHANGED, CO_POLICY, "CO"))

    await run.handled_again()

    run.assert_kept(catalog)
