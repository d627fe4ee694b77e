"""The alerts service's audit log: every delivery of a return case's personal data, and its removal.

Append-only and hash-chained (andina.shared.audit): an entry is inserted once, with an id
derived from the output or the timer that caused it, so a re-run writes nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from andina.shared.audit import AuditTrail
from andina.shared.publishing import Outgoing
from andina.shared.store import Document


class AuditLog:
    def __init__(self, trail: AuditTrail) -> None:
        self._trail = trail

    async def deliveries(self, outputs: Iterable[Outgoing], subject: str, why: str, at: datetime) -> None:
        """Each output's recipient received personal data of ``subject`` (the entry's id is the output's)."""
        await self._trail.append(
            [
                {
                    "_id": o.attributes["id"],
                    "at": at,
                    "action": "delivered",
                    "actor": o.recipient,
                    "subject": subject,
                    "why": why,
                    "event_type": o.attributes["type"],
                    "on_behalf_of": o.attributes["origin"],
                }
                for o in outputs
            ]
        )

    async def removed(self, entry_id: str, subject: str, at: datetime) -> None:
        """The personal data of ``subject`` was removed after the retention time."""
        entry = {"_id": entry_id, "at": at, "action": "personal-data-removed", "actor": "alerts", "subject": subject}
        await self._trail.append([{**entry, "why": "retention after the case ended"}])

    async def entries(self, subject: str) -> list[Document]:
        """Entries about ``subject``, oldest first (for operators and tests)."""
        return [d async for d in self._trail.entries.find({"subject": subject}).sort("at", 1)]
