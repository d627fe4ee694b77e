"""The bus on the real Kafka and Mongo-protocol store, through a real service (alerts).

What every agency relies on: a signed event lands on its sender's partition and is
processed; bad input of every kind goes to the dead-letter topic with its reason
while the next valid message still gets through; a redelivery changes nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from faststream.asgi import AsgiFastStream

from andina.alerts.app import create_app
from andina.alerts.settings import Settings
from andina.contract.client import AgencyClient, agency_event
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Handling, agency_source, unsigned_event
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.events.receipts import event_rejected_type, refused_in_your_name_type
from andina.contract.kafka_auth import client_options
from andina.contract.signing import SignerKey
from andina.contract.topics import DEAD_LETTER, DELIVERIES, SUBMISSIONS, TopicRegistry
from andina.shared.store import mongo_client
from tests.conftest import Keys, ServiceSettingsFactory
from tests.conftest import read_partition as read

pytestmark = pytest.mark.integration

SENT = alerts_catalog.MESSAGE_SENT
MESSAGE = {"subject": "Requisitoria", "body": "Sujeto con orden de captura cruzó Desaguadero", "recipients": ["CO"]}


@asynccontextmanager
async def running(app: AsgiFastStream) -> AsyncIterator[None]:
    async with app.start_lifespan_context():
        yield


def headers(record: ConsumerRecord[bytes, bytes]) -> dict[str, str]:
    return {k: v.decode() for k, v in record.headers}


async def test_a_signed_event_lands_on_its_senders_partition_and_is_processed(
    kafka_bootstrap: str,
    mongo_url: str,
    service_settings: ServiceSettingsFactory,
    agencies: dict[str, AgencyClient],
    countries: CountryRegistry,
    topics: TopicRegistry,
    keys: Keys,
) -> None:
    settings = service_settings(Settings)
    event = agencies["PE"].event(SENT, MESSAGE, Handling.H1)

    async with running(create_app(settings)):
        position = await agencies["PE"].submit("alerts", event)
        delivered = await read(kafka_bootstrap, topics.topic("alerts", DELIVERIES), countries.partition_of("CO"), 1)

    assert position.topic == topics.topic("alerts", SUBMISSIONS)
    assert position.partition == countries.partition_of("PE")
    envelope = keys.opener("CO").open(delivered[0].value)
    assert (envelope.causationid, envelope.origin, envelope.signer) == (event.id, "PE", "alerts")
    assert envelope.data["subject"] == MESSAGE["subject"]
    assert delivered[0].key == b"CO"
    client = mongo_client(mongo_url)
    db = client[f"{settings.database_prefix}alerts"]
    claim = await db["inbox_claims"].find_one({"_id": str(event.id)})
    finished = await db["inbox_finished"].find_one({"_id": str(event.id)})
    await client.close()
    assert claim is not None
    assert finished is not None
    assert (claim["origin"], claim["partition"], claim["offset"]) == ("PE", position.partition, position.offset)


async def test_bad_input_goes_to_the_dead_letter_topic_with_its_reason_and_the_next_valid_event_gets_through(
    kafka_bootstrap: str,
    service_settings: ServiceSettingsFactory,
    agencies: dict[str, AgencyClient],
    countries: CountryRegistry,
    topics: TopicRegistry,
    keys: Keys,
) -> None:
    pe = agencies["PE"]
    submissions = topics.topic("alerts", SUBMISSIONS)
    pe_partition = countries.partition_of("PE")
    valid = orjson.loads(pe.event(SENT, MESSAGE).wire)
    bad = {
        "bad-signature": orjson.dumps({**valid, "data": {**MESSAGE, "recipients": ["BO"]}}),
        "origin-mismatch": keys.signers["CO"].sign(  # claims to come from PE, signed by CO
            unsigned_event(type=SENT, source=agency_source("PE", "policia"), origin="PE", data=MESSAGE)
        ),
        "wrong-key": agencies["CO"].event(SENT, MESSAGE).wire,  # CO's own event, sent on PE's partition
        "malformed-json": b'{"specversion": "1.0", "id": ',
        "invalid-payload": pe.event(SENT, {"subject": "no recipients", "body": "x"}).wire,
        "oversized": pe.event(SENT, {**MESSAGE, "body": "x" * 300_000}).wire,
    }
    for value in bad.values():
        await pe.send_raw(submissions, b"PE", value)
    await pe.send_raw(
        submissions,
        b"VE",
        agency_event(SignerKey.generate("VE"), "policia", SENT, MESSAGE).wire,
        partition=countries.unattributed_partition,
    )
    follow_up = pe.event(SENT, MESSAGE)
    await pe.submit("alerts", follow_up)

    async with running(create_app(service_settings(Settings))):
        dead = await read(kafka_bootstrap, topics.topic("alerts", DEAD_LETTER), pe_partition, len(bad))
        unattributed = await read(
            kafka_bootstrap, topics.topic("alerts", DEAD_LETTER), countries.unattributed_partition, 1
        )
        delivered = await read(kafka_bootstrap, topics.topic("alerts", DELIVERIES), countries.partition_of("CO"), 1)

    assert [headers(r)["andina-dlq-reason"] for r in dead] == list(bad)
    assert [r.value for r in dead[:-1]] == list(bad.values())[:-1]  # original bytes, for replay
    assert dead[-1].value == bad["oversized"][:4096]
    assert headers(dead[-1])["andina-dlq-original-bytes"] == str(len(bad["oversized"]))
    assert [int(headers(r)["andina-dlq-source-offset"]) for r in dead] == list(range(len(bad)))
    assert {headers(r)["andina-dlq-source-topic"] for r in dead} == {submissions}
    assert headers(unattributed[0])["andina-dlq-reason"] == "unknown-country"
    assert unattributed[0].key is None
    assert keys.opener("CO").open(delivered[0].value).causationid == follow_up.id
    # The sender of an authenticated but refused event is told why, on its own partition; PE also
    # hears of the records refused in its name before any signature of it was verified.
    notices = [
        keys.opener("PE").open(r.value)
        for r in await read(kafka_bootstrap, topics.topic("alerts", DELIVERIES), pe_partition, 5)
    ]
    in_your_name = refused_in_your_name_type("alerts")
    assert [(n.type, n.data["reason"]) for n in notices] == [
        (in_your_name, "bad-signature"),
        (in_your_name, "origin-mismatch"),
        (in_your_name, "malformed-json"),
        (event_rejected_type("alerts"), "invalid-payload"),
        (in_your_name, "oversized"),
    ]
    assert notices[3].data["event_id"] == str(orjson.loads(bad["invalid-payload"])["id"])
    assert notices[0].data == {"reason": "bad-signature", "refused": 1, "first_offset": 0, "last_offset": 0}


async def test_a_redelivered_event_is_processed_once_and_a_resent_one_is_a_duplicate(
    kafka_bootstrap: str,
    service_settings: ServiceSettingsFactory,
    agencies: dict[str, AgencyClient],
    countries: CountryRegistry,
    topics: TopicRegistry,
) -> None:
    settings = service_settings(Settings)
    deliveries = (kafka_bootstrap, topics.topic("alerts", DELIVERIES), countries.partition_of("CO"))
    event = agencies["PE"].event(SENT, MESSAGE)
    await agencies["PE"].submit("alerts", event)
    async with running(create_app(settings)):
        assert len(await read(*deliveries, count=1)) == 1

    # As after a crash before the offset commit: the group reads the partition again.
    await rewind_group(
        kafka_bootstrap,
        topics.consumer_group("alerts"),
        topics.topic("alerts", SUBMISSIONS),
        countries.partition_of("PE"),
    )
    await agencies["PE"].submit("alerts", event)  # the same event sent a second time
    async with running(create_app(settings)):
        dead = await read(kafka_bootstrap, topics.topic("alerts", DEAD_LETTER), countries.partition_of("PE"), 1)
        again = await read(*deliveries, count=2, within=5.0)

    assert len(again) == 1
    assert [headers(r)["andina-dlq-reason"] for r in dead] == ["duplicate"]
    assert headers(dead[0])["andina-dlq-source-offset"] == "1"


async def rewind_group(kafka: str, group: str, topic: str, partition: int) -> None:
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka, group_id=group, enable_auto_commit=False, **client_options())
    await consumer.start()
    try:
        consumer.assign([TopicPartition(topic, partition)])
        await consumer.commit({TopicPartition(topic, partition): 0})
    finally:
        await consumer.stop()


async def test_an_event_whose_handling_was_interrupted_is_handled_again(
    kafka_bootstrap: str,
    mongo_url: str,
    service_settings: ServiceSettingsFactory,
    agencies: dict[str, AgencyClient],
    countries: CountryRegistry,
    topics: TopicRegistry,
    keys: Keys,
) -> None:
    settings = service_settings(Settings)
    event = agencies["PE"].event(SENT, MESSAGE)
    position = await agencies["PE"].submit("alerts", event)
    # As if an earlier run claimed the event and crashed before publishing its delivery.
    client = mongo_client(mongo_url)
    await client[f"{settings.database_prefix}alerts"]["inbox_claims"].insert_one(
        {"_id": str(event.id), "topic": position.topic, "partition": position.partition, "offset": position.offset}
    )
    await client.close()

    async with running(create_app(settings)):
        delivered = await read(kafka_bootstrap, topics.topic("alerts", DELIVERIES), countries.partition_of("CO"), 1)

    assert keys.opener("CO").open(delivered[0].value).causationid == event.id
