"""Mongo repositories of the alerts service. Writes are single-document and targeted, so
an acknowledgement and an update of the same alert, handled at once, both survive."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from andina.alerts.domain.alert import Acknowledgement, Alert
from andina.alerts.domain.directory import VersionedEntry
from andina.alerts.domain.relay import RelayRequest
from andina.contract.envelope import Handling
from andina.contract.events.alerts import AlertCategory, Priority, RequestStatus, RequestUrgency
from andina.contract.events.directory import DirectoryEntry
from andina.shared.store import Document, InUnitOfWork, insert_new


def _uuid(value: Any) -> UUID | None:
    return None if value is None else UUID(value)


def _document(entity: Alert | RelayRequest) -> Document:
    """The entity's fields as a document under its ``_id``; shallow, unlike ``asdict``'s deep copy,
    which took a third of the time of handling a raised alert."""
    document = {f.name: getattr(entity, f.name) for f in fields(entity) if f.name != "id"}
    correlation = None if entity.correlation is None else str(entity.correlation)
    return {**document, "_id": str(entity.id), "correlation": correlation}


KEYS_COMPLETE = "keys complete"  # no origin code has a space: never an alert's key


def _key_id(origin: str, dedup_key: str) -> str:
    return f"{origin}/{dedup_key}"


class AlertRepository(InUnitOfWork):
    """Alerts by id, and the latest alert of each origin's dedup key (``keys``, by ``_id``).

    The store answers a lookup by ``_id`` from its index but FerretDB scans the collection
    for any other filter (half a second for 20,000 alerts), and every alert raised from
    another service's signal carries a dedup key: so the key names its alert by ``_id``.
    A key whose alert was closed is left as it is; the next alert with that key replaces it.
    """

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._alerts: AsyncCollection[Document] = db["alerts"]
        self._keys: AsyncCollection[Document] = db["alert_keys"]

    async def ensure_indexes(self) -> None:
        """Give every open keyed alert its key, once, in a store written before keys were kept."""
        if await self._keys.find_one({"_id": KEYS_COMPLETE}) is not None:
            return
        # Inserts that keep what is there: the other instance, starting at the same moment, may write them too.
        keyed = {"closed": False, "dedup_key": {"$ne": None}}
        async for doc in self._alerts.find(keyed, {"origin": 1, "dedup_key": 1}):
            await insert_new(self._keys, [{"_id": _key_id(doc["origin"], doc["dedup_key"]), "alert_id": doc["_id"]}])
        await insert_new(self._keys, [{"_id": KEYS_COMPLETE, "at": datetime.now(UTC)}])

    async def add(self, alert: Alert) -> None:
        """Store a new alert (kept as it is when already there: a redelivered raise)."""
        await self.unit.insert(self._alerts, {**_document(alert), "acks": {}})
        if alert.dedup_key is not None:
            self.unit.replace(self._keys, {"_id": _key_id(alert.origin, alert.dedup_key), "alert_id": str(alert.id)})

    async def get(self, alert_id: UUID) -> Alert | None:
        return _alert(await self.unit.find(self._alerts, {"_id": str(alert_id)}))

    async def open_with_key(self, origin: str, dedup_key: str) -> Alert | None:
        key = await self.unit.find(self._keys, {"_id": _key_id(origin, dedup_key)})
        alert = None if key is None else await self.get(UUID(key["alert_id"]))
        return alert if alert is not None and not alert.closed else None

    async def save_revision(self, alert: Alert) -> None:
        fields = {"facts": alert.facts, "priority": alert.priority.value, "revision": alert.revision}
        self.unit.set_fields(self._alerts, str(alert.id), {**fields, "closed": alert.closed})

    async def add_ack(self, alert_id: UUID, country: str, ack: Acknowledgement) -> None:
        self.unit.set_fields(self._alerts, str(alert_id), {f"acks.{country}": asdict(ack)})

    async def escalation_began(self, alert_id: UUID) -> None:
        self.unit.set_fields(self._alerts, str(alert_id), {"escalated": True})

    async def deadline_set(self, alert_id: UUID, step: str, due: datetime) -> None:
        self.unit.set_fields(self._alerts, str(alert_id), {f"deadlines.{step}": due})


def _alert(doc: Document | None) -> Alert | None:
    if doc is None:
        return None
    return Alert(
        id=UUID(doc["_id"]),
        origin=doc["origin"],
        priority=Priority(doc["priority"]),
        category=AlertCategory(doc["category"]),
        title=doc["title"],
        facts=doc["facts"],
        recipients=tuple(doc["recipients"]),
        handling=Handling(doc["handling"]),
        domestic=doc["domestic"],
        raised_at=doc["raised_at"],
        acknowledge_by=doc["acknowledge_by"],
        correlation=_uuid(doc["correlation"]),
        dedup_key=doc["dedup_key"],
        revision=doc["revision"],
        closed=doc["closed"],
        acks={c: Acknowledgement(a["by"], a["at"]) for c, a in doc["acks"].items()},
        escalated=doc.get("escalated", False),  # absent from alerts stored before it was kept
        deadlines=doc.get("deadlines", {}),
    )


class RequestRepository(InUnitOfWork):
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._requests: AsyncCollection[Document] = db["requests"]

    async def ensure_indexes(self) -> None:
        await self._requests.create_index("status")

    async def add(self, request: RelayRequest) -> None:
        await self.unit.insert(self._requests, _document(request))

    async def get(self, request_id: UUID) -> RelayRequest | None:
        doc = await self.unit.find(self._requests, {"_id": str(request_id)})
        if doc is None:
            return None
        fields = {k: v for k, v in doc.items() if k != "_id"}
        return RelayRequest(
            **{
                **fields,
                "id": UUID(doc["_id"]),
                "correlation": _uuid(doc["correlation"]),
                "urgency": RequestUrgency(doc["urgency"]),
                "handling": Handling(doc["handling"]),
                "status": RequestStatus(doc["status"]),
            }
        )

    async def save(self, request: RelayRequest) -> None:
        fields = {"status": request.status.value, "answer": request.answer, "ground": request.ground}
        self.unit.set_fields(self._requests, str(request.id), {**fields, "settled_at": request.settled_at})

    async def count_open(self) -> int:
        return await self._requests.count_documents({"status": {"$in": ["received", "in-progress"]}})


NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(slots=True)
class _DirectoryCopy:
    """The entries as last read, and when."""

    entries: dict[str, VersionedEntry] = field(default_factory=dict)
    taken_at: datetime = NEVER


class DirectoryRepository(InUnitOfWork):
    """Current entries, one per country, and every version ever applied (the audit trail).

    Every delivery names its contact point, so entries are read from a copy refreshed
    every ``REFRESH`` (another instance's change shows within it) and on every change here.
    """

    REFRESH = timedelta(seconds=1)  # what an instance answers from is another's within a second (a few entries)

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._entries: AsyncCollection[Document] = db["directory"]
        self._history: AsyncCollection[Document] = db["directory_history"]
        self._copy = _DirectoryCopy()  # shared by the copies bound to units of work

    async def ensure_indexes(self) -> None:
        await self._history.create_index([("country", 1), ("version", 1)], unique=True)
        await self._history.create_index("event_id")

    async def get(self, country: str) -> VersionedEntry | None:
        """The entry from the refreshed copy (for naming contact points on deliveries)."""
        if datetime.now(UTC) - self._copy.taken_at > self.REFRESH:
            self._copy.entries = {e.country: e for e in await self.all()}
            self._copy.taken_at = datetime.now(UTC)
        return self._copy.entries.get(country)

    async def current(self, country: str) -> VersionedEntry | None:
        """The entry as stored now (a change must build on the latest version)."""
        doc = await self._entries.find_one({"_id": country})
        if doc is None:
            return None
        return VersionedEntry(country, doc["version"], DirectoryEntry.model_validate(doc["entry"]))

    async def all(self) -> list[VersionedEntry]:
        return [
            VersionedEntry(d["_id"], d["version"], DirectoryEntry.model_validate(d["entry"]))
            async for d in self._entries.find().sort("_id", 1)
        ]

    async def made_by(self, event_id: UUID) -> VersionedEntry | None:
        doc = await self.unit.find(self._history, {"event_id": str(event_id)})  # the batch under way included
        return (
            None
            if doc is None
            else VersionedEntry(doc["country"], doc["version"], DirectoryEntry.model_validate(doc["entry"]))
        )

    async def put(self, entry: VersionedEntry, changed_by: str, event_id: UUID | None, at: datetime) -> None:
        """Record the version in the history (append-only), then make it current."""
        document = entry.entry.model_dump(mode="json")
        # A duplicate is the same change handled again after a crash: it is kept as it was.
        await self.unit.insert(
            self._history,
            {
                "_id": f"{entry.country}/{entry.version}",
                "country": entry.country,
                "version": entry.version,
                "entry": document,
                "changed_by": changed_by,
                "event_id": None if event_id is None else str(event_id),
                "at": at,
            },
        )
        self.unit.replace(self._entries, {"_id": entry.country, "version": entry.version, "entry": document})
        self._copy.entries[entry.country] = entry
