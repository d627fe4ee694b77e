"""``python -m bench returns [--quick]``: what the protection of a victim's return case costs.

The alerts service, in process on the local broker and store, drains a backlog of return cases
opened by Ecuador for Peru (h3: the case stored, both countries' deliveries sealed and audited,
the step's reminder and escalations scheduled), beside a backlog of information requests from
Ecuador to Peru through the same service in the same run (the request stored, one delivery, a
reminder and a deadline scheduled). Each rate runs from the first event sent to Peru's last
delivery read.
"""

from __future__ import annotations

import asyncio
import time
from datetime import date
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from andina.contract.envelope import Handling, agency_source, unsigned_event
from andina.contract.events.catalogs.alerts import REQUEST_SUBMITTED, RETURN_CASE_OPENED
from andina.contract.events.returns import OPENED
from andina.contract.kafka_auth import client_options
from bench.report import Result, ratio, table
from bench.service_path import logs_to_devnull, service_app
from bench.stack import BenchStack, bench_stack, produce

QUICK_CASES, FULL_CASES = 300, 2_000
REQUEST = {"to": "PE", "subject": "Antecedentes", "legal_basis": "Decisión 505 CAN", "urgency": "normal"}


def _events(stack: BenchStack, event_type: str, data: dict[str, Any], handling: Handling, n: int) -> list[Any]:
    attributes = [
        unsigned_event(
            type=event_type, source=agency_source("EC", "policia"), origin="EC", data=data, handling=handling
        )
        for _ in range(n)
    ]
    return [("EC", stack.keys["EC"].sign(a)) for a in attributes]


async def _drain(stack: BenchStack, events: list[Any]) -> float:
    """Events per second from the first sent to Peru's last delivery."""
    partition = TopicPartition(stack.deliveries, stack.countries.partition_of("PE"))
    consumer = AIOKafkaConsumer(bootstrap_servers=stack.bootstrap.split(","), **client_options())
    await consumer.start()
    try:
        consumer.assign([partition])
        start_offset = (await consumer.end_offsets([partition]))[partition]
        started = time.perf_counter()
        await produce(stack, stack.submissions, events)
        deadline = started + 300
        while (await consumer.end_offsets([partition]))[partition] - start_offset < len(events):
            if time.perf_counter() > deadline:
                raise RuntimeError("the service did not deliver the backlog within 5 minutes")
            await asyncio.sleep(0.05)
        return len(events) / (time.perf_counter() - started)
    finally:
        await consumer.stop()


async def run(quick: bool) -> tuple[str, Result]:
    n = QUICK_CASES if quick else FULL_CASES
    case = {**OPENED, "identified_on": date.today().isoformat()}
    async with bench_stack() as stack:
        requests = _events(stack, REQUEST_SUBMITTED, {**REQUEST, "requesting_authority": "Fiscalía"}, Handling.H1, n)
        cases = _events(stack, RETURN_CASE_OPENED, case, Handling.H3, n)
        with logs_to_devnull():
            async with service_app(stack, log_level="WARNING").start_lifespan_context():
                await _drain(stack, requests[: n // 10])  # warm-up: the run's fresh database, the first batches
                request_rate = await _drain(stack, requests[n // 10 :])
                case_rate = await _drain(stack, cases)
    result = Result(
        name="returns",
        mode="quick" if quick else "full",
        params={"cases": n, "requests": n - n // 10},
        figures={"return_cases_per_s": case_rate},
        baseline={"requests_per_s": request_rate},
        ratio={"cases/requests": ratio(case_rate, request_rate)},
    )
    text = table(
        ["backlog drained by the alerts service (EC -> PE)", "events/s"],
        [("information requests (baseline)", request_rate), ("return cases opened", case_rate)],
    )
    return text, result
