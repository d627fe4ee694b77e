"""Transfers older than the service's horizon, on the real Kafka and store: recorded, not held."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from andina.contract.subject_hash import party_ref
from andina.deploy.demo_finance_trace import BANKS, DEMO_KEY, account, trace_request, transfer_report
from andina.finance_trace.settings import Settings
from tests.conftest import ServiceSettingsFactory
from tests.e2e.finance_trace.fius import Fius, running

pytestmark = pytest.mark.integration


async def test_a_transfer_older_than_the_horizon_is_recorded_once_for_both_fius_and_never_traced(
    fius: Fius, service_settings: ServiceSettingsFactory
) -> None:
    now = datetime.now(UTC)
    pe, co = account("PE", "191-90-01"), account("CO", "0550-90-02")
    old = transfer_report(pe, co, "5000.00", "USD", now - timedelta(days=2.5), "uetr-horizon-old")
    recent = transfer_report(pe, co, "6000.00", "USD", now - timedelta(hours=3), "uetr-horizon-new")
    settings = service_settings(Settings).model_copy(update={"finance_horizon_days": 1.0})

    async with running(settings):  # the horizon runs back from the latest transfer: the recent one
        await fius.send("PE", "report-submitted", recent)
        await fius.wait_for("PE", "report-recorded")
        await fius.send("PE", "report-submitted", old)
        await fius.send("CO", "report-submitted", {**old, "reporting_entity": BANKS["CO"]})
        receipts = {c: await fius.wait_for(c, "report-recorded", count=n) for c, n in [("PE", 2), ("CO", 1)]}
        await fius.send("PE", "trace-requested", trace_request(pe["ref"], now))
        traced = await fius.wait_for("PE", "trace-completed")
    async with running(settings):  # a restart loads the held transfers only
        await fius.send("PE", "trace-requested", trace_request(pe["ref"], now))
        traced_after_restart = await fius.wait_for("PE", "trace-completed", count=2)

    assert [r["data"]["new_transactions"] for r in receipts["PE"]] == [1, 1]
    assert [r["data"]["new_transactions"] for r in receipts["CO"]] == [0]  # PE's transfer, already stored
    for answer in (traced[0], traced_after_restart[1]):
        assert [Decimal(e["carried_usd"]) for e in answer["data"]["edges"]] == [Decimal("6000.00")]


async def test_a_holding_not_named_again_within_the_horizon_is_not_matched_after_a_restart(
    fius: Fius, service_settings: ServiceSettingsFactory
) -> None:
    horizon = 12.0
    settings = service_settings(Settings).model_copy(update={"finance_horizon_days": horizon / 86_400})
    pe = account("PE", "191-91-01")
    dropped, renewed = account("CO", "0550-91-02"), account("CO", "0550-91-03")

    def report(target: dict[str, str], uetr: str) -> dict[str, Any]:
        return transfer_report(pe, target, "4000.00", "USD", datetime.now(UTC) - timedelta(minutes=1), uetr)

    async with running(settings):
        first_named = time.monotonic()
        await fius.send("PE", "report-submitted", report(dropped, "uetr-held-1"))
        await fius.send("PE", "report-submitted", report(renewed, "uetr-held-2"))
        await fius.wait_for("PE", "report-recorded", count=2)
        # Late in the horizon, so that the renewed holding outlasts a slow restart by most of a horizon.
        await asyncio.sleep(max(0.0, first_named + horizon * 0.75 - time.monotonic()))
        await fius.send("PE", "report-submitted", report(renewed, "uetr-held-3"))
        await fius.wait_for("PE", "report-recorded", count=3)
    await asyncio.sleep(max(0.0, first_named + horizon + 1 - time.monotonic()))
    async with running(settings):  # loads the holdings named within the horizon only
        for target, uetr in [(dropped, "uetr-held-4"), (renewed, "uetr-held-5")]:
            await fius.send("CO", "report-submitted", {**report(target, uetr), "reporting_entity": BANKS["CO"]})
        await fius.wait_for("CO", "report-recorded", count=2)
        shared = await fius.wait_for("CO", "subject-shared", count=3, within=5.0)  # two, if all is well

    # PE named its own account in every report, and the renewed one three quarters of a horizon later
    assert sorted(s["data"]["subject"] for s in shared) == sorted([pe["ref"], renewed["ref"]])


async def test_party_links_and_what_traces_showed_last_until_the_horizon_has_passed_since_last_said(
    fius: Fius, service_settings: ServiceSettingsFactory
) -> None:
    horizon = 12.0  # transfers are dated when sent, so that the graph holds them meanwhile
    settings = service_settings(Settings).model_copy(update={"finance_horizon_days": horizon / 86_400})
    pe, co = account("PE", "191-92-01"), account("CO", "0550-92-02")
    shown_again, shown_once = account("EC", "2292-03"), account("EC", "2292-04")
    named_again, named_once = (
        party_ref(DEMO_KEY, "PE", "RUC", "20100092001"),
        party_ref(DEMO_KEY, "PE", "RUC", "20100092002"),
    )

    def report(source: dict[str, str], target: dict[str, str], uetr: str, *holders: str) -> dict[str, Any]:
        amount = "8000.00" if source is pe else "4000.00"  # what reaches CO goes on to both EC accounts
        sent = transfer_report(source, target, amount, "USD", datetime.now(UTC) - timedelta(seconds=1), uetr)
        parties = [{"ref": p, "kind": "company", "country": "PE", "accounts": [pe["ref"]]} for p in holders]
        return {**sent, "parties": parties}

    def traced_from(party: str) -> dict[str, Any]:  # backward: what it shows does not reach EC
        request = trace_request(pe["ref"], datetime.now(UTC))
        return {**request, "account": None, "party": party, "direction": "backward"}

    async with running(settings):
        first = time.monotonic()
        await fius.send("PE", "report-submitted", report(pe, co, "uetr-link-1", named_again, named_once))
        for target, uetr in [(shown_again, "uetr-link-2"), (shown_once, "uetr-link-3")]:
            await fius.send("CO", "report-submitted", report(co, target, uetr))
        await fius.wait_for("CO", "report-recorded", count=2)
        # PE's trace shows it both of EC's accounts, which it does not hold
        await fius.send("PE", "trace-requested", trace_request(pe["ref"], datetime.now(UTC)))
        (shown,) = await fius.wait_for("PE", "trace-completed")
        await asyncio.sleep(max(0.0, first + horizon / 2 - time.monotonic()))
        await fius.send("PE", "report-submitted", report(pe, co, "uetr-link-4", named_again))
        for target, uetr in [(shown_again, "uetr-link-5"), (shown_once, "uetr-link-6")]:  # CO still holds both
            await fius.send("CO", "report-submitted", report(co, target, uetr))
        again = {
            **trace_request(shown_again["ref"], datetime.now(UTC)),
            "direction": "backward",
        }  # shows one of them again
        await fius.send("PE", "trace-requested", again)
        await fius.wait_for("PE", "trace-completed", count=2)
        await fius.wait_for("CO", "report-recorded", count=4)
    await asyncio.sleep(max(0.0, first + horizon + 1 - time.monotonic()))
    async with running(settings):  # loads the links named, and what traces showed, within the horizon
        for party in (named_again, named_once):
            await fius.send("PE", "trace-requested", traced_from(party))
        traced = await fius.wait_for("PE", "trace-completed", count=4)
        for ec in (shown_again, shown_once):
            await fius.send("PE", "detail-requested", {"subject": ec["ref"], "owner": "CO", "purpose": "ROS 92"})
        (refusal,) = await fius.wait_for("PE", "event-rejected")  # the second request's
        received = await fius.wait_for("CO", "detail-request-received")

    assert {n["ref"] for n in shown["data"]["nodes"]} >= {shown_again["ref"], shown_once["ref"]}
    assert [t["data"]["start"] for t in traced[2:]] == [[pe["ref"]], []]
    assert [r["data"]["subject"] for r in received] == [shown_again["ref"]]
    assert refusal["data"]["reason"] == "unauthorized"
