"""Transfers older than the service's horizon, on the real Kafka and store: recorded, not held."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from andina.deploy.demo_finance_trace import BANKS, account, trace_request, transfer_report
from andina.finance_trace.settings import Settings
from andina.shared.client import AgencyClient
from andina.shared.countries import CountryRegistry
from andina.shared.topics import TopicRegistry
from tests.conftest import Keys, ServiceSettingsFactory
from tests.e2e.finance_trace.fius import Fius, running

pytestmark = pytest.mark.integration


@pytest.fixture
def fius(
    kafka_bootstrap: str,
    topics: TopicRegistry,
    countries: CountryRegistry,
    agencies: dict[str, AgencyClient],
    keys: Keys,
) -> Fius:
    return Fius(kafka_bootstrap, topics, countries, agencies, keys)


async def test_a_transfer_older_than_the_horizon_is_recorded_once_for_both_fius_and_never_traced(
    fius: Fius, service_settings: ServiceSettingsFactory
) -> None:
    now = datetime.now(UTC)
    pe, co = account("PE", "191-90-01"), account("CO", "0550-90-02")
    old = transfer_report(pe, co, "5000.00", "USD", now - timedelta(days=2.5), "uetr-horizon-old")
    recent = transfer_report(pe, co, "6000.00", "USD", now - timedelta(hours=3), "uetr-horizon-new")
    settings = service_settings(Settings).model_copy(update={"finance_horizon_days": 1.0})

    async with running(settings):
        await fius.send("PE", "report-submitted", old)
        await fius.wait_for("PE", "report-recorded")
        await fius.send("CO", "report-submitted", {**old, "reporting_entity": BANKS["CO"]})
        await fius.send("PE", "report-submitted", recent)
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
