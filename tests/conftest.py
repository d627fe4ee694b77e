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

import pytest

from andina.shared.admin import delete_topics, ensure_topics
from andina.shared.countries import CountryRegistry
from andina.shared.signing import KeyDirectory, SignerKey, SignerKind
from andina.shared.topics import TopicRegistry

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
