"""An integrator's dry run (``POST /validate``) refuses bad content as customs would once it is sent:
the same reason and detail, from the same rules, and nothing kept."""

from __future__ import annotations

from typing import Any

import pytest

from andina.contract.events import customs as types
from andina.contract.events.customs.assistance import AssistanceRequest, SpontaneousAssistance
from andina.contract.events.customs.declarations import Declaration
from andina.contract.events.customs.risk import RiskIndicator
from andina.contract.events.customs.seizures import SeizureReport
from andina.customs.handlers import CHECKS, HANDLERS
from andina.shared.gate import Inbound
from tests.customs_samples import gold_export, mercury_seizure, verification_request
from tests.dry_run import refused_alike
from tests.fakes import inbound
from tests.unit.customs.fakes import Customs

PE_ONLY = {"recipients": ["PE"]}
INDICATOR = {"kind": "company", "value": "900.123.456", "reason": "Comprador vinculado", "severity": "high"}


def event(event_type: str, model: Any, payload: dict[str, Any]) -> Inbound[Any]:
    return inbound(event_type, model.model_validate(payload), "PE")


BAD = {
    "hs-999999": (types.DECLARATION_FILED, Declaration, gold_export(hs_code="999999"), "unknown HS code"),
    "currency-xau": (
        types.DECLARATION_FILED,
        Declaration,
        gold_export(value={"amount": "10", "currency": "XAU"}),
        "no exchange rate for currency XAU",
    ),
    "partner-is-filer": (types.DECLARATION_FILED, Declaration, gold_export(partner="PE"), "than the filer"),
    "seizure-to-itself": (types.SEIZURE_REPORTED, SeizureReport, mercury_seizure(**PE_ONLY), "at least one other"),
    "seizure-hs": (
        types.SEIZURE_REPORTED,
        SeizureReport,
        mercury_seizure(commodity={**mercury_seizure()["commodity"], "hs_code": "999999"}),
        "unknown HS code",
    ),
    "indicator-expired": (
        types.RISK_INDICATOR_PUBLISHED,
        RiskIndicator,
        {**INDICATOR, "expires_on": "2020-01-01"},
        "has already passed",
    ),
    "request-to-itself": (
        types.ASSISTANCE_REQUESTED,
        AssistanceRequest,
        verification_request("PE"),
        "another administration",
    ),
    "spontaneous-to-itself": (
        types.SPONTANEOUS_ASSISTANCE_SENT,
        SpontaneousAssistance,
        {"recipients": ["PE"], "subject": {"conveyances": [{"mode": "road", "identifier": "V4X-882"}]}, "facts": "x"},
        "other administrations",
    ),
}


@pytest.mark.parametrize(("event_type", "model", "payload", "detail"), BAD.values(), ids=BAD.keys())
async def test_the_dry_run_refuses_bad_content_as_the_handler_does_and_keeps_nothing(
    event_type: str, model: Any, payload: dict[str, Any], detail: str
) -> None:
    customs = Customs()
    ports = customs.ports()

    reason, said = await refused_alike(HANDLERS, CHECKS, event(event_type, model, payload), ports)

    assert (reason, detail in said) == ("invalid-payload", True), said
    assert (customs.cases.records, customs.timers.pending, customs.audit.by_id) == ({}, {}, {})
    assert (len(ports.pending), len(ports.indicators)) == (0, 0)


def test_the_dry_run_accepts_a_good_declaration_and_files_nothing() -> None:
    customs = Customs()
    ports = customs.ports()

    CHECKS[types.DECLARATION_FILED](event(types.DECLARATION_FILED, Declaration, gold_export()), ports)

    assert (len(ports.pending), customs.timers.pending, customs.audit.by_id) == (0, {}, {})


def test_each_check_is_for_a_type_the_service_handles() -> None:
    assert CHECKS.keys() <= HANDLERS.keys()
