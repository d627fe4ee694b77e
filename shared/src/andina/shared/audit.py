"""A tamper-evident audit trail: entries are only ever appended, and sealed into a hash chain.

A service appends its audit entries (who, what, when, why) with the handler's other writes,
plus its id and digest in a small pending queue, one page of them per write batch (a copy of each
entry in a document of its own doubled what a batch of audited messages cost the store).
Its sealer links the pending entries, in order, into the chain: link n holds the entry's digest
and hash(link n-1's hash, n, digest). Changing or deleting a sealed entry, or any link, breaks
the chain at that point, and `verify` says where. Cutting off the newest links is caught by
comparing the length with the one last published (the `andina_audit_chain_length` gauge keeps
its history in Prometheus).

A link's ``_id`` is its number and its entry is unique, so two instances of a service that
seal at the same moment cannot both write link n nor link one entry twice: the one that
loses re-reads the head and goes on. Entries keep their own deterministic ids, so an event
handled again after a crash (or a page written twice by a batch sent again) appends nothing twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import bson
import orjson
import structlog
from bson.codec_options import CodecOptions
from prometheus_client import CollectorRegistry
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, PyMongoError

from andina.shared.metrics import Declare
from andina.shared.store import Document, WriteBatch

log = structlog.get_logger(__name__)

GENESIS = "0" * 64
# Entries linked by one seal at most: one long write of the chain would hold up the services' own writes
# (the store takes one writer at a time), and FLASH alerts with them.
SEAL_ENTRIES = 2_000
STORED: CodecOptions[Document] = CodecOptions(tz_aware=True)  # as store.mongo_client reads


def entry_digest(entry: Document) -> str:
    """SHA-256 of the entry as stored (keys sorted), the same whoever computes it."""
    return hashlib.sha256(orjson.dumps(entry, option=orjson.OPT_SORT_KEYS, default=str)).hexdigest()


def stored_digest(entry: Document) -> str:
    """The digest of ``entry`` as the store will give it back (UTC times to the millisecond), taken as it is
    appended so that the sealer needs only ids and digests."""
    return entry_digest(bson.decode(bson.encode(entry), STORED))


def link_hash(previous: str, number: int, digest: str) -> str:
    return hashlib.sha256(f"{previous}|{number}|{digest}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Head:
    number: int
    hash: str

    def next(self, entry_id: Any, digest: str) -> Document:
        number = self.number + 1
        return {
            "_id": number,
            "entry": entry_id,
            "digest": digest,
            "prev": self.hash,
            "hash": link_hash(self.hash, number, digest),
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    length: int
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems


class AuditTrail:
    """The ``name`` collection of entries, its pending queue and its chain of links."""

    def __init__(self, db: AsyncDatabase[Document], name: str = "audit") -> None:
        self.entries: AsyncCollection[Document] = db[name]
        self._pending: AsyncCollection[Document] = db[f"{name}_pending"]
        self._links: AsyncCollection[Document] = db[f"{name}_chain"]
        self._head: Head | None = None

    async def ensure_indexes(self) -> None:
        await self.entries.create_index("at")
        await self._links.create_index("entry", unique=True)

    async def append(self, entries: list[Document], unit: WriteBatch) -> None:
        """Append entries (each with a deterministic ``_id``), written when ``unit`` ends."""
        for entry in entries:
            await unit.insert(self.entries, entry)
        unit.append(self._pending, [{"_id": e["_id"], "digest": stored_digest(e)} for e in entries])

    async def head(self) -> Head:
        if self._head is None:
            last = await self._links.find_one(sort=[("_id", -1)])
            self._head = Head(0, GENESIS) if last is None else Head(last["_id"], last["hash"])
        return self._head

    async def seal(self, entries_at_most: int = SEAL_ENTRIES) -> int:
        """Link what is pending into the chain; returns how many pending entries it settled.

        After a conflict (another instance sealed meanwhile, or an entry handled again after a
        crash was sealed before) it stops early: call again while it returns more than 0.
        """
        found: list[Document] = []
        items: list[Document] = []
        async with self._pending.find() as pages:  # closed on leaving, though not read to its end
            async for page in pages:
                found.append(page)
                items += _items(page)
                if len(items) >= entries_at_most:
                    break
        entries = _first_of_each(items)
        if not entries:
            return 0
        head = await self.head()
        links = []
        for entry in entries:
            link = head.next(entry["_id"], entry["digest"])
            links.append(link)
            head = Head(link["_id"], link["hash"])
        try:
            await self._links.insert_many(links, ordered=True)
            sealed = len(links)
            self._head = head
        except BulkWriteError as exc:
            sealed = exc.details.get("nInserted", 0)
            self._head = None
        settled = {e["_id"] for e in entries[:sealed]} | await self._linked([e["_id"] for e in entries[sealed:]])
        await self._drop_settled(found, settled)
        return len(settled)

    async def _linked(self, ids: list[Any]) -> set[Any]:
        if not ids:
            return set()
        return {link["entry"] async for link in self._links.find({"entry": {"$in": ids}}, {"entry": 1})}

    async def _drop_settled(self, pages: list[Document], settled: set[Any]) -> None:
        """Delete the pages whose entries are all linked; keep the others' unlinked entries only."""
        done = []
        for page in pages:
            items = _items(page)
            left = [item for item in items if item["_id"] not in settled]
            if not left:
                done.append(page["_id"])
            elif len(left) < len(items):
                await self._pending.update_one({"_id": page["_id"]}, {"$set": {"items": left}})
        if done:
            await self._pending.delete_many({"_id": {"$in": done}})

    async def run(self, interval: float, publish_length: Callable[[int], None]) -> None:
        """Seal every ``interval`` seconds until cancelled; a store outage only delays sealing."""
        while True:
            try:
                while await self.seal():
                    pass
                publish_length((await self.head()).number)
            except PyMongoError as exc:
                self._head = None
                log.warning("audit sealing failed, will retry", error=str(exc))
            await asyncio.sleep(interval)

    async def verify(self) -> Verdict:
        """Walk the whole chain and every entry; name each break (an empty list: intact).

        Holds each entry's digest, not the entry: a year of a busy service's trail is millions.
        """
        digests = {d["_id"]: entry_digest(d) async for d in self.entries.find()}
        pending = {item["_id"] async for page in self._pending.find() for item in _items(page)}
        problems: list[str] = []
        previous, number, linked = GENESIS, 0, set()
        async for link in self._links.find().sort("_id", 1):
            number += 1
            if link["_id"] != number:
                problems.append(f"link {number} is missing (next is {link['_id']})")
                number = link["_id"]
            if link["prev"] != previous or link["hash"] != link_hash(link["prev"], link["_id"], link["digest"]):
                problems.append(f"link {link['_id']} was altered: the chain breaks there")
            digest = digests.get(link["entry"])
            if digest is None:
                problems.append(f"entry {link['entry']} (link {link['_id']}) was deleted")
            elif digest != link["digest"]:
                problems.append(f"entry {link['entry']} (link {link['_id']}) was modified")
            previous = link["hash"]
            linked.add(link["entry"])
        problems += [f"entry {i} is in no link (added outside the trail?)" for i in digests.keys() - linked - pending]
        return Verdict(number, problems)


