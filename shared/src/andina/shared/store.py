"""Store factory (PyMongo's AsyncMongoClient) and the inbox that makes consumption idempotent.

Each service owns one database, ``<prefix><service>``. FerretDB v1 has no transactions
nor change streams, so every write here is a single-document operation. Repositories write
through the unit of work they are bound to, the write batch of the poll batch or timer firing
under way (:mod:`andina.shared.unit_of_work`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol
from uuid import UUID

from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from andina.contract.envelope import Envelope
from andina.shared.unit_of_work import Document, InUnitOfWork, WriteBatch, insert_new, write_batch

__all__ = [  # the unit of work's names, defined with it, are imported from here too
    "Document",
    "HasIndexes",
    "InUnitOfWork",
    "Inbox",
    "RecordPosition",
    "Seen",
    "WriteBatch",
    "database_name",
    "ensure_indexes",
    "insert_new",
    "mongo_client",
    "write_batch",
]


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

    def __str__(self) -> str:
        return f"{self.topic}/{self.partition}/{self.offset}"


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
        collided = await insert_new(self._claims, documents)
        found = await asyncio.gather(
            *(self._claims.find_one({"_id": i}) for i in collided),
            *(self._finished.find_one({"_id": i}, {"_id": 1}) for i in collided),
        )
        claims, finished = found[: len(collided)], found[len(collided) :]
        return {
            UUID(claim["_id"]): Seen(
                RecordPosition(claim["topic"], claim["partition"], claim["offset"]), done is not None
            )
            for claim, done in zip(claims, finished, strict=True)
            if claim is not None
        }

    async def finish(self, event_ids: list[UUID]) -> None:
        """Mark the events as handled and their outputs as published."""
        if event_ids:
            now = datetime.now(UTC)
            await insert_new(self._finished, [{"_id": str(i), "finished_at": now} for i in event_ids])


@dataclass(frozen=True, slots=True)
class Seen:
    """An event claimed before: where first, and whether its handling finished."""

    first: RecordPosition
    finished: bool


async def ensure_indexes(*repositories: HasIndexes) -> None:
    for repository in repositories:
        await repository.ensure_indexes()
