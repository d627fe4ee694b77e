"""Members' policies at what one administration sends another through customs: an assistance request, its
answer and status changes, spontaneous information. It goes to all it names or, when
the sender's or a recipient's rule refuses one, to none: the sender is told the rules and nothing changes."""

from __future__ import annotations

from uuid import UUID

import pytest

from andina.contract.events import customs as types
from andina.contract.events.catalogs.customs import MESSAGE_DELIVERED, MESSAGE_SENT
from andina.contract.events.customs.assistance import RequestStatus
from andina.contract.events.messages import DirectedMessage
from andina.contract.rejections import Reason, Rejected
from andina.customs.handlers import HANDLERS, assistance
from andina.customs.handlers.policies import WITHHELD
from andina.shared.audit_log import DELIVERED
from tests.fakes import delivered_to, inbound
from tests.unit.customs.fakes import Customs
from tests.unit.customs.test_customs_handlers_assistance import answer, request, requested, spontaneous, update

BO_TAKES_NO_REQUESTS_FROM_PE = """
@id("bo-no-requests-from-pe")
@reason("Bolivia takes Peru's requests through its embassy")
forbid (principal == Country::"BO", action == Action::"receive-report", resource is CustomsFinding)
when { resource.owner == Country::"PE" && resource.kind == "assistance-request-delivered" };
"""
BO_ANSWERS_STAY_HOME = """
@id("bo-answers-stay-home")
@reason("Bolivia's customs answers through the courts")
forbid (principal, action == Action::"receive-report", resource is CustomsFinding)
when { resource.owner == Country::"BO" };
"""
PERMIT = "permit baseline/members-receive-reports"


def audited(customs: Customs, action: str) -> list[tuple[str, str]]:
    """(actor, policy decision) of each entry of ``action``."""
    return [(e.actor, e.detail["policy"]) for e in customs.audit.by_id.values() if e.action == action]


async def test_a_permitted_request_reaches_the_requested_administration_and_the_permit_is_audited() -> None:
    customs = Customs()

    request_id = await request(customs.ports(), "BO")

    assert customs.cases.records[request_id].case.requested == "BO"
    assert audited(customs, DELIVERED) == [("BO", PERMIT)]


async def test_a_request_the_recipients_rule_refuses_is_refused_with_the_rule_kept_nowhere_and_audited() -> None:
    customs = Customs()
    customs.policies.enact("BO", BO_TAKES_NO_REQUESTS_FROM_PE)
    event = requested("BO")

    with pytest.raises(Rejected) as refused:
        await assistance.assistance_requested(event, customs.ports())

    rule = "BO@v1/bo-no-requests-from-pe"
    assert refused.value.reason is Reason.UNAUTHORIZED
    assert f"BO: {rule}: Bolivia takes Peru's requests through its embassy" in refused.value.detail
    assert customs.cases.records == {}
    assert customs.timers.pending == {}
    assert audited(customs, WITHHELD) == [("PE", f"BO deny {rule}")]  # the sender's attempt, naming the refused


async def test_the_request_rule_of_one_kind_leaves_the_others_alone() -> None:
    customs = Customs()
    customs.policies.enact("BO", BO_TAKES_NO_REQUESTS_FROM_PE)
    message = DirectedMessage(subject="Operativo conjunto", body="Coordinación en Desaguadero.", recipients=["BO"])

    outputs = await HANDLERS[MESSAGE_SENT](inbound(MESSAGE_SENT, message, "PE"), customs.ports())

    assert list(delivered_to(outputs, MESSAGE_DELIVERED)) == ["BO"]


async def answered_under_bolivias_rule(customs: Customs) -> UUID:
    """PE's request, permitted; then Bolivia's rule keeping its data home comes in force."""
    request_id = await request(customs.ports(), "BO")
    customs.policies.enact("BO", BO_ANSWERS_STAY_HOME)
    return request_id


async def test_a_permitted_answer_reaches_the_requester_and_the_permit_is_audited() -> None:
    customs = Customs()
    request_id = await request(customs.ports(), "BO")

    outputs = await answer(customs.ports(), "BO", request_id)

    assert list(delivered_to(outputs, types.ASSISTANCE_ANSWER_DELIVERED)) == ["PE"]
    assert audited(customs, DELIVERED) == [("BO", PERMIT), ("PE", PERMIT)]


async def test_an_answer_the_responders_rule_refuses_is_refused_and_the_request_stays_open() -> None:
    customs = Customs()
    request_id = await answered_under_bolivias_rule(customs)

    with pytest.raises(Rejected) as refused:
        await answer(customs.ports(), "BO", request_id)

    assert "BO@v1/bo-answers-stay-home: Bolivia's customs answers through the courts" in refused.value.detail
    assert customs.cases.records[request_id].case.status is RequestStatus.SUBMITTED
    assert audited(customs, WITHHELD) == [("BO", "PE deny BO@v1/bo-answers-stay-home")]


async def test_a_status_change_the_policies_refuse_is_refused_too() -> None:
    customs = Customs()
    request_id = await answered_under_bolivias_rule(customs)

    with pytest.raises(Rejected):
        await update(customs.ports(), "BO", request_id, "in-progress")

    assert customs.cases.records[request_id].case.status is RequestStatus.SUBMITTED


async def test_spontaneous_assistance_goes_to_all_named_or_to_none() -> None:
    customs = Customs()
    outputs = await HANDLERS[types.SPONTANEOUS_ASSISTANCE_SENT](spontaneous(["PE", "CO"]), customs.ports())
    assert sorted(delivered_to(outputs, types.SPONTANEOUS_ASSISTANCE_DELIVERED)) == ["CO", "PE"]
    assert sorted(audited(customs, DELIVERED)) == [("CO", PERMIT), ("PE", PERMIT)]

    customs.policies.enact("BO", BO_ANSWERS_STAY_HOME)
    with pytest.raises(Rejected) as refused:
        await HANDLERS[types.SPONTANEOUS_ASSISTANCE_SENT](spontaneous(["PE", "CO"]), customs.ports())

    assert refused.value.detail.count("BO@v1/bo-answers-stay-home") == 2  # each refused recipient, by rule
