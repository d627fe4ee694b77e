"""Each event type the service accepts has exactly one handler, and each timer kind it schedules one too."""

from andina.finance_trace.handlers import HANDLERS, TIMERS
from andina.finance_trace.handlers.details import DETAIL_EXPIRY
from andina.shared.events.catalogs.finance_trace import ACCEPTS


def test_every_accepted_event_type_has_a_handler_and_no_handler_waits_for_a_type_not_accepted() -> None:
    assert set(HANDLERS) == set(ACCEPTS)


def test_the_detail_expiry_timer_has_a_handler() -> None:
    assert set(TIMERS) == {DETAIL_EXPIRY}
