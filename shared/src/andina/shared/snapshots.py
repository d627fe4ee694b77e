"""Snapshots of a changelog table in the store: its entries as of some changelog offsets.

An instance starts from the newest snapshot and the changelog since its offsets, rather
than from a scan of the store. The entries are packed into a few large documents
(compressed, ``CHUNK_ENTRIES`` each): FerretDB scans a collection on a read, so a million
small documents would cost what the scan of the store does.

Any instance may write one. Each writes a new *generation* of chunks, then points the
head at it; chunks of other generations are deleted once they are older than any write
still under way could be, so two writers never delete each other's snapshot half-written.
A head whose chunks are not all there is no snapshot, nor is one of another *format*: a service
whose table gained kinds of entries its older snapshots lack says so with a new format, and
starts once from the store, which holds them.
"""

from __future__ import annotations

import uuid
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import islice

import orjson
from pymongo.asynchronous.database import AsyncDatabase

from andina.shared.store import Document

CHUNK_ENTRIES = 20_000
STALE_GENERATION = timedelta(minutes=30)  # longer than writing the largest snapshot takes

Entry = tuple[str, bytes]  # key, value: one changelog record


@dataclass(frozen=True, slots=True)
class Snapshot:
    offsets: dict[int, int]  # changelog partition -> next offset the entries do not cover
    entries: list[Entry]


def pack(entries: Iterable[Entry]) -> Iterator[bytes]:
    """The entries, ``CHUNK_ENTRIES`` per compressed chunk."""
    it = iter(entries)
    while chunk := list(islice(it, CHUNK_ENTRIES)):
        yield zlib.compress(orjson.dumps([[key, value.decode()] for key, value in chunk]), 1)


def unpack(chunk: bytes) -> list[Entry]:
    return [(key, value.encode()) for key, value in orjson.loads(zlib.decompress(chunk))]


class SnapshotStore:
    """The snapshots of one changelog topic, in the service's database."""

    def __init__(self, db: AsyncDatabase[Document], topic: str, snapshot_format: int = 1) -> None:
        self._heads = db["changelog_heads"]
        self._chunks = db["changelog_chunks"]
        self._topic = topic
        self._format = snapshot_format

    async def save(self, offsets: dict[int, int], chunks: Iterable[bytes]) -> int:
        """Write the chunks as a new generation, make it the newest; how many entries' chunks were written."""
        generation, taken_at = uuid.uuid4().hex, datetime.now(UTC)
        count = 0
        for number, data in enumerate(chunks):
            doc = {"_id": f"{generation}:{number}", "topic": self._topic, "generation": generation}
            await self._chunks.insert_one(doc | {"number": number, "data": data, "taken_at": taken_at})
            count += 1
        head = {"generation": generation, "chunks": count, "taken_at": taken_at, "format": self._format}
        head["offsets"] = {str(partition): offset for partition, offset in offsets.items()}
        await self._heads.replace_one({"_id": self._topic}, head, upsert=True)
        await self._chunks.delete_many(
            {"topic": self._topic, "generation": {"$ne": generation}, "taken_at": {"$lt": taken_at - STALE_GENERATION}}
        )
        return count

    async def latest(self) -> Snapshot | None:
        head = await self._heads.find_one({"_id": self._topic})
        if head is None or head.get("format", 1) != self._format:  # heads written before formats: 1
            return None
        found = [doc async for doc in self._chunks.find({"generation": head["generation"]})]
        if len(found) != head["chunks"]:
            return None  # deleted under it, or its writer died half-way
        entries = [entry for doc in sorted(found, key=lambda d: d["number"]) for entry in unpack(doc["data"])]
        return Snapshot({int(p): offset for p, offset in head["offsets"].items()}, entries)
