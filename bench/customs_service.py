"""The customs service's side of ``bench customs``: its key, its progress, what it published, its clean-up."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from aiokafka.admin import AIOKafkaAdminClient

from andina.contract.events import customs as types
from andina.contract.kafka_auth import client_options
from andina.contract.topics import DELIVERIES, SUBMISSIONS
from bench.outputs import RelayStalledError, read_back
from bench.stack import BenchStack, recipients_opener

SERVICE = "customs"
POLL_SECONDS = 0.25


@dataclass
class Progress:
    """(seconds, declarations committed) samples of the service's consumer group, from the warm-up on."""

    samples: list[tuple[float, int]] = field(default_factory=list)

    def rate(self, first: float = 0.0, last: float = 1.0) -> float:
        """Declarations/s between two fractions of the measured declarations."""
        start, end = self.samples[0][1], self.samples[-1][1]

        def at(share: float) -> tuple[float, int]:
            target = start + share * (end - start)
            return next(s for s in self.samples if s[1] >= target)

        (t0, n0), (t1, n1) = at(first), at(last)
        return (n1 - n0) / (t1 - t0) if t1 > t0 else float("nan")

    @property
    def declarations(self) -> int:
        return self.samples[-1][1] - self.samples[0][1]

    @property
    def seconds(self) -> float:
        return self.samples[-1][0] - self.samples[0][0]


async def committed(stack: BenchStack, total: int, warmup: int, give_up_after: float) -> Progress:
    """Follow the consumer group's committed offsets until ``total`` declarations are committed."""
    admin = AIOKafkaAdminClient(bootstrap_servers=stack.bootstrap.split(","), **client_options())
    await admin.start()
    progress = Progress()
    started = time.perf_counter()
    topic = stack.topics.topic(SERVICE, SUBMISSIONS)
    try:
        while True:
            offsets = await admin.list_consumer_group_offsets(stack.topics.consumer_group(SERVICE))
            done = sum(o.offset for tp, o in offsets.items() if tp.topic == topic and o.offset > 0)
            now = time.perf_counter() - started
            if done >= warmup:
                progress.samples.append((now, done))
            if done >= total:
                return progress
            if now > give_up_after:
                raise RelayStalledError(f"the customs service committed {done} of {total} declarations")
            await asyncio.sleep(POLL_SECONDS)
    finally:
        await admin.close()


@dataclass
class Findings:
    """Findings, each once (each is delivered to two countries), with the first publish time of discrepancies.

    A discrepancy is (export number, import number); an unmatched shipment (export number, "").
    """

    pairs: set[tuple[str, str]] = field(default_factory=set)
    published_ms: dict[str, int] = field(default_factory=dict)  # by import number


async def findings(stack: BenchStack) -> Findings:
    """The final findings: one later withdrawn (a pair undone by a better match, an unmatched export whose import
    came late) is not one."""
    found = Findings()
    records = await read_back(stack.bootstrap, stack.topics.topic(SERVICE, DELIVERIES), stack.topics.partitions)
    openers = stack.openers()
    by_id: dict[str, tuple[str, str]] = {}
    withdrawn: set[str] = set()
    for timestamp, recipient, value in records:
        event = recipients_opener(openers, recipient).open_attributes(value)
        data = event["data"]
        if event["type"] == types.DECLARATION_DISCREPANCY:
            imported = data["imported"]["number"]
            by_id[data["finding_id"]] = (data["exported"]["number"], imported)
            found.published_ms[imported] = min(timestamp, found.published_ms.get(imported, timestamp))
        elif event["type"] == types.UNMATCHED_SHIPMENT:
            by_id[data["finding_id"]] = (data["exported"]["number"], "")
        if data.get("supersedes"):  # a withdrawal, or a finding reported again after one
            withdrawn.add(data["supersedes"])
    found.pairs = {pair for finding_id, pair in by_id.items() if finding_id not in withdrawn}
    return found
