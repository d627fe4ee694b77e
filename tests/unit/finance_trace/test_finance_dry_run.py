"""An FIU's dry run (``POST /validate``) of a report answers as the service would once it is sent:
the whole report refused with the same reason and detail, or each transaction its receipt would
list as refused; nothing is recorded either way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from andina.contract.events.catalogs.finance_trace import DETAIL_DECIDED, REPORT_SUBMITTED, TRACE_REQUESTED
from andina.deploy.demo_finance_trace import trace_request
from andina.finance_trace.handlers import CHECKS, HANDLERS
from andina.shared.gate import PartlyRefused
from tests.dry_run import refused_alike
from tests.unit.finance_trace.fakes import Service
from tests.unit.finance_trace.reporting import CO_ACCOUNT, PE_ACCOUNT, event, wire


def report(service: Service, **change: Any) -> dict[str, Any]:
    payload = wire(PE_ACCOUNT, CO_ACCOUNT, "2500", service.clock() - timedelta(hours=3), "a")
    payload["transactions"][0].update(change)
    return payload


def unchanged(service: Service) -> bool:
    return (service.reports.reports, service.audit.by_id, len(service.state.graph)) == ({}, {}, 0)


@pytest.mark.parametrize(
    "change",
    [{"amount": "-5"}, {"currency": "XAU"}, {"from_account": CO_ACCOUNT}],
    ids=["not-positive", "currency-without-rate", "to-itself"],
)
async def test_the_dry_run_refuses_a_report_without_a_valid_transaction_as_the_handler_does(
    change: dict[str, Any],
) -> None:
    service = Service()

    reason, _ = await refused_alike(
        HANDLERS, CHECKS, event(REPORT_SUBMITTED, report(service, **change), "PE"), service.ports
    )

    assert reason == "invalid-payload"
    assert unchanged(service)


async def test_the_dry_run_of_a_partial_report_names_the_transactions_its_receipt_would_refuse() -> None:
    service = Service()
    payload = report(service)
    bad_rows = [
        {**payload["transactions"][0], "reference": "TX-2", "to_account": PE_ACCOUNT, "transfer_ref": None},
        {**payload["transactions"][0], "reference": "TX-3", "currency": "XAU", "transfer_ref": None},
    ]
    payload["transactions"] += bad_rows
    submitted = event(REPORT_SUBMITTED, payload, "PE")

    checked = CHECKS[REPORT_SUBMITTED](submitted, service.ports)
    nothing_kept = unchanged(service)
    (receipt,) = await HANDLERS[REPORT_SUBMITTED](submitted, service.ports)

    assert isinstance(checked, PartlyRefused)
    dry = [part.model_dump(mode="json") for part in checked.parts]
    assert dry == receipt.attributes["data"]["refused"]
    assert [(r["position"], r["rule"]) for r in dry] == [(1, "self-transfer"), (2, "no-rate")]
    assert nothing_kept


@pytest.mark.parametrize(
    ("event_type", "payload"),
    [
        (TRACE_REQUESTED, {**trace_request(PE_ACCOUNT["ref"], datetime(2026, 11, 23, tzinfo=UTC)), "max_hops": 99}),
        (DETAIL_DECIDED, {"request_id": str(uuid4()), "decision": "refused", "details": {"holder": "Andes SAS"}}),
    ],
    ids=["trace-too-deep", "refusal-with-details"],
)
async def test_the_dry_run_refuses_other_bad_requests_as_the_handler_does(
    event_type: str, payload: dict[str, Any]
) -> None:
    service = Service()

    reason, _ = await refused_alike(HANDLERS, CHECKS, event(event_type, payload, "PE"), service.ports)

    assert reason == "invalid-payload"


def test_each_check_is_for_a_type_the_service_handles() -> None:
    assert CHECKS.keys() <= HANDLERS.keys()
