"""Store factory (PyMongo's AsyncMongoClient) and the inbox that makes consumption idempotent.

Each service owns one database, ``<prefix><service>``. FerretDB v1 has no transactions
nor change streams, so every write here is a single-document operation.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
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
        collided = await insert_new(self._claims, documents)
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
            await insert_new(self._finished, [{"_id": str(i), "finished_at": now} for i in event_ids])


@dataclass(frozen=True, slots=True)
class Seen:
    """An event claimed before: where first, and whether its handling finished."""

    first: RecordPosition
    finished: bool


async def insert_new(collection: AsyncCollection[Document], documents: list[Document]) -> list[str]:
    """Insert the documents; return the ids that already existed (inserted by no one now)."""
    if not documents:
        return []
    try:
        await collection.insert_many(documents, ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        if any(e.get("code") != DUPLICATE_KEY for e in errors):
            raise
        return [documents[e["index"]]["_id"] for e in errors]
    return []


class WriteBatch:
    """Inserts (and later changes to them) gathered while a poll batch is handled.

    FerretDB's SQLite backend takes ~1.3 ms per single insert and ~0.05 ms per document
    of an ``insert_many``; so handlers' inserts are written together, once per batch,
    before the batch's events are published. Reads of a collection see its pending
    documents first (read-your-writes within the batch).
    """

    def __init__(self) -> None:
        self._pending: dict[str, tuple[AsyncCollection[Document], dict[Any, Document]]] = {}

    def insert(self, collection: AsyncCollection[Document], document: Document) -> None:
        documents = self._pending.setdefault(collection.full_name, (collection, {}))[1]
        documents.setdefault(document["_id"], document)

    def pending(self, collection: AsyncCollection[Document], document_id: Any) -> Document | None:
        entry = self._pending.get(collection.full_name)
        return None if entry is None else entry[1].get(document_id)

    def discard(self, collection: AsyncCollection[Document], doomed: Callable[[Document], bool]) -> None:
        """Drop pending inserts that a delete made in the same batch would have removed."""
        entry = self._pending.get(collection.full_name)
        if entry is not None:
            for document_id in [i for i, d in entry[1].items() if doomed(d)]:
                del entry[1][document_id]

    def pending_in(self, collection: AsyncCollection[Document]) -> list[Document]:
        entry = self._pending.get(collection.full_name)
        return [] if entry is None else list(entry[1].values())

    async def flush(self) -> None:
        # One round trip's wait for all collections, not one each in turn.
        await asyncio.gather(*(insert_new(c, list(documents.values())) for c, documents in self._pending.values()))
        self._pending.clear()


_current_batch: ContextVar[WriteBatch | None] = ContextVar("andina_write_batch", default=None)


@asynccontextmanager
async def write_batch() -> AsyncIterator[WriteBatch]:
    """Gather the inserts made meanwhile by :func:`insert_document`; write them on exit."""
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
        batch.insert(collection, document)
    else:
        await insert_new(collection, [document])


async def delete_documents(
    collection: AsyncCollection[Document], query: Document, doomed: Callable[[Document], bool]
) -> None:
    """Delete what ``query`` matches, stored or inserted earlier in the batch (``doomed`` says which)."""
    batch = _current_batch.get()
    if batch is not None:
        batch.discard(collection, doomed)
    await collection.delete_many(query)


async def find_document(collection: AsyncCollection[Document], query: Document) -> Document | None:
    """One document equal to ``query`` on its fields, those inserted earlier in the batch first."""
    batch = _current_batch.get()
    if batch is not None:
        for document in batch.pending_in(collection):
            if all(document.get(k) == v for k, v in query.items()):
                return document
    return await collection.find_one(query)


async def set_fields(collection: AsyncCollection[Document], document_id: Any, fields: Document) -> None:
    """``$set`` on one document (dotted keys one level deep), pending or stored."""
    batch = _current_batch.get()
    pending = batch.pending(collection, document_id) if batch is not None else None
    if pending is None:
        await collection.update_one({"_id": document_id}, {"$set": fields})
        return
    for key, value in fields.items():
        head, _, tail = key.partition(".")
        if tail:
            pending.setdefault(head, {})[tail] = value
        else:
            pending[head] = value


async def ensure_indexes(*repositories: HasIndexes) -> None:
    for repository in repositories:
        await repository.ensure_indexes()
