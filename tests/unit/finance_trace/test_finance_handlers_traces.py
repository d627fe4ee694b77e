"""trace-requested: the answer for the requester only, pooled, and what it showed remembered and audited."""

from __future__ import annotations

import pytest

from andina.contract.events.catalogs.finance_trace import TRACE_COMPLETED, TRACE_REQUESTED
from andina.contract.rejections import Reason, Rejected
from andina.deploy.demo_finance_trace import trace_request
from tests.unit.finance_trace.fakes import Service
from tests.unit.finance_trace.reporting import CO_ACCOUNT, PE_ACCOUNT, both_hold_the_accounts, handle


async def test_a_trace_goes_to_the_requester_only_pooled_and_what_it_showed_is_recorded_and_audited() -> None:
    service = Service()
    await both_hold_the_accounts(service)
    audited_before = len(service.audit.by_id)

    (answer,) = await handle(service, TRACE_REQUESTED, trace_request(PE_ACCOUNT["ref"], service.clock()), "BO")

    assert (answer.recipient, answer.attributes["type"], answer.attributes["handling"]) == ("BO", TRACE_COMPLETED, "h2")
    shown = {node["ref"] for node in answer.attributes["data"]["nodes"]}
    assert shown == {PE_ACCOUNT["ref"], CO_ACCOUNT["ref"]}
    (recorded,) = service.requests.traces.values()
    assert set(recorded) == shown
    entries = service.audit.actions()[audited_before:]
    traced = [(action, actor, subject) for action, actor, subject in entries if action == "trace"]
    assert sorted(traced) == sorted(("trace", "BO", ref) for ref in shown)
    assert service.state.disclosures.has_seen("BO", CO_ACCOUNT["ref"])
    assert service.counted("andina_finance_trace_traces_total", origin="BO") == 1


async def test_a_trace_of_too_many_hops_is_refused_and_shows_nothing() -> None:
    service = Service()
    await both_hold_the_accounts(service)
    request = {**trace_request(PE_ACCOUNT["ref"], service.clock()), "max_hops": 9}

    with pytest.raises(Rejected) as refused:
        await handle(service, TRACE_REQUESTED, request, "BO")

    assert refused.value.reason is Reason.INVALID_PAYLOAD
    assert "at most 6 hops; 9 were asked" in refused.value.detail
    assert service.requests.traces == {}
    assert not service.state.disclosures.has_seen("BO", CO_ACCOUNT["ref"])
