"""What the fault tests on a private stack send and count: a steady stream from the four countries,
and the outputs it must cause, read back as each country's agency reads its partition."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from aiokafka import ConsumerRecord

from andina.contract.client import AgencyClient, PartitionReader
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Envelope
from andina.contract.events.receipts import event_rejected_type
from andina.contract.rejections import Reason
from andina.contract.signing import SignerKey
from andina.contract.topics import TopicRegistry
from bench.mixed_load import COUNTRIES, Input, Load
from tests.faults.private_stack import PrivateStack


@asynccontextmanager
async def agencies(stack: PrivateStack, topics: TopicRegistry) -> AsyncIterator[dict[str, AgencyClient]]:
    """An agency of each country, logged in as the stack's admin."""
    ends, countries = stack.ends, CountryRegistry.load()
    clients = {
        c: AgencyClient(ends.bootstrap_servers, SignerKey.load(ends.keys_dir, c), countries, topics, auth=stack.auth)
        for c in COUNTRIES
    }
    async with AsyncExitStack() as opened:
        for client in clients.values():
            await opened.enter_async_context(client)
        yield clients


@dataclass(frozen=True)
class Pace:
    inputs: int
    timed_every: int  # one input among every this many starts a deadline nobody meets
    rate: float  # inputs per second


# What each input leaves in the service's store: collection -> the inputs (by type) that add one document.
STORED = {
    "alerts": {"alerts": "alert-raised"},
    "intel-exchange": {
        "reports": "report-submitted",
        "firearm_traces": "firearm-trace-requested",
        "record_versions": "person-record-submitted",
    },
    "customs": {"assistance_requests": "assistance-requested", "declarations": "declaration-filed"},
    "finance-trace": {"reports": "report-submitted", "detail_requests": "detail-requested"},
}


