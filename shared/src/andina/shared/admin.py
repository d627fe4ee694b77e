"""Topic administration: the deploy step (and test or benchmark set-up) owns the topics.

Services never create topics, and the broker is configured not to either. Creation is
idempotent: missing topics are created with the registry's partition count and existing
ones are checked. A different count is an error for an operator to resolve, never
altered here: the registry and the broker must agree on every country's partition.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from andina.contract.countries import CountryRegistry
from andina.contract.kafka_auth import KafkaAuth, client_options
from andina.contract.topics import TopicRegistry

TOPIC_ALREADY_EXISTS = 36


class TopicAdminError(RuntimeError):
    """Kafka cannot be reached, or its topics disagree with the registry."""


@dataclass(frozen=True, slots=True)
class TopicState:
    name: str
    partitions: int | None  # None: the topic does not exist
    action: str = "exists"  # exists | created | missing


async def connect_admin(bootstrap: str, wait: float, auth: KafkaAuth | None = None) -> AIOKafkaAdminClient:
    """An admin client, retrying for ``wait`` seconds while the broker is still starting.

    ``auth``: a user allowed to administer (default: this process's ``ANDINA_KAFKA_*`` variables).
    """
    deadline = time.monotonic() + wait
    while True:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=bootstrap.split(","),
            client_id="andina-admin",
            request_timeout_ms=10_000,
            **client_options(auth),
        )
        try:
            await asyncio.wait_for(admin.start(), 10)
            return admin
        except Exception as exc:  # connection refused, timeout: the broker is not up (yet)
            with contextlib.suppress(Exception):
                await admin.close()
            if time.monotonic() > deadline:
                raise TopicAdminError(
                    f"cannot reach Kafka at {bootstrap} ({type(exc).__name__}): is the stack up? "
                    "Run `andina stack up`, or set ANDINA_KAFKA_BOOTSTRAP_SERVERS"
                ) from None
            await asyncio.sleep(1)


async def _partition_counts(admin: AIOKafkaAdminClient, names: list[str] | None) -> dict[str, int]:
    described: list[dict[str, Any]] = await admin.describe_topics(names)
    return {t["topic"]: len(t["partitions"]) for t in described if t["error_code"] == 0}


async def ensure_topics(
    bootstrap: str,
    registry: TopicRegistry,
    countries: CountryRegistry | None = None,
    wait: float = 60.0,
    auth: KafkaAuth | None = None,
    replication: int = 1,
) -> list[TopicState]:
    """Create the registry's missing topics, each on ``replication`` brokers, and wait until the broker serves all."""
    registry.check_fits(countries or CountryRegistry.load())
    wanted = registry.all_topics()
    admin = await connect_admin(bootstrap, wait, auth)
    try:
        existing = await _partition_counts(admin, wanted)
        wrong = [f"{n} has {existing[n]}" for n in wanted if n in existing and existing[n] != registry.partitions]
        if wrong:
            raise TopicAdminError(
                f"topics whose partition count is not the registry's {registry.partitions}: {', '.join(wrong)}"
            )
        missing = [n for n in wanted if n not in existing]
        if missing:
            response = await admin.create_topics(
                [_new_topic(registry, name, replication) for name in missing], timeout_ms=30_000
            )
            errors = [(e[0], e[1]) for e in response.topic_errors if e[1] not in (0, TOPIC_ALREADY_EXISTS)]
            if errors:
                raise TopicAdminError(f"Kafka refused to create topics (name, error code): {errors}")
        await _await_metadata(admin, wanted, registry.partitions)
        return [
            TopicState(n, registry.partitions, "created") if n in missing else TopicState(n, existing[n])
            for n in wanted
        ]
    finally:
        await admin.close()


def _new_topic(registry: TopicRegistry, name: str, replication: int) -> NewTopic:
    compaction = {"cleanup.policy": "compact"} if registry.compacted(name) else None
    return NewTopic(name, registry.partitions, replication, topic_configs=compaction)


async def _await_metadata(admin: AIOKafkaAdminClient, names: list[str], partitions: int, wait: float = 30) -> None:
    """Creation is asynchronous in the controller: wait until the broker serves every topic."""
    deadline = time.monotonic() + wait
    while True:
        counts = await _partition_counts(admin, names)
        pending = [n for n in names if counts.get(n) != partitions]
        if not pending:
            return
        if time.monotonic() > deadline:
            raise TopicAdminError(f"topics not ready after {wait:.0f} s: {', '.join(pending)}")
        await asyncio.sleep(0.5)


async def list_topics(
    bootstrap: str, registry: TopicRegistry, wait: float = 5.0, auth: KafkaAuth | None = None
) -> list[TopicState]:
    """Every topic on the broker (internal ones excepted), and the registry's missing ones."""
    admin = await connect_admin(bootstrap, wait, auth)
    try:
        counts = await _partition_counts(admin, None)
    finally:
        await admin.close()
    states = [TopicState(n, c) for n, c in sorted(counts.items()) if not n.startswith("__")]
    states += [TopicState(n, None, "missing") for n in registry.all_topics() if n not in counts]
    return states


async def delete_topics(bootstrap: str, registry: TopicRegistry, auth: KafkaAuth | None = None) -> None:
    """Delete the registry's topics (tests and benchmarks clean up their own namespace)."""
    admin = await connect_admin(bootstrap, 5.0, auth)
    try:
        existing = set(await admin.list_topics())
        doomed = [name for name in registry.all_topics() if name in existing]
        if doomed:
            await admin.delete_topics(doomed)
    finally:
        await admin.close()
