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
    """Ids of the inbound events a service has claimed and finished, one document each.

    Reads are avoided on the normal path: FerretDB's SQLite backend scans a collection
    for a read, but enforces a unique ``_id`` with its index on insert. So a batch is
    *claimed* with one insert (``claims``: id and position); only the ids that collide
    are looked up, with their *finished* mark (``finished``: written once the outputs
    were published). A collision with a finished event at the same position is a
    redelivery; at another position, a duplicate; an unfinished one was interrupted by
    a crash and is handled again (its outputs carry the same derived ids).
    """

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._claims: AsyncCollection[Document] = db["inbox_claims"]
        self._finished: AsyncCollection[Document] = db["inbox_finished"]

    async def ensure_indexes(self) -> None:
        await self._claims.create_index("claimed_at")
        await self._finished.create_index("finished_at")

    async def claim(self, events: list[tuple[Envelope, RecordPosition]]) -> dict[UUID, Seen]:
        """Claim the events; return those claimed before, with what became of them."""
        if not events:
            return {}
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
                "claimed_at": now,
            }
            for envelope, position in events
        ]
        collided = await _insert_new(self._claims, documents)
        seen: dict[UUID, Seen] = {}
        for event_id in collided:
            claim = await self._claims.find_one({"_id": event_id})
            finished = await self._finished.find_one({"_id": event_id})
            if claim is not None:
                first = RecordPosition(claim["topic"], claim["partition"], claim["offset"])
                seen[UUID(event_id)] = Seen(first, finished=finished is not None)
        return seen

    async def finish(self, event_ids: list[UUID]) -> None:
        """Mark the events as handled and their outputs as published."""
        if event_ids:
            now = datetime.now(UTC)
            await _insert_new(self._finished, [{"_id": str(i), "finished_at": now} for i in event_ids])


@dataclass(frozen=True, slots=True)
class Seen:
    """An event claimed before: where first, and whether its handling finished."""

    first: RecordPosition
    finished: bool


async def _insert_new(collection: AsyncCollection[Document], documents: list[Document]) -> list[str]:
    """Insert the documents; return the ids that already existed (inserted by no one now)."""
    try:
        await collection.insert_many(documents, ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        if any(e.get("code") != DUPLICATE_KEY for e in errors):
            raise
        return [documents[e["index"]]["_id"] for e in errors]
    return []


async def ensure_indexes(*repositories: HasIndexes) -> None:
    for repository in repositories:
        await repository.ensure_indexes()
