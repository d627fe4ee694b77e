"""The findings do not depend on the order or the batches the transfers arrive in (replayed or paced)."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

from andina.finance_trace.domain.patterns.policy import DAY
from andina.shared.events.catalogs.finance_trace import PATTERN_DETECTED, REPORT_SUBMITTED
from andina.shared.events.finance_trace import Pattern
from andina.shared.subject_hash import transfer_ref
from bench.finance_data import KEY, PERIOD, Dataset, Report, generate
from bench.finance_service import payload
from tests.unit.finance_trace.fakes import Service
from tests.unit.finance_trace.reporting import handle

# What a reader was told before, which the order changes: the revision, what it supersedes and replaces.
HISTORY = ("revision", "supersedes", "replaces")


def trade(service: Service) -> Dataset:
    """Generated transfers with every pattern planted, over 180 days up to a day before the service's clock."""
    return generate(3_000, seed=7, start=service.clock().timestamp() - PERIOD - DAY)


def keyed(report: Report) -> dict[str, Any]:
    """A report whose transactions carry their end-to-end reference, so that they are named the same in any report."""
    sent = payload(report)
    for transaction, position in zip(sent["transactions"], report.positions, strict=True):
        transaction["transfer_ref"] = transfer_ref(KEY, f"E2E{position:08d}")
        transaction["time"] = datetime.fromisoformat(transaction["time"]).astimezone(UTC).isoformat()
    return sent


async def final_findings(service: Service, reports: list[Report]) -> dict[str, dict[str, Any]]:
    """What each FIU keeps of what it was told: the latest revision of each finding not replaced, by event id."""
    told: dict[tuple[str, str], dict[str, Any]] = {}
    replaced: set[str] = set()
    for report in reports:
        for output in await handle(service, REPORT_SUBMITTED, keyed(report), report.reporter):
            if output.attributes["type"] != PATTERN_DETECTED:
                continue
            data = output.attributes["data"]
            replaced.update(data["replaces"])
            kept = told.get((output.recipient, data["detection_id"]))
            if kept is None or kept["data"]["revision"] < data["revision"]:
                told[output.recipient, data["detection_id"]] = {"id": str(output.attributes["id"]), "data": data}
    return {
        f"{recipient} {detection}": {**event, "data": {k: v for k, v in event["data"].items() if k not in HISTORY}}
        for (recipient, detection), event in told.items()
        if detection not in replaced
    }


async def test_the_same_transfers_give_the_same_findings_in_any_order_and_batches() -> None:
    in_order, shuffled = Service(), Service()
    data = trade(in_order)
    small_batches_any_order = list(data.reports(7))
    random.Random(3).shuffle(small_batches_any_order)

    found = await final_findings(in_order, list(data.reports(50)))

    assert {event["data"]["pattern"] for event in found.values()} == {pattern.value for pattern in Pattern}
    assert await final_findings(shuffled, small_batches_any_order) == found
