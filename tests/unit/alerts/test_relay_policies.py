"""Members' policies at relayed requests: the member asked gets the request only if the asker's outbound and
its own inbound rules permit ``receive-message`` on it; refused, the request is refused, naming the rules,
and nothing is kept; every decision is audited."""

from __future__ import annotations

import pytest

from andina.alerts.handlers import relay
from andina.alerts.handlers.policies import REQUEST_RELAYED, REQUEST_WITHHELD
from andina.contract.events.catalogs.alerts import REQUEST_SUBMITTED, REQUEST_UPDATE
from andina.contract.events.relay import RequestSubmitted
from andina.contract.rejections import Reason, Rejected
from tests.fakes import delivered_to, inbound
from tests.unit.alerts.fakes import Fakes
from tests.unit.alerts.test_relay_handlers import SUBMITTED

CO_TAKES_NO_REQUESTS_FROM_BO = """
@id("co-no-relayed-requests-from-bo")
@reason("Colombia takes Bolivia's requests through its central authority")
forbid (principal == Country::"CO", action == Action::"receive-message", resource is Message)
when { resource.owner == Country::"BO" && resource.kind == "request-update" };
"""
BO_MESSAGES_ONLY_TO_PE = """
@id("bo-messages-only-to-pe")
@reason("Bolivia writes only to Peru through this network")
forbid (principal, action == Action::"receive-message", resource is Message)
when { resource.owner == Country::"BO" && principal != Country::"PE" };
"""


def audited(fakes: Fakes, action: str) -> list[tuple[str, str, str]]:
    entries = [e for e in fakes.audit.by_id.values() if e.action == action]
    return [(e.actor, e.subject, e.detail.get("policies") or e.detail["policy"]) for e in entries]


async def test_a_permitted_request_reaches_the_member_asked_and_the_permit_is_audited() -> None:
    fakes = Fakes()
    event = inbound(REQUEST_SUBMITTED, RequestSubmitted.model_validate(SUBMITTED), "BO")

    outputs = await relay.request_submitted(event, fakes.ports)

    assert list(delivered_to(outputs, REQUEST_UPDATE)) == ["CO"]
    subject = f"request/{event.envelope.id}"
    assert audited(fakes, REQUEST_RELAYED) == [("BO", subject, "CO permit baseline/members-receive-messages")]


@pytest.mark.parametrize(
    ("member", "policy", "rule"),
    [
        ("CO", CO_TAKES_NO_REQUESTS_FROM_BO, "CO@v1/co-no-relayed-requests-from-bo"),  # the recipient's inbound rule
        ("BO", BO_MESSAGES_ONLY_TO_PE, "BO@v1/bo-messages-only-to-pe"),  # the asker's outbound rule
    ],
)
async def test_a_refused_request_is_refused_naming_the_rule_and_nothing_is_kept(
    member: str, policy: str, rule: str
) -> None:
    fakes = Fakes()
    fakes.policies.enact(member, policy)
    event = inbound(REQUEST_SUBMITTED, RequestSubmitted.model_validate(SUBMITTED), "BO")

    with pytest.raises(Rejected) as refused:
        await relay.request_submitted(event, fakes.ports)

    assert refused.value.reason is Reason.UNAUTHORIZED
    assert f"CO: {rule}" in refused.value.detail
    assert SUBMITTED["subject"] not in refused.value.detail
    assert (fakes.requests.by_id, fakes.timers.pending) == ({}, {})
    assert audited(fakes, REQUEST_WITHHELD) == [("BO", f"request/{event.envelope.id}", f"CO deny {rule}")]
    assert audited(fakes, REQUEST_RELAYED) == []
