"""The writes of one poll batch (or one timer firing), held back and sent together at its end.

FerretDB's SQLite backend takes ~1.3 ms for a single write and ~0.05 ms per document of a
bulk one, and a batch's handlers would otherwise wait for each of their writes in turn. So
a :class:`WriteBatch` keeps, per collection and ``_id``, what the batch does to that document
(inserts it, changes fields of it, replaces it whole, deletes it); reads through the batch see
those pending writes (two events of one batch about the same alert behave as if handled one
after the other). :meth:`WriteBatch.flush` then sends, all at once, one insert command and one
delete command per collection, and one update command per document changed (FerretDB v1 cannot
take many updates in one command): one round trip's wait for the whole batch.

Small documents appended by many handlers of one batch (the audit trail's queue of entries to
seal) go into one *page* per collection and batch (:meth:`WriteBatch.append`): a document of a
fresh ``_id`` whose ``items`` the batch inserts once, rather than a document per item.

Each document ends up with one kind of write only (an insert with later changes is inserted
changed, a delete drops what came before it), so the commands of one collection commute;
only the updates of one stored document keep their order (sent one after the other).
Updates are limited to operators whose effect a repeat does not change (``UPDATE_OPERATORS``):
a batch interrupted by an outage is handled and flushed again from the start.
"""

from __future__ import annotations

import asyncio
import copy
import uuid
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, Self, runtime_checkable

from pymongo import DeleteOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

Document = dict[str, Any]
DUPLICATE_KEY = 11000
UPDATE_OPERATORS = frozenset({"$set", "$unset", "$max", "$min", "$addToSet"})


class UnsupportedUpdateError(ValueError):
    """An update a write batch cannot hold: only ``UPDATE_OPERATORS``, which a repeat leaves unchanged."""


INSERT, REPLACE, UPDATE, DELETE = "insert", "replace", "update", "delete"


@dataclass(slots=True)
class _Pending:
    """What the batch does to one document, and the document as the batch leaves it.

    ``write``: INSERT (unless one is stored), REPLACE (whatever is stored; an insert after a
    delete), UPDATE (the stored one, with ``updates`` in order; none for a document only read)
    or DELETE. ``view``: the document
    as the batch leaves it, once known (written whole, or read from the store for an UPDATE;
    None when deleted or not stored). ``updates`` of an INSERT are applied to ``view`` already,
    and kept for the case of a document stored already (an event handled again after a crash).
    """

    write: str
    view: Document | None = None
    read: bool = False  # an UPDATE's stored document was read into ``view``
    updates: list[Document] = field(default_factory=list)


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
        self._pages: dict[str, Document] = {}

    def _pending(self, collection: AsyncCollection[Document]) -> dict[Any, _Pending]:
        return self._collections.setdefault(collection.full_name, (collection, {}))[1]

    def __bool__(self) -> bool:
        return any(documents for _, documents in self._collections.values())

    async def insert(self, collection: AsyncCollection[Document], document: Document) -> None:
        """Insert unless a document with this ``_id`` exists (stored, or written earlier in the batch)."""
        documents = self._pending(collection)
        pending = documents.get(document["_id"])
        if pending is None:
            documents[document["_id"]] = _Pending(INSERT, document)
        elif pending.write == DELETE:
            documents[document["_id"]] = _Pending(REPLACE, document)
        elif pending.write == UPDATE and await self._view(collection, pending, document["_id"]) is None:
            documents[document["_id"]] = _Pending(INSERT, document)  # the changes before it found nothing

    def append(self, collection: AsyncCollection[Document], items: list[Document]) -> None:
        """Add ``items`` to the batch's page in ``collection``, inserted at its end.

        The page's ``_id`` is fresh: a batch sent again after an outage may store its items twice,
        which the reader of the pages must take (the audit sealer links an entry once by its id).
        """
        page = self._pages.get(collection.full_name)
        if page is None:
            page = self._pages[collection.full_name] = new_page([])
            self._pending(collection)[page["_id"]] = _Pending(INSERT, page)
        page["items"].extend(items)

    def replace(self, collection: AsyncCollection[Document], document: Document) -> None:
        """Write ``document`` whole, whether or not one with its ``_id`` exists."""
        self._pending(collection)[document["_id"]] = _Pending(REPLACE, document)

    def update(self, collection: AsyncCollection[Document], document_id: Any, update: Document) -> None:
        """Change a document, stored or written earlier in the batch (``update`` as ``update_one`` takes it)."""
        if unsupported := set(update) - UPDATE_OPERATORS:
            raise UnsupportedUpdateError(
                f"a write batch holds only {sorted(UPDATE_OPERATORS)}, not {sorted(unsupported)}"
            )
        pending = self._pending(collection).setdefault(document_id, _Pending(UPDATE))
        if pending.write == DELETE:
            return  # deleted earlier in the batch: nothing left to change
        if pending.view is not None:
            apply_update(pending.view, update)
        if pending.write != REPLACE:
            pending.updates.append(update)

    def set_fields(self, collection: AsyncCollection[Document], document_id: Any, fields: Document) -> None:
        """``$set`` on one document (dotted keys), stored or written earlier in the batch."""
        self.update(collection, document_id, {"$set": fields})

    def delete(self, collection: AsyncCollection[Document], document_id: Any) -> None:
        self._pending(collection)[document_id] = _Pending(DELETE)

    async def find(self, collection: AsyncCollection[Document], query: Document) -> Document | None:
        """A copy of one document equal to ``query`` on its fields, as the batch leaves it.

        By ``_id``, the store is read once per batch, and not at all for a document the batch
        wrote whole. A query without ``_id`` looks at the documents known to the batch first.
        """
        documents = self._pending(collection)
        if "_id" in query:
            pending = documents.setdefault(query["_id"], _Pending(UPDATE))  # only read: no update to send
            return _copy_if_matches(await self._view(collection, pending, query["_id"]), query)
        for pending in documents.values():
            if pending.view is not None and _matches(pending.view, query):
                return copy.deepcopy(pending.view)
        stored = await collection.find_one(query)
        if stored is None or stored["_id"] not in documents:
            return stored
        return _copy_if_matches(await self._view(collection, documents[stored["_id"]], stored["_id"]), query)

    @staticmethod
    async def _view(collection: AsyncCollection[Document], pending: _Pending, document_id: Any) -> Document | None:
        if pending.write == UPDATE and not pending.read:
            view = await collection.find_one({"_id": document_id})
            if view is not None:
                for update in pending.updates:
                    apply_update(view, update)
            pending.view, pending.read = view, True
        return pending.view

    async def flush(self) -> None:
        """Send every pending write: one command per collection and kind, all at once."""
        await asyncio.gather(*(_flush(c, documents) for c, documents in self._collections.values()))
        self._collections.clear()
        self._pages.clear()