def _items(page: Document) -> list[Document]:
    """A page's pending entries (id and digest). A store written before pages holds a copy of each
    entry in a document of its own (``{"_id", "entry"}``): it is a page of one, sealed the same way."""
    if "items" in page:
        items: list[Document] = page["items"]
        return items
    return [{"_id": page["_id"], "digest": entry_digest(page["entry"])}]


def _first_of_each(entries: Iterable[Document]) -> list[Document]:
    """The entries in order, each id once (a page written twice repeats its entries)."""
    first: dict[Any, Document] = {}
    for entry in entries:
        first.setdefault(entry["_id"], entry)
    return list(first.values())


class AuditSealer:
    """Runs a service's sealing loop while the service runs, and publishes the chain's length."""

    SEAL_INTERVAL = 1.0

    def __init__(self, trail: AuditTrail | None, service: str, registry: CollectorRegistry) -> None:
        declare = Declare(registry)
        self.trails = () if trail is None else (trail,)
        length = declare.gauge(
            "andina_audit_chain_length",
            "Entries sealed into the audit hash chain: a drop means links were cut off",
            ("service",),
        )
        self._length = length.labels(service)
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.trails:
            self._task = asyncio.create_task(self.trails[0].run(self.SEAL_INTERVAL, self._length.set))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
