"""Fixtures for every tier.

Integration and end-to-end tests need a real Kafka and a real Mongo-protocol store.
They use KAFKA_BOOTSTRAP_SERVERS and MONGO_URL when set (`make test` starts the local
stack and sets them), else start containers with testcontainers when a Docker engine
answers, else fail with a message that says how to start the local stack.

When KAFKA_BOOTSTRAP_SERVERS is the local stack's broker and the stack requires SASL (its
credentials file, found as `andina stack` finds it: ANDINA_STACK_KAFKA_CREDENTIALS_FILE, else
<ANDINA_STACK_STATE_DIR or .stack>/kafka/credentials.json), fixtures and services under test
log in as admin, each `agencies[...]` client as its country's user, and each test's topic
namespace gets the ACLs the stack's namespace has.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pytest
from aiokafka import ConsumerRecord

from andina.contract.client import AgencyClient, PartitionReader
from andina.contract.countries import CountryRegistry
from andina.contract.kafka_auth import KafkaAuth
from andina.contract.sealing import DeliveryOpener
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind
from andina.contract.topics import TopicRegistry
from andina.deploy.kafka_security import namespace_acls
from andina.deploy.kafka_users import KafkaUsers
from andina.deploy.services import kafka_environment
from andina.deploy.settings import Endpoints, StackSettings, stack_agency_tls, stack_users_of
from andina.shared.admin import delete_topics, ensure_topics
from andina.shared.settings import AndinaSettings

S = TypeVar("S", bound=AndinaSettings)


class ServiceSettingsFactory(Protocol):
    def __call__(self, settings_class: type[S]) -> S: ...


HOW_TO_START = (
    "no {what}: set {var}, or start the local stack with `andina stack up --no-services` "
    "(see CONTRIBUTING.md), or run where a Docker engine is available"
)


def _docker_available() -> bool:
    try:
        import docker  # type: ignore[import-untyped]

        docker.from_env().ping()
    except Exception:  # no client, no engine, no permission: all mean no containers
        return False
    return True


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    if url := os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        users = stack_users_of(StackSettings(), url)
        with pytest.MonkeyPatch.context() as patch:
            # Every client a test builds without naming a user logs in as admin.
            for name, value in (kafka_environment(users.admin()) if users else {}).items():
                patch.setenv(name, value)
            yield url
        return
    if not _docker_available():
        pytest.fail(HOW_TO_START.format(what="Kafka", var="KAFKA_BOOTSTRAP_SERVERS"))
    from testcontainers.kafka import KafkaContainer

    with KafkaContainer("apache/kafka:4.1.1").with_kraft() as kafka:
        yield kafka.get_bootstrap_server()


@pytest.fixture(scope="session")
def mongo_url() -> Iterator[str]:
    if url := os.environ.get("MONGO_URL"):
        yield url
        return
    if not _docker_available():
        pytest.fail(HOW_TO_START.format(what="Mongo-protocol store", var="MONGO_URL"))
    from testcontainers.mongodb import MongoDbContainer

    with MongoDbContainer("mongo:7") as mongo:
        yield mongo.get_connection_url()


@pytest.fixture(scope="session")
def kafka_users(kafka_bootstrap: str) -> KafkaUsers | None:
    """The local stack's Kafka users when the tests run against it and it requires SASL, else None."""
    return stack_users_of(StackSettings(), kafka_bootstrap)


@pytest.fixture
def sasl_users(kafka_users: KafkaUsers | None) -> KafkaUsers:
    """The stack's Kafka users, for tests of authentication and ACLs: skipped when the broker has none."""
    if kafka_users is None:
        pytest.skip("the broker does not require SASL: run against `andina stack up` (docs/operations.md: Kafka users)")
    return kafka_users


@pytest.fixture(scope="session")
def countries() -> CountryRegistry:
    return CountryRegistry.load()


@dataclass(frozen=True)
class Keys:
    """Signing keys of every country and service, as `andina keys generate` makes them."""

    dir: Path
    directory: Path
    signers: dict[str, SignerKey]

    def opener(self, country: str) -> DeliveryOpener:
        """What ``country``'s agency system opens its deliveries with."""
        return DeliveryOpener.load(self.dir, country, KeyDirectory.load(self.directory))

    def decoder(self, country: str, stream: str) -> Callable[[bytes], dict[str, Any]]:
        """How ``country``'s agency reads a record of ``stream``: deliveries opened with its key, the rest as JSON."""
        return self.opener(country).decoder_for(stream)


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory, countries: CountryRegistry) -> Keys:
    keys_dir = tmp_path_factory.mktemp("keys")
    directory = keys_dir / "directory.json"
    signers: dict[str, SignerKey] = {}
    for name, kind in [(c, SignerKind.COUNTRY) for c in countries.every_code] + [
        (s, SignerKind.SERVICE) for s in TopicRegistry.load().services
    ]:
        signers[name] = SignerKey.generate(name)
        signers[name].save(keys_dir)
        KeyDirectory.publish(directory, signers[name], kind)
    return Keys(keys_dir, directory, signers)


