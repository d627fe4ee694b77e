"""An isolated corner of the local broker and store for one benchmark run.

Each run gets a fresh topic namespace (``bench-<random>``) and database prefix, its own
signing keys in a temporary folder, and removes its topics and database when done.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import json
import os
import secrets
import tempfile
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from pymongo import AsyncMongoClient

from andina.contract.countries import CountryRegistry
from andina.contract.envelope import CONTENT_TYPE, Handling, agency_source, unsigned_event
from andina.contract.events.messages import DirectedMessage, message_sent_type
from andina.contract.kafka_auth import client_options
from andina.contract.sealing import DeliveryOpener
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind
from andina.contract.topics import DEAD_LETTER, DELIVERIES, SUBMISSIONS, TopicRegistry
from andina.deploy.kafka_security import log_in_as_stack_admin
from andina.shared.admin import ensure_topics
from andina.shared.store import Document, database_name

SERVICE = "alerts"
BENCH_STREAMS = ("relay-raw", "relay-work")
HEADERS = [("content-type", CONTENT_TYPE.encode())]


@dataclass(frozen=True)
class BenchStack:
    bootstrap: str
    mongo_url: str
    namespace: str
    database_prefix: str
    keys_dir: Path
    topics: TopicRegistry
    countries: CountryRegistry
    keys: dict[str, SignerKey]
    countries_file: Path | None = None  # when the run has other members than the packaged registry

    @property
    def key_directory(self) -> Path:
        return self.keys_dir / "directory.json"

    def directory(self) -> KeyDirectory:
        return KeyDirectory.load(self.key_directory)

    def openers(self) -> dict[str, DeliveryOpener]:
        """Each member's opener of its sealed deliveries (the bench plays every agency)."""
        directory = self.directory()
        return {c: DeliveryOpener([self.keys[c]], directory) for c in self.countries.codes}

    @property
    def submissions(self) -> str:
        return self.topics.topic(SERVICE, SUBMISSIONS)

    @property
    def deliveries(self) -> str:
        return self.topics.topic(SERVICE, DELIVERIES)

    @property
    def dead_letters(self) -> str:
        return self.topics.topic(SERVICE, DEAD_LETTER)

    def bench_topic(self, stream: str) -> str:
        return self.topics.topic("bench", stream)

    def group(self, name: str) -> str:
        return f"{self.namespace}-bench-{name}"


def recipients_opener(openers: dict[str, DeliveryOpener], record_key: bytes | None) -> DeliveryOpener:
    """The opener of the member a delivery record is keyed to (its recipient)."""
    return openers[(record_key or b"").decode()]


def add_service_keys(stack: BenchStack, services: Iterable[str]) -> None:
    """The bench stack holds the alerts service's key; the other services sign with their own."""
    for service in services:
        if service not in stack.keys:
            key = SignerKey.generate(service)
            key.save(stack.keys_dir)
            KeyDirectory.publish(stack.key_directory, key, SignerKind.SERVICE)


async def drop_databases(stack: BenchStack, services: Iterable[str], prefix: str | None = None) -> None:
    """The bench stack drops the alerts database; the others' are dropped here (``prefix``: a run's own)."""
    mongo: AsyncMongoClient[Document] = AsyncMongoClient(stack.mongo_url, serverSelectionTimeoutMS=10_000)
    try:
        for service in services:
            await mongo.drop_database(database_name(prefix or stack.database_prefix, service))
    finally:
        await mongo.close()


def make_keys(keys_dir: Path, countries: CountryRegistry) -> dict[str, SignerKey]:
    """A key per member country and one for the service, published to ``keys_dir/directory.json``."""
    keys: dict[str, SignerKey] = {}
    for signer, kind in [*((c, SignerKind.COUNTRY) for c in countries.every_code), (SERVICE, SignerKind.SERVICE)]:
        key = SignerKey.generate(signer)
        key.save(keys_dir)
        KeyDirectory.publish(keys_dir / "directory.json", key, kind)
        keys[signer] = key
    return keys


