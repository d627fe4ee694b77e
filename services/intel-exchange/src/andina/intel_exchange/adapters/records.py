"""Person records in the store; the screening index lives in the record table.

Every change is a new *version* document (insert only, id = the event id): FerretDB
scans a collection on reads, so the hot path never reads it. The screening index is kept
by the :class:`RecordTable`, the same on every instance through the changelog; the store
is scanned only when there is no snapshot of that table (the latest version of each record
wins). The full record is read only when its owner releases it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from andina.contract.envelope import Envelope, Handling
from andina.contract.events.intel_exchange import PersonRecord
from andina.intel_exchange.adapters.record_table import RecordTable, entry_value, listing_document
from andina.intel_exchange.domain.screening import Listing
from andina.shared.snapshots import Entry
from andina.shared.store import Document, insert_new

STORED, WITHDRAWN = "stored", "withdrawn"


class RecordStore:
    def __init__(self, db: AsyncDatabase[Document], table: RecordTable) -> None:
        self._versions: AsyncCollection[Document] = db["record_versions"]
        self.table = table
        self.index = table.index

    async def ensure_indexes(self) -> None:
        await self._versions.create_index("record_id")

    async def latest_entries(self) -> list[Entry]:
        """Each record's latest version as the store holds it, as changelog entries.

        A listing stored before listings held the first filing date takes the time of the
        record's first version since its last withdrawal: the store keeps every version.
        """
        latest: dict[str, Document] = {}
        versions: dict[str, int] = {}
        first_filed: dict[str, str] = {}
        async for doc in self._versions.find({}, {"record": 0}).sort([("at", 1), ("_id", 1)]):
            record_id = doc["record_id"]
            latest[record_id] = doc
            versions[record_id] = max(doc["version"], versions.get(record_id, 0))
            if doc["status"] == WITHDRAWN:
                first_filed.pop(record_id, None)
            else:
                first_filed.setdefault(record_id, doc["at"].date().isoformat())
        return [
            (record_id, entry_value(d["owner"], versions[record_id], self._dated(d, first_filed.get(record_id))))
            for record_id, d in latest.items()
        ]

    @staticmethod
    def _dated(doc: Document, first_filed: str | None) -> dict[str, Any] | None:
        if doc["status"] != STORED:
            return None
        listing: dict[str, Any] = {"filed_on": first_filed} | doc["listing"]  # its own date when it has one
        return listing

    def next_version(self, record_id: str) -> int:
        return self.table.version(record_id) + 1

    def filed_on(self, record_id: str) -> date | None:
        return self.table.filed_on(record_id)

    async def store(self, cause: Envelope, record: PersonRecord, listing: Listing, version: int, today: date) -> int:
        kept = await self._insert(
            cause,
            record.record_id,
            record.owner,
            STORED,
            version,
            listing=listing_document(listing),
            record=record.model_dump(mode="json"),
        )
        if kept > self.table.version(record.record_id):
            self.table.change(record.owner, record.record_id, kept, listing)
        await self.table.look_if_due(today)
        return kept

    async def withdraw(self, cause: Envelope, record_id: str, owner: str, version: int, reason: str) -> int:
        kept = await self._insert(cause, record_id, owner, WITHDRAWN, version, reason=reason)
        if kept > self.table.version(record_id):
            self.table.change(owner, record_id, kept, None)
        return kept

    async def _insert(
        self, cause: Envelope, record_id: str, owner: str, status: str, version: int, **fields: Any
    ) -> int:
        """The version ``cause`` made: ``version``, or the one stored when it was handled before (read only then)."""
        doc = {"_id": str(cause.id), "record_id": record_id, "owner": owner, "status": status, "version": version}
        doc |= {"at": cause.time, "handling": cause.handling.value, "stored_at": datetime.now(cause.time.tzinfo)}
        if not await insert_new(self._versions, [doc | fields]):
            return version
        earlier = await self._versions.find_one({"_id": doc["_id"]}, {"version": 1})
        return version if earlier is None else int(earlier["version"])

    async def current(self, record_id: str) -> tuple[PersonRecord, Handling] | None:
        """The record as its owner last stored it, with its handling; None if withdrawn or unknown."""
        cursor = self._versions.find({"record_id": record_id}).sort([("at", -1), ("_id", -1)]).limit(1)
        async for doc in cursor:
            if doc["status"] == STORED:
                return PersonRecord.model_validate(doc["record"]), Handling(doc["handling"])
        return None
