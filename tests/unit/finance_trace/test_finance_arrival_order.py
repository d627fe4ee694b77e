"""The findings do not depend on the order or the batches the transfers arrive in (replayed or paced)."""

from __future__ import annotations

import random
from typing import Any

from andina.contract.events.catalogs.finance_trace import PATTERN_DETECTED, REPORT_SUBMITTED
from andina.contract.events.finance_trace import Pattern
from andina.finance_trace.domain.patterns.policy import DAY
from bench.finance_data import Dataset, Report, generate
from bench.finance_service import payload
from bench.finance_told import Told
from bench.finance_world import PERIOD
from tests.unit.finance_trace.fakes import Service
from tests.unit.finance_trace.reporting import handle


def trade(service: Service) -> Dataset:
    """Generated transfers with every pattern planted, over 180 days up to a day before the service's clock."""
    return generate(3_000, seed=7, start=service.clock().timestamp() - PERIOD - DAY)


async def final_findings(service: Service, reports: list[Report]) -> dict[tuple[str, str], dict[str, Any]]:
    """What each FIU keeps of what it was told, by recipient and finding: its content."""
    told = Told()
    for report in reports:
        for output in await handle(service, REPORT_SUBMITTED, payload(report), report.reporter):
            if output.attributes["type"] == PATTERN_DETECTED:
                told.note(output.recipient, str(output.attributes["id"]), output.attributes["data"])
    return told.kept()


async def test_the_same_transfers_give_the_same_findings_in_any_order_and_batches() -> None:
    in_order, shuffled = Service(), Service()
    data = trade(in_order)
    small_batches_any_order = list(data.reports(7))
    random.Random(3).shuffle(small_batches_any_order)

    found = await final_findings(in_order, list(data.reports(50)))

    assert {finding["pattern"] for finding in found.values()} == {pattern.value for pattern in Pattern}
    assert await final_findings(shuffled, small_batches_any_order) == found
