"""Financial flows between FIUs on the real Kafka and store: detection, tracing, who sees what."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from andina.contract.events.signals import SIGNALS
from andina.deploy.demo_finance_trace import account, round_trip, trace_request
from andina.finance_trace.settings import Settings
from tests.conftest import ServiceSettingsFactory
from tests.e2e.finance_trace.fius import Fius, hours_ago, of_type, running, types
from tests.id_contract import reused_ids

pytestmark = pytest.mark.integration


async def test_a_round_trip_pe_co_ec_pe_is_detected_traced_for_the_requester_and_bo_sees_nothing(
    fius: Fius, service_settings: ServiceSettingsFactory
) -> None:
    now = datetime.now(UTC)
    legs = round_trip(now, "e2e1")
    start = legs[0][1]["transactions"][0]["from_account"]["ref"]
    async with running(service_settings(Settings)):
        for country, report in legs:
            await fius.send(country, "report-submitted", report)
        found = {c: await fius.wait_for(c, "pattern-detected") for c in ("PE", "CO", "EC")}
        trace = await fius.send("PE", "trace-requested", trace_request(start, now))
        answers = await fius.wait_for("PE", "trace-completed")
        receipts = {c: (await fius.wait_for(c, "report-recorded"))[0]["data"] for c in ("PE", "CO", "EC")}
        alerts = await fius.read("PE", lambda events: bool(events), stream=SIGNALS)
        bystander = await fius.read("BO", lambda events: False, within=3.0)

    for country in ("PE", "CO", "EC"):
        assert [f["data"]["pattern"] for f in found[country]] == ["circular-flow"]
    finding = found["PE"][0]["data"]
    assert [(tx["source_country"], tx["target_country"]) for tx in finding["evidence"]] == [
        ("PE", "CO"),
        ("CO", "EC"),
        ("EC", "PE"),
    ]
    assert [a["data"]["signal"] for a in alerts] == ["circular-flow"]
    assert alerts[0]["data"]["recipients"] == ["CO", "EC", "PE"]
    (answer,) = answers
    assert answer["causationid"] == str(trace.id)
    legs_usd = [Decimal(receipts[c]["total_usd"]) for c in ("PE", "CO", "EC")]
    edges = answer["data"]["edges"]
    assert [Decimal(e["carried_usd"]) for e in edges] == legs_usd  # each leg passed on less than it got
    assert [e["hop"] for e in edges] == [1, 2, 3]
    reached = {n["country"]: Decimal(n["reached_usd"]) for n in answer["data"]["nodes"]}
    assert reached == {"PE": legs_usd[2], "CO": legs_usd[0], "EC": legs_usd[1]}
    assert bystander == []


def both_revisions(events: list[dict[str, Any]]) -> bool:
    return len(of_type(events, "pattern-detected")) >= 2


async def test_a_finding_another_fiu_then_reports_comes_again_as_a_revision_and_no_id_is_reused(
    fius: Fius, service_settings: ServiceSettingsFactory
) -> None:
    legs = round_trip(datetime.now(UTC), "e2e6")
    closing = legs[2][1]  # EC's report of the leg back to PE, which PE's bank then reports too
    async with running(service_settings(Settings)):
        for country, report in legs:
            await fius.send(country, "report-submitted", report)
        await fius.wait_for("PE", "pattern-detected")
        await fius.send("PE", "report-submitted", {**closing, "reporting_entity": "BCPLPEPL"})
        found = await fius.wait_for("PE", "pattern-detected", count=2)
        everything = [e for c in ("PE", "CO", "EC") for e in await fius.read(c, both_revisions)]

    first, second = (f["data"] for f in found)
    assert (first["detection_id"], first["revision"], second["revision"]) == (second["detection_id"], 1, 2)
    assert second["supersedes"] == found[0]["id"]
    assert second["evidence"][-1]["reported_by"] == ["EC", "PE"]
    assert reused_ids(everything) == {}


async def test_two_fius_holding_the_same_account_learn_that_they_share_it_and_nothing_more(
    fius: Fius, service_settings: ServiceSettingsFactory
) -> None:
    pe, shared, co_other = account("PE", "191-77-01"), account("CO", "0550-77-88"), account("CO", "0550-99-11")
    pe_report = {
        "kind": "cross-border",
        "reporting_entity": "BCPLPEPL",
        "transactions": [
            {
                "reference": "PE-1",
                "time": hours_ago(30),
                "amount": "2500",
                "currency": "USD",
                "channel": "wire",
                "from_account": pe,
                "to_account": shared,
            }
        ],
    }
    co_report = {
        "kind": "suspicious",
        "reporting_entity": "COLOCOBM",
        "narrative": "Cuenta receptora de giros sin actividad comercial conocida",
        "transactions": [
            {
                "reference": "CO-1",
                "time": hours_ago(5),
                "amount": "1234567",
                "currency": "COP",
                "channel": "transfer",
                "from_account": shared,
                "to_account": co_other,
            }
        ],
    }
    async with running(service_settings(Settings)):
        await fius.send("PE", "report-submitted", pe_report)
        await fius.wait_for("PE", "report-recorded")
        await fius.send("CO", "report-submitted", co_report)
        to_pe = await fius.read("PE", lambda events: len(events) >= 2)
        to_co = await fius.read("CO", lambda events: len(events) >= 2)
        others = [await fius.read(c, lambda events: False, within=2.0) for c in ("EC", "BO")]

    assert types(to_pe) == types(to_co) == ["report-recorded", "subject-shared"]
    assert of_type(to_pe, "subject-shared")[0]["data"] == {
        "subject": shared["ref"],
        "kind": "account",
        "shared_with": "CO",
    }
    assert of_type(to_co, "subject-shared")[0]["data"] == {
        "subject": shared["ref"],
        "kind": "account",
        "shared_with": "PE",
    }
    told_pe = str(to_pe)
    for secret in (co_other["ref"], "1234567", "actividad"):  # CO's other account, amount, narrative
        assert secret not in told_pe
    assert pe["ref"] not in str(to_co)
    assert others == [[], []]
