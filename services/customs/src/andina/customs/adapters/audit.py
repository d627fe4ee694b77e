"""The append-only audit log: who received which record holding personal data, when, and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from andina.shared.publishing import Outgoing
from andina.shared.store import Document, insert_document
from andina.shared.timers import Clock, utc_now


class AuditLog:
    """One entry per delivery of personal data; entries are only ever inserted."""

    def __init__(self, db: AsyncDatabase[Document], clock: Clock = utc_now) -> None:
        self._entries: AsyncCollection[Document] = db["audit"]
        self._clock = clock

    async def ensure_indexes(self) -> None:
        await self._entries.create_index("at")

    async def deliveries(self, outputs: Iterable[Outgoing], record: str, why: str) -> None:
        """Record that each output's recipient received ``record`` (its id is the output's: a re-run adds nothing)."""
        at: dt.datetime = self._clock()
        for o in outputs:
            entry = {
                "_id": o.attributes["id"],
                "at": at,
                "who": o.recipient,
                "what": record,
                "event_type": o.attributes["type"],
                "on_behalf_of": o.attributes["origin"],
                "why": why,
            }
            await insert_document(self._entries, entry)  # written with the poll batch, before the events go out
