"""The one audit entry schema every service writes into its trail (andina.shared.audit).

An entry says who acted or received (``actor``, a member's code or the service), what it did
(``action``), to which personal data (``subject``), when, why, on whose behalf and through
which event. Its id is derived from the event, output or timer that caused it, so handling
that cause again after a crash writes nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from andina.contract.envelope import Envelope
from andina.shared.audit import AuditTrail
from andina.shared.publishing import Outgoing
from andina.shared.store import Document, InUnitOfWork

DELIVERED = "delivered"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: str
    at: datetime
    action: str
    actor: str
    subject: str
    why: str = ""
    on_behalf_of: str = ""
    event_type: str = ""
    detail: Mapping[str, str] = field(default_factory=dict)

    def document(self) -> Document:
        document: Document = {
            "_id": self.id,
            "at": self.at,
            "action": self.action,
            "actor": self.actor,
            "subject": self.subject,
            "why": self.why,
            "on_behalf_of": self.on_behalf_of,
            "event_type": self.event_type,
        }
        return document | ({"detail": dict(self.detail)} if self.detail else {})


def caused_entry(
    cause: Envelope,
    action: str,
    actor: str,
    subject: str,
    why: str,
    detail: Mapping[str, str] | None = None,
    *,
    at: datetime | None = None,
) -> AuditEntry:
    """``actor`` did ``action`` to ``subject`` (a record id, a screening id) because of ``cause``.

    The id is ``<cause id>/<action>/<subject>``, so handling the cause again writes nothing
    twice; the sending agency and the conversation go in the detail. ``at`` is the cause's
    time unless the service gives its own clock's.
    """
    return AuditEntry(
        id=f"{cause.id}/{action}/{subject}",
        at=at or cause.time,
        action=action,
        actor=actor,
        subject=subject,
        why=why,
        on_behalf_of=cause.origin,
        event_type=cause.type,
        detail={**(detail or {}), "agency": cause.source, "correlation_id": str(cause.correlationid)},
    )


def delivered(outputs: Iterable[Outgoing], subject: str, why: str, at: datetime) -> list[AuditEntry]:
    """Each output's recipient received personal data of ``subject``; the entry's id is the output's."""
    return [
        AuditEntry(
            id=str(o.attributes["id"]),
            at=at,
            action=DELIVERED,
            actor=o.recipient,
            subject=subject,
            why=why,
            on_behalf_of=str(o.attributes["origin"]),
            event_type=str(o.attributes["type"]),
        )
        for o in outputs
    ]


class Audit(Protocol):
    """What handlers need of an audit log (the store's, or an in-memory fake in unit tests)."""

    async def append(self, entries: Iterable[AuditEntry]) -> None: ...


class AuditLog(InUnitOfWork):
    """A service's audit entries, appended with the batch's other writes, never changed."""

    def __init__(self, trail: AuditTrail) -> None:
        self._trail = trail

    async def append(self, entries: Iterable[AuditEntry]) -> None:
        documents = [e.document() for e in entries]
        if documents:
            await self._trail.append(documents, self.unit)

    async def entries(self, subject: str | None = None) -> list[Document]:
        """Entries (about ``subject``, if given), oldest first: for operators and tests."""
        query = {"subject": subject} if subject else {}
        return [d async for d in self._trail.entries.find(query).sort("at", 1)]
