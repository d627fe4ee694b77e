"""The alerts service handles FLASH and URGENT raises before other submissions."""

from types import SimpleNamespace

import pytest

from andina.alerts.adapters.urgency import urgent_raise
from andina.contract.client import agency_event
from andina.contract.envelope import Handling
from andina.contract.events.catalogs.alerts import ALERT_ACKNOWLEDGED, ALERT_RAISED, MESSAGE_SENT
from andina.contract.signing import SignerKey

KEY = SignerKey.generate("CO")


def record(event_type: str, data: dict[str, object]) -> SimpleNamespace:
    return SimpleNamespace(value=agency_event(KEY, "policia", event_type, data, Handling.H1).wire)


@pytest.mark.parametrize(("priority", "urgent"), [("FLASH", True), ("URGENT", True), ("ROUTINE", False)])
def test_raises_are_urgent_by_their_priority(priority: str, urgent: bool) -> None:
    assert urgent_raise(record(ALERT_RAISED, {"priority": priority, "title": "Camioneta"})) is urgent


def test_other_events_and_records_that_are_not_events_are_not_urgent() -> None:
    assert not urgent_raise(record(ALERT_ACKNOWLEDGED, {"priority": "FLASH"}))
    assert not urgent_raise(record(MESSAGE_SENT, {"subject": "andina.alerts.alert-raised.v1 FLASH"}))
    assert not urgent_raise(SimpleNamespace(value=b'{"type": "andina.alerts.alert-raised.v1", "data": '))
    assert not urgent_raise(SimpleNamespace(value=None))
