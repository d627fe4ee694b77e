"""The consume path's promise to senders: each event has its effect once, a resent one is refused.

The inbox's finish marks are written off the hot path, just before the offsets are committed;
these tests hold that write back to show that nothing slips through meanwhile.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from uuid import UUID

import pytest
import structlog
from prometheus_client import CollectorRegistry

from andina.contract.client import agency_event
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Envelope, Handling
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.events.messages import DirectedMessage
from andina.contract.events.receipts import refused_in_your_name_type
from andina.contract.fetching import UNDECODABLE_HEADER
from andina.contract.rejections import Rejected
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind
from andina.shared.backoff import DependencyStatus
from andina.shared.gate import Gate, Inbound
from andina.shared.impersonation import RefusalNotices
from andina.shared.metrics import ServiceMetrics
from andina.shared.processing import EventProcessor, Handler, Route
from andina.shared.publishing import DeadLetters, EventPublisher, Outgoing
from andina.shared.store import Inbox, RecordPosition, Seen, WriteBatch
from tests.id_contract import reused_ids

TYPE = alerts_catalog.MESSAGE_SENT
MESSAGE = {"subject": "Vehículo robado", "body": "Placa ABC-123 cruzó hacia Tumbes", "recipients": ["CO"]}


@dataclass(frozen=True)
class Record:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None


@dataclass
class MemoryInbox:
    """The inbox's contract (claim, then finish) in memory."""

    claims: dict[UUID, RecordPosition] = field(default_factory=dict)
    finished: set[UUID] = field(default_factory=set)

    async def claim(self, events: list[tuple[Envelope, RecordPosition]]) -> dict[UUID, Seen]:
        seen = {e.id: Seen(self.claims[e.id], e.id in self.finished) for e, _ in events if e.id in self.claims}
        for envelope, position in events:
            self.claims.setdefault(envelope.id, position)
        return seen

    async def finish(self, event_ids: list[UUID]) -> None:
        self.finished.update(event_ids)


@dataclass
class Sent:
    outputs: list[Outgoing] = field(default_factory=list)
    dead_letters: list[tuple[int, str]] = field(default_factory=list)  # source offset, reason

    async def publish(self, outgoing: list[Outgoing]) -> None:
        self.outputs.extend(outgoing)

    async def send(self, key: bytes | None, value: bytes, position: RecordPosition, rejection: Rejected) -> None:
        self.dead_letters.append((position.offset, rejection.reason.value))


async def relay(inbound: Inbound[Any], unit: WriteBatch) -> list[Outgoing]:
    return [Outgoing("deliveries", recipient, {"id": str(inbound.envelope.id)}) for recipient in ("CO", "EC")]


@pytest.fixture
def pe_key(tmp_path: Path) -> tuple[SignerKey, Path]:
    key = SignerKey.generate("PE")
    KeyDirectory.publish(tmp_path / "directory.json", key, SignerKind.COUNTRY)
    return key, tmp_path / "directory.json"


def processor(
    directory: Path, inbox: MemoryInbox, sent: Sent, handler: Handler = relay, metrics: ServiceMetrics | None = None
) -> EventProcessor:
    gate = Gate(CountryRegistry.load(), KeyDirectory.load(directory), {TYPE: DirectedMessage}, max_event_bytes=4096)
    return EventProcessor(
        gate,
        {TYPE: Route(DirectedMessage, handler)},
        cast(Inbox, inbox),
        cast(EventPublisher, sent),
        cast(DeadLetters, sent),
        metrics or ServiceMetrics("alerts"),
        "deliveries",
        DependencyStatus("alerts", CollectorRegistry()),
        RefusalNotices("alerts", CountryRegistry.load(), "deliveries"),
    )


def submitted(key: SignerKey, offset: int, wire: bytes | None = None) -> Record:
    value = wire or agency_event(key, "policia", TYPE, MESSAGE, Handling.H1).wire
    return Record("submissions", 3, offset, b"PE", value)


async def test_an_event_sent_again_before_its_finish_mark_is_written_is_refused_as_a_duplicate(
    pe_key: tuple[SignerKey, Path],
) -> None:
    inbox, sent = MemoryInbox(), Sent()
    events = processor(pe_key[1], inbox, sent)
    first = submitted(pe_key[0], offset=10)

    await events.process([first])
    await events.process([submitted(pe_key[0], offset=11, wire=first.value)])

    assert inbox.finished == set()  # not written yet: the offset commit writes it
    assert [o.recipient for o in sent.outputs] == ["CO", "EC", "PE"]  # each recipient once; PE told why
    assert sent.outputs[-1].attributes["type"] == alerts_catalog.EVENT_REJECTED
    assert sent.dead_letters == [(11, "duplicate")]


