"""The audit log: who did what to which personal data, when and why. Append-only, hash-chained.

Nothing here updates or deletes: an entry is inserted once, with an id derived from the
event that caused it, so a redelivered event does not write it twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from andina.shared.audit import AuditTrail
from andina.shared.envelope import Envelope
from andina.shared.store import Document


@dataclass(frozen=True, slots=True)
class AuditEntry:
    action: str  # screening, hit, record-stored, record-withdrawn, record-requested, record-released, ...
    actor: str  # the country that acted
    subject: str  # what was touched: a record id, a screening id
    why: str
    detail: dict[str, str]


class AuditLog:
    def __init__(self, trail: AuditTrail) -> None:
        self._trail = trail

    async def append(self, cause: Envelope, entries: list[AuditEntry]) -> None:
        documents = [
            {
                "_id": f"{cause.id}/{e.action}/{e.subject}",
                "at": cause.time,
                "logged_at": datetime.now(cause.time.tzinfo),
                "action": e.action,
                "actor": e.actor,
                "agency": cause.source,
                "subject": e.subject,
                "why": e.why,
                "event_id": str(cause.id),
                "event_type": cause.type,
                "correlationid": str(cause.correlationid),
                **({"detail": e.detail} if e.detail else {}),
            }
            for e in entries
        ]
        await self._trail.append(documents)

    async def entries(self, subject: str | None = None) -> list[Document]:
        """Entries, oldest first (for operators and tests)."""
        query = {"subject": subject} if subject else {}
        return [d async for d in self._trail.entries.find(query).sort("at", 1)]
