"""Members' policies at directed messages, the same in every service that relays them: a message goes to all
the members it names or, when the sender's outbound or a recipient's inbound rule refuses one, to none; the
sender is told the rules, never the data, and every decision is audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from andina.alerts.handlers import HANDLERS as ALERTS
from andina.contract.envelope import Handling
from andina.contract.events.messages import DirectedMessage, message_delivered_type, message_sent_type
from andina.contract.rejections import Reason, Rejected
from andina.customs.handlers import HANDLERS as CUSTOMS
from andina.finance_trace.handlers import HANDLERS as FINANCE_TRACE
from andina.intel_exchange.handlers import HANDLERS as INTEL_EXCHANGE
from andina.shared.fanout import MESSAGE_REFUSED, MESSAGE_RELAYED
from tests.fakes import delivered_to, inbound
from tests.unit.alerts.fakes import Fakes as AlertsFakes
from tests.unit.customs.fakes import Customs
from tests.unit.finance_trace.fakes import Service as FinanceFakes
from tests.unit.intel_exchange.fakes import Fakes as IntelFakes

SERVICES: list[tuple[str, Callable[[], Any], dict[str, Any]]] = [
    ("alerts", AlertsFakes, ALERTS),
    ("customs", Customs, CUSTOMS),
    ("finance-trace", FinanceFakes, FINANCE_TRACE),
    ("intel-exchange", IntelFakes, INTEL_EXCHANGE),
]


def ports_of(fakes: Any) -> Any:
    """The service's ports (customs' fakes build them on demand, the others' once)."""
    return fakes.ports() if isinstance(fakes, Customs) else fakes.ports


EC_TAKES_NO_MESSAGES_FROM_PE = """
@id("ec-no-messages-from-pe")
@reason("Ecuador takes Peru's messages through its embassy")
forbid (principal == Country::"EC", action == Action::"receive-message", resource is Message)
when { resource.owner == Country::"PE" };
"""
PE_SENDS_NO_SECRETS_THROUGH_FINANCE = """
@id("pe-no-h3-messages-via-finance")
@reason("Peru sends restricted messages through the liaison officers only")
forbid (principal, action == Action::"receive-message", resource is Message)
when { resource.owner == Country::"PE" && resource.service == "finance-trace" && resource.handling == "h3" };
"""
PERMIT = "permit baseline/members-receive-messages"
MESSAGE = DirectedMessage(subject="Operativo conjunto", body="Coordinación en Desaguadero.", recipients=["CO", "EC"])


def audited(fakes: Any, action: str) -> list[tuple[str, str, str]]:
    """(actor, recipients, decisions) of each entry of ``action``."""
    entries = [e for e in fakes.audit.by_id.values() if e.action == action]
    return [(e.actor, e.detail["to"], e.detail.get("policies") or e.detail["policy"]) for e in entries]


@pytest.mark.parametrize(("service", "fakes_of", "handlers"), SERVICES, ids=[s for s, _, _ in SERVICES])
async def test_a_permitted_message_reaches_every_recipient_with_each_permit_audited(
    service: str, fakes_of: Callable[[], Any], handlers: dict[str, Any]
) -> None:
    fakes = fakes_of()

    outputs = await handlers[message_sent_type(service)](
        inbound(message_sent_type(service), MESSAGE, "PE"), ports_of(fakes)
    )

    assert sorted(delivered_to(outputs, message_delivered_type(service))) == ["CO", "EC"]
    assert audited(fakes, MESSAGE_RELAYED) == [("PE", "CO,EC", f"CO {PERMIT}; EC {PERMIT}")]  # one entry, each decision


@pytest.mark.parametrize(("service", "fakes_of", "handlers"), SERVICES, ids=[s for s, _, _ in SERVICES])
async def test_a_recipients_rule_refuses_the_whole_message_naming_the_rule(
    service: str, fakes_of: Callable[[], Any], handlers: dict[str, Any]
) -> None:
    fakes = fakes_of()
    fakes.policies.enact("EC", EC_TAKES_NO_MESSAGES_FROM_PE)

    with pytest.raises(Rejected) as refused:
        await handlers[message_sent_type(service)](inbound(message_sent_type(service), MESSAGE, "PE"), ports_of(fakes))

    rule = "EC@v1/ec-no-messages-from-pe"
    assert refused.value.reason is Reason.UNAUTHORIZED
    assert f"EC: {rule}: Ecuador takes Peru's messages through its embassy" in refused.value.detail
    assert "Coordinación" not in refused.value.detail
    assert audited(fakes, MESSAGE_REFUSED) == [("PE", "EC", f"EC deny {rule}")]
    assert audited(fakes, MESSAGE_RELAYED) == []


async def test_the_senders_rule_names_one_service_and_handling_and_leaves_the_rest_alone() -> None:
    finance, customs = FinanceFakes(), Customs()
    for fakes in (finance, customs):
        fakes.policies.enact("PE", PE_SENDS_NO_SECRETS_THROUGH_FINANCE)
    sent = message_sent_type("finance-trace")

    with pytest.raises(Rejected) as refused:
        await FINANCE_TRACE[sent](inbound(sent, MESSAGE, "PE", handling=Handling.H3), finance.ports)
    outputs = await FINANCE_TRACE[sent](inbound(sent, MESSAGE, "PE", handling=Handling.H2), finance.ports)
    via_customs = message_sent_type("customs")
    by_customs = await CUSTOMS[via_customs](inbound(via_customs, MESSAGE, "PE", handling=Handling.H3), customs.ports())

    assert refused.value.detail.count("PE@v1/pe-no-h3-messages-via-finance") == 2  # each recipient refused
    assert sorted(delivered_to(outputs, message_delivered_type("finance-trace"))) == ["CO", "EC"]
    assert sorted(delivered_to(by_customs, message_delivered_type("customs"))) == ["CO", "EC"]