@pytest.fixture
async def topics(
    kafka_bootstrap: str, kafka_users: KafkaUsers | None, countries: CountryRegistry
) -> AsyncIterator[TopicRegistry]:
    """A fresh topic namespace per test (with its ACLs on a SASL stack), so that no test sees another's records."""
    registry = replace(TopicRegistry.load(), namespace=f"t{uuid.uuid4().hex[:10]}")
    await ensure_topics(kafka_bootstrap, registry)
    try:
        if kafka_users is None:
            yield registry
        else:
            async with namespace_acls(
                kafka_bootstrap, kafka_users.admin(), registry, countries.every_code, countries.programme_reach()
            ):
                yield registry
    finally:
        await delete_topics(kafka_bootstrap, registry)


@pytest.fixture
def service_settings(
    kafka_bootstrap: str, kafka_users: KafkaUsers | None, mongo_url: str, keys: Keys, topics: TopicRegistry
) -> ServiceSettingsFactory:
    """Settings of a service under test: this test's topics, its own database, the test keys (admin on Kafka)."""
    admin = kafka_users.admin() if kafka_users else None
    credentials: dict[str, Any] = (
        {
            "kafka_security_protocol": admin.security_protocol,
            "kafka_sasl_mechanism": admin.sasl_mechanism,
            "kafka_username": admin.username,
            "kafka_password": admin.password,
        }
        if admin
        else {}
    )

    def make(settings_class: type[S]) -> S:
        return settings_class(
            **credentials,
            kafka_bootstrap_servers=kafka_bootstrap,
            mongo_url=mongo_url,
            database_prefix=f"{topics.namespace}_",
            keys_dir=keys.dir,
            key_directory=keys.directory,
            topic_namespace=topics.namespace,
        )

    return make


@asynccontextmanager
async def _agency_clients(
    kafka_bootstrap: str,
    keys: Keys,
    countries: CountryRegistry,
    topics: TopicRegistry,
    auth: Callable[[str], KafkaAuth | None],
) -> AsyncIterator[dict[str, AgencyClient]]:
    clients = {
        c: AgencyClient(kafka_bootstrap, keys.signers[c], countries, topics, auth=auth(c)) for c in countries.codes
    }
    for client in clients.values():
        await client.__aenter__()
    try:
        yield clients
    finally:
        for client in clients.values():
            await client.__aexit__()


@pytest.fixture
async def agencies(
    kafka_bootstrap: str, kafka_users: KafkaUsers | None, keys: Keys, countries: CountryRegistry, topics: TopicRegistry
) -> AsyncIterator[dict[str, AgencyClient]]:
    """One agency client per member country, on this test's topics, as the country's Kafka user."""
    country = kafka_users.country if kafka_users else lambda code: None
    async with _agency_clients(kafka_bootstrap, keys, countries, topics, country) as clients:
        yield clients


@pytest.fixture
async def admin_agencies(
    kafka_bootstrap: str, kafka_users: KafkaUsers | None, keys: Keys, countries: CountryRegistry, topics: TopicRegistry
) -> AsyncIterator[dict[str, AgencyClient]]:
    """The same clients logged in as admin: for tests that play a service's part (writing deliveries or signals)."""
    admin = kafka_users.admin() if kafka_users else None
    async with _agency_clients(kafka_bootstrap, keys, countries, topics, lambda code: admin) as clients:
        yield clients


@pytest.fixture
def demo_endpoints(
    kafka_bootstrap: str, kafka_users: KafkaUsers | None, mongo_url: str, keys: Keys, topics: TopicRegistry
) -> Endpoints:
    """Where ``andina demo``'s scenes find the bus, pointed at this test's topics, keys and Kafka users
    (the countries over the stack's TLS listener, as in ``andina demo``)."""
    return Endpoints(
        bootstrap_servers=kafka_bootstrap,
        mongo_url=mongo_url,
        keys_dir=keys.dir,
        key_directory=keys.directory,
        andina=AndinaSettings(topic_namespace=topics.namespace),
        kafka_users=kafka_users,
        agency_tls=stack_agency_tls(StackSettings()) if kafka_users else None,
    )


def operator_environment(env: dict[str, str] | None = None, columns: int = 250) -> dict[str, str]:
    """The environment of an operator's shell, for `andina` run as a subprocess: the stack's users
    (countries over TLS), not the admin login ``kafka_bootstrap`` exports to the clients tests build;
    ``columns`` wide, since the console wraps tables to the terminal."""
    own = {name: value for name, value in os.environ.items() if not name.startswith("ANDINA_KAFKA_")}
    return {**own, "COLUMNS": str(columns), **(env or {})}


async def read_partition(
    kafka: str, topic: str, partition: int, count: int, within: float = 30.0
) -> list[ConsumerRecord[bytes, bytes]]:
    """A partition's records from its start, once ``count`` are there or ``within`` seconds have passed."""
    async with PartitionReader(kafka, topic, partition) as reader:
        return await reader.read(0, lambda records: len(records) >= count, within=within)
