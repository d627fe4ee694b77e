"""Batches and records as other clients write them, against a running service (alerts): none stops it.

Written by a raw producer to the submissions topic, as Go's franz-go, Java's or librdkafka's
clients would: a batch in each codec Kafka allows, a record with no value, binary and
oversized headers, a key that is not UTF-8, a batch whose CRC does not match (the broker
refuses it to the producer), and a batch this consumer cannot decode. Each
time every country's valid events are handled and nothing is lost.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import pytest
from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.errors import CorruptRecordException, UnsupportedCodecError
from aiokafka.protocol.produce import ProduceRequest
from aiokafka.record import default_records

from andina.alerts.app import create_app
from andina.alerts.settings import Settings
from andina.contract.client import AgencyClient
from andina.contract.countries import CountryRegistry
from andina.contract.events.catalogs.alerts import MESSAGE_DELIVERED
from andina.contract.events.catalogs.alerts import MESSAGE_SENT as SENT
from andina.contract.events.receipts import refused_in_your_name_type
from andina.contract.kafka_auth import client_options
from andina.contract.topics import DEAD_LETTER, DELIVERIES, SUBMISSIONS, TopicRegistry
from tests.conftest import Keys, ServiceSettingsFactory, read_partition
from tests.security.test_hostile_input_live import dead_letter_counts
from tests.unit.shared import test_fetching

pytestmark = pytest.mark.integration

CORRUPT_MESSAGE = CorruptRecordException.errno
Raw = tuple[bytes | None, bytes | None, list[tuple[str, bytes]]]  # key, value, headers


def message(recipient: str) -> dict[str, object]:
    return {"subject": "Alerta de frontera", "body": "Vehículo con placa ABC-123", "recipients": [recipient]}


@asynccontextmanager
async def raw_producer(kafka: str, codec: str | None = None) -> AsyncIterator[AIOKafkaProducer]:
    producer = AIOKafkaProducer(bootstrap_servers=kafka.split(","), compression_type=codec, **client_options())
    await producer.start()
    try:
        yield producer
    finally:
        await producer.stop()


async def send_batch(
    producer: AIOKafkaProducer,
    topic: str,
    partition: int,
    records: Sequence[Raw],
) -> None:
    """``records`` (key, value, headers) as one batch, compressed with the producer's codec."""
    batch = producer.create_batch()
    for key, value, headers in records:
        assert batch.append(key=key, value=value, timestamp=None, headers=headers) is not None
    batch.close()
    await (await producer.send_batch(batch, topic, partition=partition))


async def produce_bytes(producer: AIOKafkaProducer, topic: str, partition: int, data: bytes) -> int:
    """Send ``data`` as a batch exactly as given, and return the broker's error code (0: appended)."""
    await producer.client.force_metadata_update()
    leader = producer.client.cluster.leader_for_partition(TopicPartition(topic, partition))
    topics = [(topic, [(partition, data)])]
    request = ProduceRequest(required_acks=-1, timeout=10_000, topics=topics, transactional_id=None)
    response = await producer.client.send(leader, request)
    ((_, ((_, error_code, *_),)),) = response.topics
    return int(error_code)


def reasons_of(records: Sequence[object]) -> list[str]:
    return sorted(dict(r.headers)["andina-dlq-reason"].decode() for r in records)  # type: ignore[attr-defined]


