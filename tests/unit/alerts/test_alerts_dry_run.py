"""A member's dry run (``POST /validate``) refuses an alert or a return case as the service would once
it is sent: the same reason and detail, from the same rules, and nothing kept."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from andina.alerts.handlers import CHECKS, HANDLERS
from andina.contract.envelope import Handling
from andina.contract.events.alerts_contract import AlertRaised
from andina.contract.events.catalogs import alerts as catalog
from andina.contract.events.messages import DirectedMessage
from andina.contract.events.returns import OPENED, ReturnCaseOpened
from tests.dry_run import refused_alike
from tests.fakes import inbound
from tests.unit.alerts.fakes import Fakes

ALERT = {"priority": "FLASH", "category": "vehicle", "title": "Camioneta robada", "facts": "Placa PBA-1234"}
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC).isoformat()

MESSAGE = {"subject": "Vehículo robado", "body": "Placa PBA-1234"}

BAD: dict[str, tuple[str, Any, str, Handling, str]] = {
    "message-to-a-stranger": (
        catalog.MESSAGE_SENT,
        DirectedMessage.model_validate(MESSAGE | {"recipients": ["CO", "XX"]}),
        "PE",
        Handling.H1,
        "unknown-country",
    ),
    "alert-to-its-origin-only": (
        catalog.ALERT_RAISED,
        AlertRaised.model_validate(ALERT | {"recipients": ["PE"]}),
        "PE",
        Handling.H1,
        "invalid-payload",
    ),
    "alert-h3-to-everyone": (
        catalog.ALERT_RAISED,
        AlertRaised.model_validate(ALERT | {"recipients": "all"}),
        "PE",
        Handling.H3,
        "unauthorized",
    ),
    "alert-deadline-past": (
        catalog.ALERT_RAISED,
        AlertRaised.model_validate(ALERT | {"recipients": ["CO"], "acknowledge_by": LONG_AGO}),
        "PE",
        Handling.H1,
        "invalid-payload",
    ),
    "return-without-consent": (
        catalog.RETURN_CASE_OPENED,
        ReturnCaseOpened.model_validate(OPENED | {"consent_given": False}),
        "EC",
        Handling.H3,
        "invalid-payload",
    ),
    "return-not-h3": (
        catalog.RETURN_CASE_OPENED,
        ReturnCaseOpened.model_validate(OPENED),
        "EC",
        Handling.H2,
        "invalid-payload",
    ),
}


@pytest.mark.parametrize(("event_type", "payload", "origin", "handling", "reason"), BAD.values(), ids=BAD.keys())
async def test_the_dry_run_refuses_bad_content_as_the_handler_does_and_keeps_nothing(
    event_type: str, payload: Any, origin: str, handling: Handling, reason: str
) -> None:
    fakes = Fakes()
    event = inbound(event_type, payload, origin, handling=handling)

    refused = await refused_alike(HANDLERS, CHECKS, event, fakes.ports)

    assert refused[0] == reason
    assert (fakes.alerts.by_id, fakes.returns.by_id, fakes.audit.by_id, fakes.timers.pending) == ({}, {}, {}, {})


async def test_a_message_to_a_returns_programme_member_is_refused_by_the_dry_run_naming_its_programme() -> None:
    message = DirectedMessage.model_validate(MESSAGE | {"recipients": ["AR"]})

    refused = await refused_alike(HANDLERS, CHECKS, inbound(catalog.MESSAGE_SENT, message, "PE"), Fakes().ports)

    assert refused == (
        "unknown-country",
        "recipients ['AR'] are not member countries (AR takes part in the returns programme only)",
    )


def test_each_check_is_for_a_type_the_service_handles() -> None:
    assert CHECKS.keys() <= HANDLERS.keys()
