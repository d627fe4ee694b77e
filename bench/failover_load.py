"""``bench failover``'s load: officers' screenings and owners' filings, and when each was answered.

Every member country's agencies send screening queries in turn and file records now and
then, at a steady rate, on their own partitions of intel-exchange's submissions. A reader of
every partition of the deliveries notes when the answer to each (``screening-answered`` or
``person-record-acknowledged``) arrives, and how many times.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from andina.contract.client import agency_event
from andina.contract.envelope import Handling
from andina.contract.events.catalogs.intel_exchange import (
    RECORD_ACKNOWLEDGED,
    RECORD_SUBMITTED,
    SCREENING_ANSWERED,
    SCREENING_REQUESTED,
)
from andina.contract.kafka_auth import client_options
from andina.contract.topics import DELIVERIES, SUBMISSIONS
from bench.screening_queries import QueryGenerator, record_data
from bench.stack import HEADERS, BenchStack, recipients_opener

SERVICE = "intel-exchange"
MEMBERS = ("BO", "CO", "EC", "PE")
ANSWERS = frozenset({SCREENING_ANSWERED, RECORD_ACKNOWLEDGED})
FILING_EVERY = 4  # one request in so many files a record; the others screen


@dataclass
class Traffic:
    """Each request's sender and send time, and each answer's arrival time (seconds, wall clock) and id."""

    sent: dict[str, tuple[str, float]] = field(default_factory=dict)
    answered: dict[str, list[tuple[float, str]]] = field(default_factory=dict)

    def first_answer_after(self, moment: float, senders: set[str]) -> float | None:
        """When the first answer to a request ``senders`` sent after ``moment`` arrived (an answer in
        transit then, made before it, says nothing of who serves after it)."""
        return min(
            (
                t
                for cause, answers in self.answered.items()
                for t, _ in answers
                if self.sent[cause][0] in senders and self.sent[cause][1] > moment
            ),
            default=None,
        )

    def in_flight(self, moment: float, senders: set[str]) -> int:
        """Requests of ``senders`` sent before ``moment`` and not answered by then."""
        return sum(
            1
            for cause, (sender, at) in self.sent.items()
            if sender in senders and at < moment and not any(t <= moment for t, _ in self.answered.get(cause, []))
        )

    def unanswered(self) -> int:
        return sum(1 for cause in self.sent if cause not in self.answered)

    def answered_twice(self) -> int:
        """Second answers under another id (a copy under the same id is dropped by the reader's inbox)."""
        return sum(len({i for _, i in answers}) - 1 for answers in self.answered.values())

    def copies(self) -> int:
        """Answers published again under the same id (a crash between publishing and finishing)."""
        return sum(len(answers) - len({i for _, i in answers}) for answers in self.answered.values())


class Load:
    """Requests at ``rate`` per second from the members in turn, and the answers' reader."""

    def __init__(self, stack: BenchStack, rate: float, seed: int = 4242) -> None:
        self._stack = stack
        self._rate = rate
        self._generator = QueryGenerator(seed)
        self._people = self._generator.people(500)
        self._queries = self._generator.queries(self._people, 2000)
        self.traffic = Traffic()
        self._producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap.split(","), acks="all", **client_options())
        deliveries = stack.topics.topic(SERVICE, DELIVERIES)
        self._reader = AIOKafkaConsumer(
            deliveries, bootstrap_servers=stack.bootstrap.split(","), fetch_max_wait_ms=50, **client_options()
        )
        self._tasks: list[asyncio.Task[None]] = []
        self._arrived = asyncio.Event()

    async def __aenter__(self) -> Load:
        await self._producer.start()
        await self._reader.start()
        await self._reader.seek_to_end()
        self._tasks = [asyncio.create_task(self._read()), asyncio.create_task(self._send())]
        return self

    async def __aexit__(self, *exc: object) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._producer.stop()
        await self._reader.stop()

    async def drain(self, within: float = 60.0) -> None:
        """Stop sending; wait until every request is answered, or ``within`` seconds have passed."""
        self._tasks[1].cancel()
        deadline = time.monotonic() + within
        while self.traffic.unanswered() and time.monotonic() < deadline:
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), timeout=1.0)
        await asyncio.sleep(1.0)  # an answer published twice arrives about when the first did

    def _request(self, n: int) -> tuple[str, Any]:
        sender = MEMBERS[n % len(MEMBERS)]
        key = self._stack.keys[sender]
        if n % FILING_EVERY == 0:
            number = n // FILING_EVERY
            person = self._people[number % len(self._people)]
            data = record_data(number, person) | {"owner": sender, "record_id": f"{sender}-F{number}"}
            return sender, agency_event(key, "policia", RECORD_SUBMITTED, data, Handling.H1)
        query = self._queries[n % len(self._queries)]
        return sender, agency_event(key, "migracion", SCREENING_REQUESTED, query.data, Handling.H1)

    async def _send(self) -> None:
        topic = self._stack.topics.topic(SERVICE, SUBMISSIONS)
        start = time.perf_counter()
        for n in range(10**9):
            sender, event = self._request(n)
            self.traffic.sent[str(event.id)] = (sender, time.time())
            partition = self._stack.countries.partition_of(sender)
            await self._producer.send(topic, event.wire, key=sender.encode(), partition=partition, headers=HEADERS)
            await asyncio.sleep(max(0.0, start + (n + 1) / self._rate - time.perf_counter()))

    async def _read(self) -> None:
        openers = self._stack.openers()
        while True:
            batches = await self._reader.getmany(timeout_ms=100)
            now = time.time()
            for record in (r for records in batches.values() for r in records):
                with contextlib.suppress(Exception):  # another run's record, or not for us
                    event = recipients_opener(openers, record.key).open_attributes(record.value)
                    if event["type"] in ANSWERS and (cause := str(event.get("causationid"))) in self.traffic.sent:
                        self.traffic.answered.setdefault(cause, []).append((now, str(event["id"])))
            self._arrived.set()
