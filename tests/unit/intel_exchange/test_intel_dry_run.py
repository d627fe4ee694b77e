"""A member's dry run (``POST /validate``) refuses a record, a screening or a report as the service would
once it is sent: the same reason and detail, from the same rules, and nothing kept."""

from __future__ import annotations

from typing import Any

import pytest

from andina.contract.events.catalogs import intel_exchange as catalog
from andina.contract.events.intel_reports import IntelligenceReport
from andina.intel_exchange.handlers import CHECKS, HANDLERS
from tests.dry_run import refused_alike
from tests.e2e.intel_exchange.test_intel_reports import ROUTE_REPORT
from tests.unit.intel_exchange.fakes import Fakes
from tests.unit.intel_exchange.samples import NAMES_ONLY, person, sent

BAD: dict[str, tuple[str, Any, str, str]] = {
    "record-id-of-another": (catalog.RECORD_SUBMITTED, person("EC-1", owner="CO"), "CO", "invalid-payload"),
    "record-of-another-owner": (catalog.RECORD_SUBMITTED, person("CO-1"), "EC", "unauthorized"),
    "record-without-surname": (
        catalog.RECORD_SUBMITTED,
        person("EC-1", paternal_surname=None, maternal_surname=None),
        "EC",
        "invalid-payload",
    ),
    "screening-a-lone-name": (
        catalog.SCREENING_REQUESTED,
        NAMES_ONLY.model_copy(update={"paternal_surname": None, "maternal_surname": None}),
        "CO",
        "invalid-payload",
    ),
    "report-to-its-sender-only": (
        catalog.REPORT_SUBMITTED,
        IntelligenceReport.model_validate(ROUTE_REPORT | {"recipients": ["PE"]}),
        "PE",
        "invalid-payload",
    ),
}


@pytest.mark.parametrize(("event_type", "payload", "origin", "reason"), BAD.values(), ids=BAD.keys())
async def test_the_dry_run_refuses_bad_content_as_the_handler_does_and_keeps_nothing(
    event_type: str, payload: Any, origin: str, reason: str
) -> None:
    fakes = Fakes()

    refused = await refused_alike(HANDLERS, CHECKS, sent(event_type, payload, origin), fakes.ports)

    assert refused[0] == reason
    assert (fakes.records.stored, fakes.audit.by_id) == ({}, {})


def test_each_check_is_for_a_type_the_service_handles() -> None:
    assert CHECKS.keys() <= HANDLERS.keys()
