"""The records every instance screens against, kept the same on each through the changelog.

Each record's entry is its latest version: the owner, the version number and the listing
the screening index keeps (none once withdrawn), with the record's first filing date, from
which its owner's retention counts. An entry written before listings held that date is
read as filed the day it is loaded (no earlier date is held), and the load logs how many.
The instance that handled a filing or a withdrawal applies it at once and notes the entry;
the others apply it when they read it (:mod:`andina.shared.changelog`), and an entry no
newer than the version held changes nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

import orjson
import structlog

from andina.contract.events.intel_exchange import RecordType, RequestedAction
from andina.intel_exchange.adapters.index_image import Known, decode, encode
from andina.intel_exchange.domain.screening import Listing, ScreeningIndex
from andina.shared.snapshots import Entry

log = structlog.get_logger(__name__)

Note = Callable[[str, str, bytes], None]  # owner, record id, entry value: ChangelogWriter.note


def listing_document(listing: Listing) -> dict[str, Any]:
    return {
        "record_type": listing.record_type.value,
        "requested_action": listing.requested_action.value,
        "share_with": None if listing.share_with is None else sorted(listing.share_with),
        "immediate_alert": listing.immediate_alert,
        "expires_on": listing.expires_on.isoformat() if listing.expires_on else None,
        "profile": listing.profile,
        "filed_on": listing.filed_on.isoformat(),
    }


def entry_value(owner: str, version: int, listing: dict[str, Any] | None) -> bytes:
    """A record's changelog entry; ``listing`` is None once it is withdrawn."""
    return orjson.dumps({"owner": owner, "version": version, "listing": listing})


class RecordTable:
    def __init__(self, index: ScreeningIndex, note: Note) -> None:
        self.index = index
        self._note = note
        self._records: dict[str, Known] = {}
        self._shared: dict[tuple[str, ...], frozenset[str]] = {}  # a million records share a few lists
        self.undated = 0  # entries read without a first filing date (written before listings held one)
        self._looking = asyncio.Lock()  # the index is renumbered in a thread: no entry is applied meanwhile

    def version(self, record_id: str) -> int:
        """The record's latest version, 0 if it was never filed."""
        known = self._records.get(record_id)
        return 0 if known is None else known.version

    def filed_on(self, record_id: str) -> date | None:
        """The first filing of the record held, None if it is withdrawn or unknown: a new filing starts then."""
        known = self._records.get(record_id)
        return None if known is None or known.listing is None else known.listing.filed_on

    def change(self, owner: str, record_id: str, version: int, listing: Listing | None) -> None:
        """A filing or withdrawal handled here: applied now, and noted for the changelog."""
        self._put(record_id, Known(owner, version, listing))
        self._note(
            owner, record_id, entry_value(owner, version, None if listing is None else listing_document(listing))
        )

    async def look_if_due(self, today: date) -> None:
        if self.index.look_due():
            async with self._looking:  # a look renumbers every record held: in a thread, so the event loop goes on
                await asyncio.to_thread(self.index.forget, today)

    async def apply(self, entries: Sequence[Entry]) -> None:
        undated = self.undated
        async with self._looking:
            for record_id, value in entries:
                known = self._known(record_id, value)
                if known.version > self.version(record_id):
                    self._put(record_id, known)
        self._say_undated(undated)

    def load(self, entries: Iterable[Entry]) -> None:
        undated = self.undated
        self._records = {record_id: self._known(record_id, value) for record_id, value in entries}
        self._say_undated(undated)
        today = datetime.now(UTC).date()
        live = (k.listing for k in self._records.values() if k.listing is not None)
        self.index.load([listing for listing in live if listing.live_on(today)])  # expired ones never hit

    def frozen(self) -> Callable[[], Iterable[Entry]]:
        records = list(self._records.items())

        def entries() -> Iterable[Entry]:
            for record_id, k in records:
                listing = None if k.listing is None else listing_document(k.listing)
                yield record_id, entry_value(k.owner, k.version, listing)

        return entries

    async def image(self) -> Callable[[], bytes]:
        """The records and the built index as of now, encoded later off the event loop (:mod:`.index_image`)."""
        async with self._looking:  # not while a look renumbers the index in a thread
            records, index = dict(self._records), self.index.state()
        return lambda: encode(records, index)

    def restore(self, image: bytes) -> None:
        """Start-up: the records and the index as an image holds them; nothing is decoded or keyed again."""
        self._records, index = decode(image, datetime.now(UTC).date())
        self.index.restore(index)

    def _put(self, record_id: str, known: Known) -> None:
        self._records[record_id] = known
        if known.listing is None:
            self.index.remove(record_id)
        else:
            self.index.put(known.listing)

    def _known(self, record_id: str, value: bytes) -> Known:
        entry = orjson.loads(value)
        doc = entry["listing"]
        return Known(
            entry["owner"], entry["version"], None if doc is None else self._listing(record_id, entry["owner"], doc)
        )

    def _listing(self, record_id: str, owner: str, doc: dict[str, Any]) -> Listing:
        share_with = doc["share_with"]
        shared_with = None if share_with is None else self._shared.setdefault(tuple(share_with), frozenset(share_with))
        return Listing(
            record_id=record_id,
            owner=owner,
            record_type=RecordType(doc["record_type"]),
            requested_action=RequestedAction(doc["requested_action"]),
            share_with=shared_with,
            immediate_alert=doc["immediate_alert"],
            expires_on=date.fromisoformat(doc["expires_on"]) if doc["expires_on"] else None,
            profile=doc["profile"],
            filed_on=self._filed_on(doc.get("filed_on")),
        )

    def _say_undated(self, before: int) -> None:
        if self.undated > before:
            log.warning("records without a first filing date: taken as filed today", records=self.undated - before)

    def _filed_on(self, filed_on: str | None) -> date:
        if filed_on is None:
            self.undated += 1
            return datetime.now(UTC).date()
        return date.fromisoformat(filed_on)
