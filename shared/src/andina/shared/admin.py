"""Topic administration: the deploy step (and test or benchmark set-up) creates topics.

Services never create topics; the broker is configured not to either.
"""

from __future__ import annotations

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from andina.shared.topics import TopicRegistry


class TopicMismatchError(RuntimeError):
    """An existing topic has another partition count than the registry says."""


async def _admin(bootstrap_servers: str) -> AIOKafkaAdminClient:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers.split(","))
    await admin.start()
    return admin


async def ensure_topics(bootstrap_servers: str, registry: TopicRegistry, replication_factor: int = 1) -> list[str]:
    """Create the registry's missing topics; return the names created.

    Existing topics are checked, not altered: a wrong partition count would move
    countries off their partitions, so it is an error for an operator to resolve.
    """
    admin = await _admin(bootstrap_servers)
    try:
        wanted = registry.all_topics()
        existing = set(await admin.list_topics())
        missing = [name for name in wanted if name not in existing]
        if missing:
            await admin.create_topics([NewTopic(name, registry.partitions, replication_factor) for name in missing])
        present = [name for name in wanted if name in existing]
        for description in await admin.describe_topics(present) if present else []:
            count = len(description["partitions"])
            if count != registry.partitions:
                raise TopicMismatchError(
                    f"topic {description['topic']} has {count} partitions, the registry says {registry.partitions}"
                )
        return missing
    finally:
        await admin.close()


async def delete_topics(bootstrap_servers: str, registry: TopicRegistry) -> None:
    """Delete the registry's topics (tests and benchmarks clean up their own namespace)."""
    admin = await _admin(bootstrap_servers)
    try:
        existing = set(await admin.list_topics())
        doomed = [name for name in registry.all_topics() if name in existing]
        if doomed:
            await admin.delete_topics(doomed)
    finally:
        await admin.close()