async def test_every_codec_and_odd_records_from_raw_producers_leave_every_valid_event_handled(
    kafka_bootstrap: str,
    service_settings: ServiceSettingsFactory,
    agencies: dict[str, AgencyClient],
    countries: CountryRegistry,
    topics: TopicRegistry,
    keys: Keys,
) -> None:
    submissions = topics.topic("alerts", SUBMISSIONS)
    codec_of = {"PE": "gzip", "CO": "snappy", "EC": "lz4", "BO": "zstd"}
    sent_to_bo: list[str] = []
    for country, codec in codec_of.items():
        recipient = "PE" if country == "BO" else "BO"
        events = [agencies[country].event(SENT, message(recipient)) for _ in range(2)]
        sent_to_bo += [str(e.id) for e in events if recipient == "BO"]
        async with raw_producer(kafka_bootstrap, codec) as producer:
            batch: list[Raw] = [(country.encode(), e.wire, []) for e in events]
            await send_batch(producer, submissions, countries.partition_of(country), batch)
    odd_headers = agencies["PE"].event(SENT, message("BO"))
    sent_to_bo.append(str(odd_headers.id))
    async with raw_producer(kafka_bootstrap) as producer:
        pe = countries.partition_of("PE")
        await send_batch(producer, submissions, pe, [(b"PE", None, [])])  # no value at all
        headers = [("trace", b"\xff\xfe\x00binary"), ("note", b"x" * 60_000), ("empty", b"")]
        await send_batch(producer, submissions, pe, [(b"PE", odd_headers.wire, headers)])
        damaged = test_fetching.corrupted(test_fetching.batch(0, [odd_headers.wire], "gzip"))
        assert await produce_bytes(producer, submissions, pe, damaged) == CORRUPT_MESSAGE  # never reaches a consumer
        wrong_key = agencies["CO"].event(SENT, message("BO")).wire
        await send_batch(producer, submissions, countries.partition_of("CO"), [(b"\xc3\x28CO", wrong_key, [])])

    app = create_app(service_settings(Settings))
    async with app.start_lifespan_context():
        deliveries = topics.topic("alerts", DELIVERIES)
        to_bo = await read_partition(kafka_bootstrap, deliveries, countries.partition_of("BO"), 7, within=15.0)
        to_pe = await read_partition(kafka_bootstrap, deliveries, countries.partition_of("PE"), 3)
        dead_letters = topics.topic("alerts", DEAD_LETTER)
        dead = [
            *await read_partition(kafka_bootstrap, dead_letters, countries.partition_of("PE"), 1),
            *await read_partition(kafka_bootstrap, dead_letters, countries.unattributed_partition, 1),
        ]
        counted = await dead_letter_counts(app)

    opened_for_bo = [keys.opener("BO").open(r.value) for r in to_bo]
    assert sorted(str(e.causationid) for e in opened_for_bo) == sorted(sent_to_bo)
    to_pe_types = sorted(keys.opener("PE").open(r.value).type for r in to_pe)
    assert to_pe_types == [  # BO's zstd batch; the record with no value was refused in PE's name
        MESSAGE_DELIVERED,
        MESSAGE_DELIVERED,
        refused_in_your_name_type("alerts"),
    ]
    assert reasons_of(dead) == ["malformed-json", "wrong-key"]  # the record with no value; the key not UTF-8
    assert counted == {"malformed-json": 1.0, "wrong-key": 1.0}  # no undecodable batch: every codec was read


async def test_a_batch_this_consumer_cannot_decode_is_dead_lettered_and_every_country_goes_on(
    kafka_bootstrap: str,
    service_settings: ServiceSettingsFactory,
    agencies: dict[str, AgencyClient],
    countries: CountryRegistry,
    topics: TopicRegistry,
    keys: Keys,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def snappy_library_missing(payload: bytes) -> bytes:
        raise UnsupportedCodecError("Libraries for snappy compression codec not found")

    # The consumer as it was when a Go agency's snappy batch stopped it: no snappy library.
    monkeypatch.setattr(default_records.DefaultRecordBatch.__module__ + ".snappy_decode", snappy_library_missing)
    submissions = topics.topic("alerts", SUBMISSIONS)
    pe = countries.partition_of("PE")
    async with raw_producer(kafka_bootstrap, "snappy") as producer:
        snappy = [agencies["PE"].event(SENT, message("BO")) for _ in range(2)]
        await send_batch(producer, submissions, pe, [(b"PE", e.wire, []) for e in snappy])
    after = {country: agencies[country].event(SENT, message("BO")) for country in ("PE", "CO", "EC")}
    for country, event in after.items():
        await agencies[country].submit("alerts", event)

    app = create_app(service_settings(Settings))
    async with app.start_lifespan_context():
        deliveries = topics.topic("alerts", DELIVERIES)
        to_bo = await read_partition(kafka_bootstrap, deliveries, countries.partition_of("BO"), 3, within=15.0)
        dead_letters = topics.topic("alerts", DEAD_LETTER)
        dead = await read_partition(kafka_bootstrap, dead_letters, countries.unattributed_partition, 1)
        counted = await dead_letter_counts(app)

    causes = sorted(str(keys.opener("BO").open(r.value).causationid) for r in to_bo)
    assert causes == sorted(str(e.id) for e in after.values())  # PE's partition went on past the batch
    (undecodable,) = dead
    headers = {name: value.decode() for name, value in undecodable.headers}
    assert headers["andina-dlq-reason"] == "undecodable-batch"
    assert "snappy" in headers["andina-dlq-detail"]
    assert (headers["andina-dlq-source-topic"], headers["andina-dlq-source-partition"]) == (submissions, str(pe))
    assert headers["andina-dlq-source-offset"] == "0"
    assert counted == {"undecodable-batch": 1.0}
