"""Store factory (PyMongo's AsyncMongoClient) and the inbox that makes consumption idempotent.

Each service owns one database, ``<prefix><service>``. FerretDB v1 has no transactions
nor change streams, so every write here is a single-document operation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol
from uuid import UUID

from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from andina.shared.envelope import Envelope

Document = dict[str, Any]
DUPLICATE_KEY = 11000


def mongo_client(url: str) -> AsyncMongoClient[Document]:
    # UUIDs are stored as strings: readable in any shell and identical across drivers.
    return AsyncMongoClient(url, tz_aware=True, serverSelectionTimeoutMS=10_000)


def database_name(prefix: str, service: str) -> str:
    return prefix + service.replace("-", "_")


class HasIndexes(Protocol):
    async def ensure_indexes(self) -> None: ...


@dataclass(frozen=True, slots=True)
class RecordPosition:
    """Where a record sits in Kafka: a redelivery comes back at the same position."""

    topic: str
    partition: int
    offset: int


class Inbox:
    """Ids of the inbound events a service has processed, one document each (``_id`` is unique).

    The position of the first processing tells a redelivery (same position, after a crash
    or rebalance) from a duplicate submission (same event id sent again).
    """

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._events: AsyncCollection[Document] = db["inbox"]

    async def ensure_indexes(self) -> None:
        await self._events.create_index("processed_at")

    async def positions_of(self, event_ids: list[UUID]) -> dict[UUID, RecordPosition]:
        """Where each already-processed event among ``event_ids`` was first processed."""
        found = self._events.find({"_id": {"$in": [str(i) for i in event_ids]}})
        return {UUID(d["_id"]): RecordPosition(d["topic"], d["partition"], d["offset"]) async for d in found}

    async def record(self, processed: list[tuple[Envelope, RecordPosition]]) -> None:
        if not processed:
            return
        now = datetime.now(UTC)
        documents = [
            {
                "_id": str(envelope.id),
                "type": envelope.type,
                "origin": envelope.origin,
                "correlationid": str(envelope.correlationid),
                "topic": position.topic,
                "partition": position.partition,
                "offset": position.offset,
                "processed_at": now,
            }
            for envelope, position in processed
        ]
        try:
            await self._events.insert_many(documents, ordered=False)
        except BulkWriteError as exc:
            # Ids recorded by an earlier delivery that crashed before its offset commit.
            if any(e.get("code") != DUPLICATE_KEY for e in exc.details.get("writeErrors", [])):
                raise


async def ensure_indexes(*repositories: HasIndexes) -> None:
    for repository in repositories:
        await repository.ensure_indexes()