async def test_refusals_of_one_event_that_say_different_things_come_under_different_ids(
    pe_key: tuple[SignerKey, Path],
) -> None:
    sent = Sent()
    events = processor(pe_key[1], MemoryInbox(), sent)
    first = submitted(pe_key[0], offset=30)
    again = [submitted(pe_key[0], offset=n, wire=first.value) for n in (31, 32, 33)]

    await events.process([first, again[0]])  # twice in one batch
    await events.finish_published()
    for later in again[1:]:  # already processed, twice: the same refusal again
        await events.process([later])

    notices = [o.attributes for o in sent.outputs if o.attributes.get("type") == alerts_catalog.EVENT_REJECTED]
    assert len({n["data"]["detail"] for n in notices}) == 2
    assert any(n["data"]["detail"].endswith("was already processed at submissions/3/30") for n in notices)
    assert len({n["id"] for n in notices}) == 2  # the same refusal again is the same notice
    assert reused_ids(notices) == {}


async def test_the_finish_marks_of_every_published_event_are_written_when_asked_and_redeliveries_skipped(
    pe_key: tuple[SignerKey, Path],
) -> None:
    inbox, sent = MemoryInbox(), Sent()
    events = processor(pe_key[1], inbox, sent)
    batch = [submitted(pe_key[0], offset=n) for n in (20, 21)]

    await events.process(batch)
    await events.finish_published()
    await events.process(batch)  # redelivered, as after a crash before the offset commit

    assert inbox.finished == set(inbox.claims)
    assert len(inbox.finished) == 2
    assert len(sent.outputs) == 4  # the redelivery published nothing again
    assert sent.dead_letters == []


async def test_only_an_event_whose_handling_was_cut_short_is_handed_over_as_handled_before(
    pe_key: tuple[SignerKey, Path],
) -> None:
    # A handler reads the store for what an earlier handling stored only when there may be some.
    handed: dict[int, bool] = {}

    async def noting(inbound: Inbound[Any], unit: WriteBatch) -> list[Outgoing]:
        handed[len(handed)] = inbound.handled_before
        return await relay(inbound, unit)

    inbox = MemoryInbox()
    interrupted = submitted(pe_key[0], offset=40)
    await processor(pe_key[1], inbox, Sent()).process([interrupted])  # then a crash before its finish mark
    restarted = processor(pe_key[1], inbox, Sent(), noting)

    await restarted.process([interrupted, submitted(pe_key[0], offset=41)])

    assert handed == {0: True, 1: False}


async def test_a_batch_the_client_could_not_decode_is_dead_lettered_and_the_events_around_it_handled(
    pe_key: tuple[SignerKey, Path],
) -> None:
    inbox, sent = MemoryInbox(), Sent()
    events = processor(pe_key[1], inbox, sent)
    undecodable = UndecodableRecord("submissions", 3, 31, None, b"\x00batch bytes", ((UNDECODABLE_HEADER, b"CRC"),))

    await events.process([submitted(pe_key[0], offset=30), undecodable, submitted(pe_key[0], offset=32)])

    assert sent.dead_letters == [(31, "undecodable-batch")]
    assert len(inbox.claims) == 2
    assert [o.recipient for o in sent.outputs] == ["CO", "EC", "CO", "EC"]  # no member to tell: it has no key


async def test_a_record_whose_signature_fails_in_a_members_name_is_told_to_that_member(
    pe_key: tuple[SignerKey, Path],
) -> None:
    inbox, sent = MemoryInbox(), Sent()
    events = processor(pe_key[1], inbox, sent)
    forged = SignerKey.generate("PE")  # not the key the directory holds for PE

    await events.process([submitted(forged, offset=50), submitted(pe_key[0], offset=51)])

    assert sent.dead_letters == [(50, "unknown-signer")]  # a key the directory does not hold for PE
    told = [o for o in sent.outputs if o.attributes.get("type") == refused_in_your_name_type("alerts")]
    assert [(o.recipient, o.attributes["data"]["reason"]) for o in told] == [("PE", "unknown-signer")]


@dataclass(frozen=True)
class UndecodableRecord(Record):
    headers: tuple[tuple[str, bytes], ...] = ()


async def test_each_event_handled_is_counted_once_by_type_and_origin_and_its_handler_logs_under_its_ids(
    pe_key: tuple[SignerKey, Path],
) -> None:
    metrics = ServiceMetrics("alerts")
    contexts: list[dict[str, Any]] = []

    async def relay_noting_the_log_context(inbound: Inbound[Any], unit: WriteBatch) -> list[Outgoing]:
        contexts.append(structlog.contextvars.get_contextvars())
        return await relay(inbound, unit)

    events = processor(pe_key[1], MemoryInbox(), Sent(), relay_noting_the_log_context, metrics)
    batch = [submitted(pe_key[0], offset=n) for n in (1, 2, 3)]
    await events.process([*batch, submitted(pe_key[0], offset=4, wire=batch[0].value)])  # the last: a duplicate

    received = metrics.registry.get_sample_value(
        "andina_events_received_total", {"service": "alerts", "type": TYPE, "origin": "PE"}
    )
    timed = metrics.registry.get_sample_value(
        "andina_event_handling_seconds_count", {"service": "alerts", "type": TYPE}
    )
    assert (received, timed) == (3, 3)
    ids = [str(Envelope.model_validate_json(r.value or b"").id) for r in batch]
    assert [c["eventid"] for c in contexts] == ids
    assert all(c["type"] == TYPE for c in contexts)
    assert "eventid" not in structlog.contextvars.get_contextvars()  # nothing left bound after the batch
