"""The writes of one poll batch (or one timer firing), held back and sent together at its end.

FerretDB's SQLite backend takes ~1.3 ms for a single write and ~0.05 ms per document of a
bulk one, and a batch's handlers would otherwise wait for each of their writes in turn. So
a :class:`WriteBatch` keeps, per collection and ``_id``, what the batch does to that document
(inserts it, changes fields of it, replaces it whole, deletes it); reads through the batch see
those pending writes (two events of one batch about the same alert behave as if handled one
after the other). :meth:`WriteBatch.flush` then sends at most one command per collection and
kind of write (insert, update, delete), all at once: one round trip's wait for the whole batch.

Each document ends up with one kind of write only (an insert with later changes is inserted
changed, a delete drops what came before it), so the commands of one collection commute;
only the updates of one stored document keep their order (one ordered update command).
Updates are limited to operators whose effect a repeat does not change (``UPDATE_OPERATORS``):
a batch interrupted by an outage is handled and flushed again from the start.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from pymongo import DeleteOne, ReplaceOne, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

Document = dict[str, Any]
DUPLICATE_KEY = 11000
UPDATE_OPERATORS = frozenset({"$set", "$unset", "$max", "$min", "$addToSet"})


class UnsupportedUpdateError(ValueError):
    """An update a write batch cannot hold: only ``UPDATE_OPERATORS``, which a repeat leaves unchanged."""


@dataclass(slots=True)
class _Pending:
    """What the batch does to one document.

    ``whole``: the document as the batch leaves it, when the batch wrote it whole: inserted
    (unless already stored) or, after a delete in the batch, ``replaces`` whatever is stored.
    ``updates``: the changes made to it meanwhile, in order: applied to ``whole`` already,
    sent on their own to a stored document (or to an insert that found one already stored).
    """

    whole: Document | None = None
    replaces: bool = False
    updates: list[Document] = field(default_factory=list)
    deleted: bool = False


async def insert_new(collection: AsyncCollection[Document], documents: list[Document]) -> list[Any]:
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
    """Pending writes by collection and ``_id``; see the module's doc."""

    def __init__(self) -> None:
        self._collections: dict[str, tuple[AsyncCollection[Document], dict[Any, _Pending]]] = {}

    def _pending(self, collection: AsyncCollection[Document]) -> dict[Any, _Pending]:
        return self._collections.setdefault(collection.full_name, (collection, {}))[1]

    def __bool__(self) -> bool:
        return any(documents for _, documents in self._collections.values())

    async def insert(self, collection: AsyncCollection[Document], document: Document) -> None:
        """Insert unless a document with this ``_id`` exists (stored, or written earlier in the batch)."""
        documents = self._pending(collection)
        pending = documents.get(document["_id"])
        if pending is None or (pending.deleted and pending.whole is None):
            documents[document["_id"]] = _Pending(whole=document, replaces=pending is not None)
        elif pending.whole is None and await collection.find_one({"_id": document["_id"]}, {"_id": 1}) is None:
            documents[document["_id"]] = _Pending(whole=document)  # the changes before it found nothing to change

    def replace(self, collection: AsyncCollection[Document], document: Document) -> None:
        """Write ``document`` whole, whether or not one with its ``_id`` exists."""
        self._pending(collection)[document["_id"]] = _Pending(whole=document, replaces=True)

    def update(self, collection: AsyncCollection[Document], document_id: Any, update: Document) -> None:
        """Change a document, stored or written earlier in the batch (``update`` as ``update_one`` takes it)."""
        if unsupported := set(update) - UPDATE_OPERATORS:
            raise UnsupportedUpdateError(
                f"a write batch holds only {sorted(UPDATE_OPERATORS)}, not {sorted(unsupported)}"
            )
        pending = self._pending(collection).setdefault(document_id, _Pending())
        if pending.deleted and pending.whole is None:
            return  # deleted earlier in the batch: nothing left to change
        if pending.whole is not None:
            apply_update(pending.whole, update)
        pending.updates.append(update)

    def delete(self, collection: AsyncCollection[Document], document_id: Any) -> None:
        self._pending(collection)[document_id] = _Pending(deleted=True)

    async def find(self, collection: AsyncCollection[Document], query: Document) -> Document | None:
        """One document equal to ``query`` on its fields, as the batch leaves it.

        A query by ``_id`` is answered from the batch when it wrote the document whole; else the
        stored document is read and the batch's changes to it applied. A query without ``_id``
        looks at the documents written whole first, then at the store.
        """
        documents = self._pending(collection)
        if "_id" in query:
            pending = documents.get(query["_id"])
            found = await _as_left(collection, pending, query["_id"])
            return found if found is not None and _matches(found, query) else None
        for pending in documents.values():
            if pending.whole is not None and _matches(pending.whole, query):
                return pending.whole
        stored = await collection.find_one(query)
        if stored is None or stored["_id"] not in documents:
            return stored
        found = await _as_left(collection, documents[stored["_id"]], stored["_id"])
        return found if found is not None and _matches(found, query) else None

    async def flush(self) -> None:
        """Send every pending write: one command per collection and kind, all at once."""
        await asyncio.gather(*(_flush(c, documents) for c, documents in self._collections.values()))
        self._collections.clear()