@asynccontextmanager
async def bench_stack(members: dict[str, int] | None = None) -> AsyncIterator[BenchStack]:
    """``members`` (country code -> partition) replaces the packaged country registry."""
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    log_in_as_stack_admin(bootstrap)
    mongo_url = os.environ.get("MONGO_URL", "mongodb://127.0.0.1:27017/")
    suffix = secrets.token_hex(4)
    namespace = f"bench-{suffix}"
    registry = TopicRegistry.load()
    topics = dataclasses.replace(
        registry,
        namespace=namespace,
        streams={**registry.streams, "bench": BENCH_STREAMS},
    )
    with tempfile.TemporaryDirectory(prefix="andina-bench-") as tmp:
        countries_file = None
        if members is not None:
            countries_file = Path(tmp) / "countries.json"
            listed = [{"code": c, "name": c, "partition": p} for c, p in members.items()]
            countries_file.write_text(json.dumps({"unattributed_partition": 15, "countries": listed}))
        countries = CountryRegistry.load(countries_file)
        topics.check_fits(countries)
        keys_dir = Path(tmp) / "keys"
        stack = BenchStack(
            bootstrap=bootstrap,
            mongo_url=mongo_url,
            namespace=namespace,
            database_prefix=f"bench_{suffix}_",
            keys_dir=keys_dir,
            topics=topics,
            countries=countries,
            keys=make_keys(keys_dir, countries),
            countries_file=countries_file,
        )
        await ensure_topics(bootstrap, topics)
        # The harness times arrivals: a full collection walking its imports would stall that
        # clock for tens of milliseconds and count it as the service's latency.
        gc.collect()
        gc.freeze()
        try:
            yield stack
        finally:
            await _tear_down(stack)


async def _tear_down(stack: BenchStack) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=stack.bootstrap.split(","), **client_options())
    await admin.start()
    try:
        await admin.delete_topics(stack.topics.all_topics())
    finally:
        await admin.close()
    mongo: AsyncMongoClient[Document] = AsyncMongoClient(stack.mongo_url, serverSelectionTimeoutMS=10_000)
    try:
        await mongo.drop_database(database_name(stack.database_prefix, SERVICE))
    finally:
        await mongo.close()


def signed_submissions(stack: BenchStack, count: int, body_chars: int = 300) -> list[tuple[str, bytes]]:
    """``count`` signed message-sent events as agencies send them: (origin country, wire bytes).

    Origins take turns; each message goes to exactly one other member, so one delivery each.
    """
    codes = stack.countries.codes
    body = ("Alerta 24/7: vehiculo robado, placa ABC-123, visto cruzando el paso fronterizo. " * 8)[:body_chars]
    events: list[tuple[str, bytes]] = []
    for i in range(count):
        origin = codes[i % len(codes)]
        recipient = codes[(i + 1 + i // len(codes)) % len(codes)]
        if recipient == origin:
            recipient = codes[(codes.index(origin) + 1) % len(codes)]
        message = DirectedMessage(subject=f"Alerta {i}", body=body, recipients=[recipient], reference=f"REF-{i}")
        attributes = unsigned_event(
            type=message_sent_type(SERVICE),
            source=agency_source(origin, "policia"),
            origin=origin,
            data=message.model_dump(mode="json"),
            handling=Handling.H1,
        )
        events.append((origin, stack.keys[origin].sign(attributes)))
    return events


async def produce(stack: BenchStack, topic: str, events: list[tuple[str, bytes]]) -> None:
    """Write the events to their origin's partition, keyed by the origin, and wait for the acks."""
    producer = AIOKafkaProducer(
        bootstrap_servers=stack.bootstrap.split(","),
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        max_batch_size=512 * 1024,
        **client_options(),
    )
    await producer.start()
    try:
        for start in range(0, len(events), 2000):
            pending = [
                await producer.send(
                    topic,
                    value,
                    key=origin.encode(),
                    partition=stack.countries.partition_of(origin),
                    headers=HEADERS,
                )
                for origin, value in events[start : start + 2000]
            ]
            await asyncio.gather(*pending)
    finally:
        await producer.stop()
