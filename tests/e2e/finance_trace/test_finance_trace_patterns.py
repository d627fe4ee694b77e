"""Patterns planted in a stream of ordinary reports, and the demo scenario, on the real bus."""

from __future__ import annotations

import random
from typing import Any

import pytest

from andina.contract.client import AgencyClient
from andina.contract.countries import CountryRegistry
from andina.contract.topics import TopicRegistry
from andina.deploy.demo_finance_trace import account, run
from andina.deploy.settings import Endpoints
from andina.finance_trace.settings import Settings
from tests.conftest import Keys, ServiceSettingsFactory
from tests.e2e.finance_trace.fius import Fius, hours_ago, running

pytestmark = pytest.mark.integration


def transaction(reference: str, hours: float, usd: float, source: Any, target: Any) -> dict[str, Any]:
    return {
        "reference": reference,
        "time": hours_ago(hours),
        "amount": f"{usd:.2f}",
        "currency": "USD",
        "channel": "cash" if source is None else "wire",
        "from_account": source,
        "to_account": target,
    }


def ordinary_stream(rng: random.Random) -> list[dict[str, Any]]:
    """Remittances abroad of every size and large cash deposits that were duly reported."""
    reports = []
    for batch in range(4):
        remittances = [
            transaction(
                f"R{batch}-{i}",
                rng.uniform(1, 200),
                rng.lognormvariate(6, 1.2),
                account("PE", f"p{i}"),
                account(rng.choice(["CO", "EC", "BO"]), f"r{batch}-{i}"),
            )
            for i in range(20)
        ]
        reports.append({"kind": "cross-border", "reporting_entity": "BCPLPEPL", "transactions": remittances})
    deposits = [
        transaction(f"C{i}", 24 * i + 3, rng.uniform(12_000, 40_000), None, account("PE", f"d{i}")) for i in range(6)
    ]
    reports.append({"kind": "cash", "reporting_entity": "BNPEPEPL", "transactions": deposits})
    return reports


async def test_structuring_planted_in_a_stream_of_ordinary_reports_is_found_and_nothing_else(
    kafka_bootstrap: str,
    topics: TopicRegistry,
    countries: CountryRegistry,
    agencies: dict[str, AgencyClient],
    keys: Keys,
    service_settings: ServiceSettingsFactory,
) -> None:
    fius = Fius(kafka_bootstrap, topics, countries, agencies, keys)
    smurfed = account("PE", "191-33-77")
    planted = [
        transaction(f"S{i}", 70 - 20 * i, usd, None, smurfed) for i, usd in enumerate([9_400, 9_800, 9_150, 9_600])
    ]
    stream = ordinary_stream(random.Random(11))
    stream.insert(2, {"kind": "cash", "reporting_entity": "BNPEPEPL", "transactions": planted})
    async with running(service_settings(Settings)):
        for report in stream:
            await fius.send("PE", "report-submitted", report)
        await fius.wait_for("PE", "report-recorded", count=len(stream))
        found = await fius.wait_for("PE", "pattern-detected", count=2, within=5.0)

    assert [f["data"]["pattern"] for f in found] == ["structuring"]
    assert found[0]["data"]["subjects"] == [smurfed["ref"]]
    assert len(found[0]["data"]["evidence"]) == 4


async def test_the_demo_shows_a_detection_and_a_trace_and_that_bo_hears_nothing(
    demo_endpoints: Endpoints,
    service_settings: ServiceSettingsFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    async with running(service_settings(Settings)):
        await run(demo_endpoints, patience=45.0)

    shown = capsys.readouterr().out
    assert "circular-flow (high)" in shown
    assert "PE, CO and EC were each told of the circular flow" in shown
    assert "alert-requested" in shown
    assert "the trace went to PE only (3 transfers" in shown
    assert "BO's FIU, not involved, received nothing of it" in shown
