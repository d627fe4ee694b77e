"""Fixtures for every tier.

Integration and end-to-end tests need a real Kafka and a real Mongo-protocol store.
They use KAFKA_BOOTSTRAP_SERVERS and MONGO_URL when set (`make test` starts the local
stack and sets them), else start containers with testcontainers when a Docker engine
answers, else fail with a message that says how to start the local stack.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol, TypeVar

import pytest

from andina.deploy.settings import Endpoints
from andina.shared.admin import delete_topics, ensure_topics
from andina.shared.client import AgencyClient
from andina.shared.countries import CountryRegistry
from andina.shared.settings import AndinaSettings
from andina.shared.signing import KeyDirectory, SignerKey, SignerKind
from andina.shared.topics import TopicRegistry

S = TypeVar("S", bound=AndinaSettings)


class ServiceSettingsFactory(Protocol):
    def __call__(self, settings_class: type[S]) -> S: ...


HOW_TO_START = (
    "no {what}: set {var}, or start the local stack with `andina stack up --no-services` "
    "(see README), or run where a Docker engine is available"
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
def countries() -> CountryRegistry:
    return CountryRegistry.load()


@dataclass(frozen=True)
class Keys:
    """Signing keys of every country and service, as `andina keys generate` makes them."""

    dir: Path
    directory: Path
    signers: dict[str, SignerKey]


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory, countries: CountryRegistry) -> Keys:
    keys_dir = tmp_path_factory.mktemp("keys")
    directory = keys_dir / "directory.json"
    signers: dict[str, SignerKey] = {}
    for name, kind in [(c, SignerKind.COUNTRY) for c in countries.codes] + [
        (s, SignerKind.SERVICE) for s in TopicRegistry.load().services
    ]:
        signers[name] = SignerKey.generate(name)
        signers[name].save(keys_dir)
        KeyDirectory.publish(directory, signers[name], kind)
    return Keys(keys_dir, directory, signers)


@pytest.fixture
async def topics(kafka_bootstrap: str) -> AsyncIterator[TopicRegistry]:
    """A fresh topic namespace per test, so that no test sees another's records."""
    registry = replace(TopicRegistry.load(), namespace=f"t{uuid.uuid4().hex[:10]}")
    await ensure_topics(kafka_bootstrap, registry)
    yield registry
    await delete_topics(kafka_bootstrap, registry)


@pytest.fixture
def service_settings(kafka_bootstrap: str, mongo_url: str, keys: Keys, topics: TopicRegistry) -> ServiceSettingsFactory:
    """Settings of a service under test: this test's topics, its own database, the test keys."""

    def make(settings_class: type[S]) -> S:
        return settings_class(
            kafka_bootstrap_servers=kafka_bootstrap,
            mongo_url=mongo_url,
            database_prefix=f"{topics.namespace}_",
            keys_dir=keys.dir,
            key_directory=keys.directory,
            topic_namespace=topics.namespace,
        )

    return make


@pytest.fixture
async def agencies(
    kafka_bootstrap: str, keys: Keys, countries: CountryRegistry, topics: TopicRegistry
) -> AsyncIterator[dict[str, AgencyClient]]:
    """One agency client per member country, on this test's topics."""
    clients = {c: AgencyClient(kafka_bootstrap, keys.signers[c], countries, topics) for c in countries.codes}
    for client in clients.values():
        await client.__aenter__()
    yield clients
    for client in clients.values():
        await client.__aexit__()


@pytest.fixture
def demo_endpoints(kafka_bootstrap: str, mongo_url: str, keys: Keys, topics: TopicRegistry) -> Endpoints:
    """Where ``andina demo``'s scenes find the bus, pointed at this test's topics and keys."""
    return Endpoints(
        bootstrap_servers=kafka_bootstrap,
        mongo_url=mongo_url,
        keys_dir=keys.dir,
        key_directory=keys.directory,
        andina=AndinaSettings(topic_namespace=topics.namespace),
    )