async def stream(
    clients: dict[str, AgencyClient],
    load: Load,
    pace: Pace,
    sent: dict[str, Input],
    unsent: set[str],
    until: asyncio.Event | None = None,
    submitted: dict[str, Submission] | None = None,
) -> None:
    """The inputs at their pace from every country, each noted by id as sent, or unsent if the producer gave up.

    Each country's agency sends its own inputs in turn, as its own task, as real agencies do: one whose
    producer waits (its partition's leader gone) holds up none of the others, and the inputs come at their
    pace whatever a send takes. With ``until``, steady inputs go on after ``pace.inputs`` until it is set
    (a fault that lasts); ``submitted`` notes each input's submission."""
    queues: dict[str, asyncio.Queue[Input | None]] = {country: asyncio.Queue() for country in clients}
    senders = [
        asyncio.create_task(send(clients[country], load.service, queue, sent, unsent, submitted))
        for country, queue in queues.items()
    ]
    try:
        for n in itertools.count():
            if n >= pace.inputs and (until is None or until.is_set()):
                break
            timed = n < pace.inputs and n % pace.timed_every == pace.timed_every // 2
            item = load.timed(n // pace.timed_every) if timed else load.steady(n)
            queues[item.sender].put_nowait(item)
            await asyncio.sleep(1 / pace.rate)
        for queue in queues.values():
            queue.put_nowait(None)  # nothing more: each sender ends once it has sent what it was given
        await asyncio.gather(*senders)
    finally:  # a stream cancelled leaves no sender waiting
        for sender in senders:
            sender.cancel()


@dataclass(frozen=True)
class Submission:
    handed: float  # time.time() the input was handed to its agency's producer
    acknowledged: float  # and when the producer had it written (or gave up)


async def send(
    agency: AgencyClient,
    service: str,
    queue: asyncio.Queue[Input | None],
    sent: dict[str, Input],
    unsent: set[str],
    submitted: dict[str, Submission] | None,
) -> None:
    """One agency's inputs to ``service`` in the order they come, until None."""
    while (item := await queue.get()) is not None:
        event = agency.event(item.type, item.data, item.handling)
        handed = time.time()
        try:
            await agency.submit(service, event)
            sent[str(event.id)] = item
        except Exception:  # the producer gave up on it: it may or may not be there; expect nothing of it
            unsent.add(str(event.id))
        if submitted is not None:
            submitted[str(event.id)] = Submission(handed, time.time())


Key = tuple[str, str, str]  # input id (the outputs' correlation id), output type, recipient


def expectations(sent: dict[str, Input]) -> Counter[Key]:
    """How many distinct outputs each (input, output type, recipient) must have."""
    expected: Counter[Key] = Counter()
    for input_id, item in sent.items():
        expected.update((input_id, output_type, recipient) for output_type, recipient in (*item.outputs, *item.later))
    return expected


async def read(stack: PrivateStack, topic: str, country: str, count: int, within: float) -> list[Envelope]:
    """Records on ``country``'s partition of ``topic``, once ``count`` are there and every record the
    partition held when asked is read (others' may be there too: alerts raised by other services' signals),
    or ``within`` ran out."""
    partition = CountryRegistry.load().partition_of(country)
    async with PartitionReader(stack.ends.bootstrap_servers, topic, partition, auth=stack.auth) as reader:
        end = await reader.end_offset()

        def enough(records: list[ConsumerRecord[bytes, bytes]]) -> bool:
            return len(records) >= count and records[-1].offset + 1 >= end

        records = await reader.read(0, enough, within=within)
    opener = stack.ends.opener(country)
    return [opener.open(r.value) for r in records]


Output = tuple[str, Envelope]  # the country whose partition it is on, the event


async def deliveries(stack: PrivateStack, topic: str, expected: Counter[Key], within: float) -> list[Output]:
    """Every country's outputs on the deliveries ``topic``, once every expected one is there by id."""
    wanted = Counter(recipient for _, _, recipient in expected.elements())
    # None read where none is wanted: nothing to wait for, and a reader stopped at once may not stop cleanly.
    countries = [c for c in COUNTRIES if wanted[c]]
    until = time.monotonic() + within

    async def every_expected(country: str) -> list[Envelope]:
        mine = Counter({key: n for key, n in expected.items() if key[2] == country})
        count = wanted[country]
        while True:  # a copy re-published under its id counts once: read on until each is there
            events = await read(stack, topic, country, count, max(until - time.monotonic(), 0.0))
            missing = sum((mine - distinct([(country, e) for e in events])).values())
            if not missing or time.monotonic() >= until:
                return events
            count = len(events) + missing

    partitions = await asyncio.gather(*(every_expected(c) for c in countries))
    return [(country, e) for country, events in zip(countries, partitions, strict=True) for e in events]


def distinct(outputs: list[Output], ignored: frozenset[str] = frozenset()) -> Counter[Key]:
    """How many distinct outputs (by id) each (input, output type, recipient) has; copies refused aside."""
    ids: dict[Key, set[str]] = {}
    for country, output in outputs:
        if str(output.correlationid) not in ignored and not copy_refused(output):
            ids.setdefault((str(output.correlationid), output.type, country), set()).add(str(output.id))
    return Counter({key: len(found) for key, found in ids.items()})


@dataclass(frozen=True)
class Tally:
    expected: int
    distinct: int
    lost: int
    unexpected: int
    duplicates: int  # copies of an id already seen: re-publishes, recognised downstream by their id
    strays: list[Key]  # the (correlation id, type, recipient) of the unexpected outputs, a few
    missing: list[Key]  # those of the lost ones, a few
    copies_refused: int  # inputs the producer wrote twice, the second copy refused (not counted above)


def copy_refused(output: Envelope) -> bool:
    """A notice that an input came a second time, at another offset, and was refused: the agency's
    producer wrote it twice (a retry across a leader change can), and its effects happened once."""
    service = output.type.split(".")[1]
    return output.type == event_rejected_type(service) and output.data.get("reason") == Reason.DUPLICATE.value


def tally(expected: Counter[Key], outputs: list[Output], ignored: set[str]) -> Tally:
    distinct_outputs = distinct(outputs, frozenset(ignored))
    return Tally(
        expected=sum(expected.values()),
        distinct=sum(distinct_outputs.values()),
        lost=sum((expected - distinct_outputs).values()),
        unexpected=sum((distinct_outputs - expected).values()),
        duplicates=len(outputs) - len({str(o.id) for _, o in outputs}),
        strays=list((distinct_outputs - expected).keys())[:3],
        missing=list((expected - distinct_outputs).keys())[:3],
        copies_refused=sum(copy_refused(output) for _, output in outputs),
    )
