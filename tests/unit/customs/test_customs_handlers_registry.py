"""Each event type the customs contract accepts has its one handler; directed messages are fanned out as elsewhere."""

from __future__ import annotations

from andina.contract.events.catalogs.customs import ACCEPTS, MESSAGE_DELIVERED, MESSAGE_SENT
from andina.contract.events.messages import DirectedMessage
from andina.customs.domain.rechecks import RECHECK
from andina.customs.domain.unmatched import UNMATCHED
from andina.customs.handlers import HANDLERS, TIMERS, assistance
from tests.fakes import delivered_to, inbound
from tests.unit.customs.fakes import Customs


def test_every_accepted_event_type_has_a_handler_and_no_handler_is_for_another() -> None:
    assert HANDLERS.keys() == ACCEPTS.keys()


def test_every_timer_kind_the_handlers_schedule_has_a_handler() -> None:
    assert TIMERS.keys() == {assistance.REMINDER, assistance.OVERDUE, UNMATCHED, RECHECK}


async def test_a_directed_message_reaches_each_named_administration() -> None:
    message = DirectedMessage(
        subject="Operativo conjunto", body="Coordinación en Desaguadero.", recipients=["CO", "BO"]
    )

    outputs = await HANDLERS[MESSAGE_SENT](inbound(MESSAGE_SENT, message, "PE"), Customs().ports())

    assert sorted(delivered_to(outputs, MESSAGE_DELIVERED)) == ["BO", "CO"]