async def _as_left(
    collection: AsyncCollection[Document], pending: _Pending | None, document_id: Any
) -> Document | None:
    if pending is not None and (pending.whole is not None or pending.deleted):
        return pending.whole
    stored = await collection.find_one({"_id": document_id})
    if stored is not None and pending is not None:
        for update in pending.updates:
            apply_update(stored, update)
    return stored


def _matches(document: Document, query: Document) -> bool:
    return all(document.get(key) == value for key, value in query.items())


async def _flush(collection: AsyncCollection[Document], documents: dict[Any, _Pending]) -> None:
    inserts = [p.whole for p in documents.values() if p.whole is not None and not p.replaces]
    changes: list[UpdateOne | ReplaceOne[Document]] = []
    deletes: list[DeleteOne] = []
    for document_id, pending in documents.items():
        if pending.whole is not None and pending.replaces:
            changes.append(ReplaceOne({"_id": document_id}, pending.whole, upsert=True))
        elif pending.whole is None and pending.deleted:
            deletes.append(DeleteOne({"_id": document_id}))
        elif pending.whole is None:
            changes.extend(UpdateOne({"_id": document_id}, update) for update in pending.updates)
    writes: list[Awaitable[Any]] = [_insert_then_update(collection, inserts, documents)] if inserts else []
    if changes:
        writes.append(collection.bulk_write(changes, ordered=True))  # one stored document's updates in order
    if deletes:
        writes.append(collection.bulk_write(deletes, ordered=False))
    await asyncio.gather(*writes)


async def _insert_then_update(
    collection: AsyncCollection[Document], inserts: list[Document], documents: dict[Any, _Pending]
) -> None:
    """Insert; a document found already stored (its event handled again after a crash) gets the batch's changes."""
    stored = await insert_new(collection, inserts)
    changes = [UpdateOne({"_id": i}, update) for i in stored for update in documents[i].updates]
    if changes:
        await collection.bulk_write(changes, ordered=True)


def apply_update(document: Document, update: Document) -> None:
    """Apply ``update`` (``UPDATE_OPERATORS`` only, dotted paths) to ``document`` in place, as the store would."""
    for operator, fields in update.items():
        for path, value in fields.items():
            parent, key = _parent(document, path)
            if operator == "$set":
                parent[key] = value
            elif operator == "$unset":
                parent.pop(key, None)
            elif operator in ("$max", "$min"):  # a missing or null field takes the value
                current = parent.get(key)
                parent[key] = value if current is None else (max if operator == "$max" else min)(current, value)
            else:  # $addToSet, with or without $each
                added = value["$each"] if isinstance(value, dict) and "$each" in value else [value]
                values = parent.setdefault(key, [])
                values.extend(v for v in added if v not in values)


def _parent(document: Document, path: str) -> tuple[Document, str]:
    *heads, key = path.split(".")
    for head in heads:
        document = document.setdefault(head, {})
    return document, key
