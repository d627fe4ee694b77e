"""Each event type the service accepts has exactly one handler, each timer kind one too; messages between
FIUs go through the common message-sent handler."""

from andina.contract.events.catalogs.finance_trace import ACCEPTS, MESSAGE_DELIVERED, MESSAGE_SENT
from andina.finance_trace.handlers import HANDLERS, TIMERS
from andina.finance_trace.handlers.details import DETAIL_EXPIRY
from tests.fakes import delivered_to
from tests.unit.finance_trace.fakes import DELIVERIES, Service
from tests.unit.finance_trace.reporting import handle


def test_every_accepted_event_type_has_a_handler_and_no_handler_waits_for_a_type_not_accepted() -> None:
    assert set(HANDLERS) == set(ACCEPTS)


def test_the_detail_expiry_timer_has_a_handler() -> None:
    assert set(TIMERS) == {DETAIL_EXPIRY}


async def test_a_message_from_one_fiu_goes_to_each_named_fiu_on_the_deliveries_topic() -> None:
    message = {"subject": "ROS 9", "body": "see the wires of 3 December", "recipients": ["CO", "EC"]}

    outputs = await handle(Service(), MESSAGE_SENT, message, "PE")

    assert sorted(delivered_to(outputs, MESSAGE_DELIVERED)) == ["CO", "EC"]
    assert {o.topic for o in outputs} == {DELIVERIES}
