"""Person records in the store, and the in-memory screening index built from them.

Every change is a new *version* document (insert only, id = the event id): FerretDB
scans a collection on reads, so the hot path never reads it. At start-up the versions
are read once, the latest of each record wins, and the screening index is built; each
change then updates the index in place. The full record is read only when its owner
releases it.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from andina.intel_exchange.domain.screening import Listing, ScreeningIndex
from andina.shared.envelope import Envelope, Handling
from andina.shared.events.intel_exchange import PersonRecord, RecordType, RequestedAction
from andina.shared.store import Document, insert_new

STORED, WITHDRAWN = "stored", "withdrawn"


def _listing_document(listing: Listing) -> Document:
    return {
        "record_type": listing.record_type.value,
        "requested_action": listing.requested_action.value,
        "share_with": None if listing.share_with is None else sorted(listing.share_with),
        "immediate_alert": listing.immediate_alert,
        "expires_on": listing.expires_on.isoformat() if listing.expires_on else None,
        "profile": listing.profile,
    }


def _listing(record_id: str, owner: str, doc: dict[str, Any], shared: dict[tuple[str, ...], frozenset[str]]) -> Listing:
    share_with = doc["share_with"]
    return Listing(
        record_id=record_id,
        owner=owner,
        record_type=RecordType(doc["record_type"]),
        requested_action=RequestedAction(doc["requested_action"]),
        # A million records share a handful of lists: keep one set object per list.
        share_with=None if share_with is None else shared.setdefault(tuple(share_with), frozenset(share_with)),
        immediate_alert=doc["immediate_alert"],
        expires_on=date.fromisoformat(doc["expires_on"]) if doc["expires_on"] else None,
        profile=doc["profile"],
    )


class RecordStore:
    def __init__(self, db: AsyncDatabase[Document], index: ScreeningIndex) -> None:
        self._versions: AsyncCollection[Document] = db["record_versions"]
        self.index = index
        self._version_counts: dict[str, int] = {}

    async def ensure_indexes(self) -> None:
        """The store's indexes, then the in-memory screening index built from the store."""
        await self._versions.create_index("record_id")
        await self._load_index()

    async def _load_index(self) -> None:
        latest: dict[str, Document] = {}
        async for doc in self._versions.find({}, {"record": 0}).sort([("at", 1), ("_id", 1)]):
            latest[doc["record_id"]] = doc
            self._version_counts[doc["record_id"]] = max(doc["version"], self._version_counts.get(doc["record_id"], 0))
        shared: dict[tuple[str, ...], frozenset[str]] = {}
        today = datetime.now(UTC).date()
        listings = (
            _listing(d["record_id"], d["owner"], d["listing"], shared) for d in latest.values() if d["status"] == STORED
        )
        self.index.load([listing for listing in listings if listing.live_on(today)])  # expired ones never hit

    def next_version(self, record_id: str) -> int:
        return self._version_counts.get(record_id, 0) + 1

    async def store(self, cause: Envelope, record: PersonRecord, listing: Listing, version: int, today: date) -> None:
        await self._insert(
            cause,
            record.record_id,
            record.owner,
            STORED,
            version,
            listing=_listing_document(listing),
            record=record.model_dump(mode="json"),
        )
        self.index.put(listing)
        if self.index.look_due():
            # A look renumbers every record held: in a thread, so the event loop goes on meanwhile.
            await asyncio.to_thread(self.index.forget, today)

    async def withdraw(self, cause: Envelope, record_id: str, owner: str, version: int, reason: str) -> None:
        await self._insert(cause, record_id, owner, WITHDRAWN, version, reason=reason)
        self.index.remove(record_id)

    async def _insert(
        self, cause: Envelope, record_id: str, owner: str, status: str, version: int, **fields: Any
    ) -> None:
        doc = {"_id": str(cause.id), "record_id": record_id, "owner": owner, "status": status, "version": version}
        doc |= {"at": cause.time, "handling": cause.handling.value, "stored_at": datetime.now(cause.time.tzinfo)}
        await insert_new(self._versions, [doc | fields])
        self._version_counts[record_id] = max(version, self._version_counts.get(record_id, 0))

    async def current(self, record_id: str) -> tuple[PersonRecord, Handling] | None:
        """The record as its owner last stored it, with its handling; None if withdrawn or unknown."""
        cursor = self._versions.find({"record_id": record_id}).sort([("at", -1), ("_id", -1)]).limit(1)
        async for doc in cursor:
            if doc["status"] == STORED:
                return PersonRecord.model_validate(doc["record"]), Handling(doc["handling"])
        return None