@asynccontextmanager
async def write_batch() -> AsyncIterator[WriteBatch]:
    """A unit of work: the writes made through it in the block, sent together when it ends."""
    batch = WriteBatch()
    yield batch
    await batch.flush()


class UnboundRepositoryError(RuntimeError):
    """A store-backed repository written or read through no unit of work (a wiring error)."""


class InUnitOfWork:
    """Base of a store-backed repository: it writes, and reads what it wrote, through the unit of
    work it is bound to (:meth:`bound`, by the ports of each poll batch or timer firing).

    A bound repository is a shallow copy: what it holds in memory is shared with the one wired at
    start (keep such state in containers, never in attributes a method reassigns).
    """

    _unit: WriteBatch | None = None

    def bound(self, unit: WriteBatch) -> Self:
        twin = copy.copy(self)
        twin._unit = unit
        return twin

    @property
    def unit(self) -> WriteBatch:
        if self._unit is None:
            raise UnboundRepositoryError(f"{type(self).__name__} used outside a unit of work: bind it first")
        return self._unit


@runtime_checkable
class Bindable(Protocol):
    """A port that writes through a unit of work: :class:`InUnitOfWork`, or one that wraps it."""

    def bound(self, unit: WriteBatch) -> Self: ...


def new_page(items: list[Document]) -> Document:
    """A page of ``items`` (see :meth:`WriteBatch.append`)."""
    return {"_id": str(uuid.uuid4()), "items": items}


def _matches(document: Document, query: Document) -> bool:
    return all(document.get(key) == value for key, value in query.items())


def _copy_if_matches(document: Document | None, query: Document) -> Document | None:
    """A copy: the batch's own view changes with the batch's later writes."""
    return copy.deepcopy(document) if document is not None and _matches(document, query) else None


async def _flush(collection: AsyncCollection[Document], documents: dict[Any, _Pending]) -> None:
    inserts = [p.view for p in documents.values() if p.write == INSERT and p.view is not None]
    writes: list[Awaitable[Any]] = [_insert_then_update(collection, inserts, documents)] if inserts else []
    deletes: list[DeleteOne] = []
    for document_id, pending in documents.items():
        if pending.write == REPLACE and pending.view is not None:
            writes.append(collection.replace_one({"_id": document_id}, pending.view, upsert=True))
        elif pending.write == UPDATE and pending.updates:
            writes.append(_update_in_order(collection, document_id, pending.updates))
        elif pending.write == DELETE:
            deletes.append(DeleteOne({"_id": document_id}))
    if deletes:
        writes.append(collection.bulk_write(deletes, ordered=False))
    await asyncio.gather(*writes)


async def _update_in_order(collection: AsyncCollection[Document], document_id: Any, updates: list[Document]) -> None:
    """One command per update, other documents' sent meanwhile: FerretDB v1 keeps each statement's query
    open until its whole command ends, so one update command of many statements runs out of SQLite
    connections and never answers."""
    for update in updates:
        await collection.update_one({"_id": document_id}, update)


async def _insert_then_update(
    collection: AsyncCollection[Document], inserts: list[Document], documents: dict[Any, _Pending]
) -> None:
    """Insert; a document found already stored (its event handled again after a crash) gets the batch's changes."""
    stored = await insert_new(collection, inserts)
    await asyncio.gather(*(_update_in_order(collection, i, documents[i].updates) for i in stored))


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
