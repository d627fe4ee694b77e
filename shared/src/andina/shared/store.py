"""Store factory (PyMongo's AsyncMongoClient) and the inbox that makes consumption idempotent.

Each service owns one database, ``<prefix><service>``. FerretDB v1 has no transactions
nor change streams, so every write here is a single-document operation. Handlers write
through :func:`insert_document` and its siblings, which hold the writes in the write batch
of the poll batch under way (:mod:`andina.shared.unit_of_work`) when there is one.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol
from uuid import UUID

from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from andina.contract.envelope import Envelope
from andina.shared.unit_of_work import UPDATE_OPERATORS, Document, WriteBatch, insert_new, new_page

__all__ = [  # Document, insert_new and WriteBatch are defined with the write batch; imported from here
    "UPDATE_OPERATORS",
    "Document",
    "HasIndexes",
    "Inbox",
    "RecordPosition",
    "Seen",
    "WriteBatch",
    "append_to_page",
    "database_name",
    "delete_document",
    "ensure_indexes",
    "find_document",
    "insert_document",
    "insert_new",
    "mongo_client",
    "replace_document",
    "set_fields",
    "update_document",
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


_current_batch: ContextVar[WriteBatch | None] = ContextVar("andina_write_batch", default=None)


@asynccontextmanager
async def write_batch() -> AsyncIterator[WriteBatch]:
    """Hold back the writes made meanwhile through this module's functions; send them on exit.

    The batch belongs to the task that opened it (a context variable): the consumer's batch
    and the timer loop's firing each have their own.
    """
    batch = WriteBatch()
    token = _current_batch.set(batch)
    try:
        yield batch
        await batch.flush()
    finally:
        _current_batch.reset(token)


async def insert_document(collection: AsyncCollection[Document], document: Document) -> None:
    """Insert unless a document with this ``_id`` exists; within a write batch, at its end."""
    batch = _current_batch.get()
    if batch is not None:
        await batch.insert(collection, document)
    else:
        await insert_new(collection, [document])


async def append_to_page(collection: AsyncCollection[Document], items: list[Document]) -> None:
    """Add ``items`` to the write batch's one page (``{"_id", "items"}``) in ``collection``; outside a
    write batch, insert a page of them now."""
    batch = _current_batch.get()
    if batch is not None:
        batch.append(collection, items)
    else:
        await insert_new(collection, [new_page(items)])


async def replace_document(collection: AsyncCollection[Document], document: Document) -> None:
    """Write ``document`` whole under its ``_id``, stored or not; within a write batch, at its end."""
    batch = _current_batch.get()
    if batch is not None:
        batch.replace(collection, document)
    else:
        try:
            await collection.replace_one({"_id": document["_id"]}, document, upsert=True)
        except DuplicateKeyError:  # another instance inserted it at that moment: replace what it wrote
            await collection.replace_one({"_id": document["_id"]}, document, upsert=True)


async def update_document(collection: AsyncCollection[Document], document_id: Any, update: Document) -> None:
    """``update_one`` by ``_id`` with ``UPDATE_OPERATORS`` only, of a stored or pending document;
    within a write batch, at its end."""
    batch = _current_batch.get()
    if batch is not None:
        batch.update(collection, document_id, update)
    else:
        await collection.update_one({"_id": document_id}, update)


async def set_fields(collection: AsyncCollection[Document], document_id: Any, fields: Document) -> None:
    """``$set`` on one document (dotted keys), pending or stored."""
    await update_document(collection, document_id, {"$set": fields})


async def delete_document(collection: AsyncCollection[Document], document_id: Any) -> None:
    """Delete the document with this ``_id``, stored or pending; within a write batch, at its end."""
    batch = _current_batch.get()
    if batch is not None:
        batch.delete(collection, document_id)
    else:
        await collection.delete_one({"_id": document_id})


async def find_document(collection: AsyncCollection[Document], query: Document) -> Document | None:
    """One document equal to ``query`` on its fields, as the write batch under way leaves it."""
    batch = _current_batch.get()
    if batch is not None:
        return await batch.find(collection, query)
    return await collection.find_one(query)


async def ensure_indexes(*repositories: HasIndexes) -> None:
    for repository in repositories:
        await repository.ensure_indexes()
