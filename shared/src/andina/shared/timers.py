"""Timers that survive restarts: escalations, reminders and deadlines, held in the store.

A timer is a document with a due time. A service's timer loop claims due timers one at
a time with find-and-modify (a lease, so a crashed claimant's timer comes back after the
lease), runs the handler of the timer's kind, publishes what it returns (ids derived
from the timer id), and deletes the timer. A crash between publishing and deleting
fires the timer again with the same output ids, which the inbox and consumers
recognise; so each due step has exactly one effect, and none is lost.
Fired timers are deleted, which keeps the collection small: FerretDB scans it on reads.
For the same reason a timer is created by an insert (the unique ``_id`` index answers),
and the loop looks for due timers only when the earliest due time it knows of has come,
or every ``FULL_CHECK`` in case another instance scheduled an earlier one.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from andina.shared.backoff import DependencyStatus
from andina.shared.publishing import EventPublisher, Outgoing
from andina.shared.store import Document, delete_documents, insert_document

log = structlog.get_logger()

LEASE = timedelta(seconds=60)
FULL_CHECK = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class Timer:
    id: str
    kind: str
    due_at: datetime
    data: dict[str, Any]


TimerHandler = Callable[[Timer], Awaitable[list[Outgoing]]]
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Timers:
    """The timer collection of one service."""

    def __init__(self, db: AsyncDatabase[Document], clock: Clock = utc_now) -> None:
        self._timers: AsyncCollection[Document] = db["timers"]
        self._clock = clock
        self._next_due: datetime | None = None  # None: unknown, look in the store
        self._checked_at = datetime.min.replace(tzinfo=UTC)

    async def ensure_indexes(self) -> None:
        await self._timers.create_index("due_at")

    async def schedule(self, timer_id: str, kind: str, due_at: datetime, data: dict[str, Any]) -> None:
        """Create the timer ``timer_id``; one already scheduled under this id is kept.

        Ids are derived from events and steps, so scheduling again after a crash is harmless.
        """
        document = {"_id": timer_id, "kind": kind, "due_at": due_at, "data": data, "leased_until": None}
        await insert_document(self._timers, document)
        if self._next_due is not None and due_at < self._next_due:
            self._next_due = due_at

    def nothing_due(self) -> bool:
        """True when no timer can be due yet, as far as this process knows."""
        now = self._clock()
        return self._next_due is not None and now < self._next_due and now - self._checked_at < FULL_CHECK

    async def cancel(self, timer_id: str) -> None:
        await delete_documents(self._timers, {"_id": timer_id}, lambda d: bool(d["_id"] == timer_id))

    async def cancel_prefix(self, prefix: str) -> None:
        """Cancel every timer whose id starts with ``prefix`` (all steps of one alert, say),
        including one scheduled earlier in the same batch."""
        query = {"_id": {"$regex": f"^{_escape(prefix)}"}}
        await delete_documents(self._timers, query, lambda d: str(d["_id"]).startswith(prefix))

    async def claim_due(self) -> Timer | None:
        """Lease the earliest due timer that nobody holds, or None."""
        now = self._clock()
        doc = await self._timers.find_one_and_update(
            {"due_at": {"$lte": now}, "$or": [{"leased_until": None}, {"leased_until": {"$lte": now}}]},
            {"$set": {"leased_until": now + LEASE}},
            sort=[("due_at", 1)],
            return_document=ReturnDocument.AFTER,
        )
        if doc is None:
            await self._learn_next_due(now)
            return None
        return Timer(doc["_id"], doc["kind"], doc["due_at"], doc["data"])

    async def _learn_next_due(self, now: datetime) -> None:
        earliest = await self._timers.find_one({}, sort=[("due_at", 1)], projection={"due_at": 1})
        self._next_due = earliest["due_at"] if earliest else now + FULL_CHECK
        self._checked_at = now

    async def done(self, timer: Timer) -> None:
        await self._timers.delete_one({"_id": timer.id, "due_at": timer.due_at})

    async def pending(self, prefix: str = "") -> list[Timer]:
        """Timers not yet fired, earliest first (for operators and tests)."""
        query = {"_id": {"$regex": f"^{_escape(prefix)}"}} if prefix else {}
        return [
            Timer(d["_id"], d["kind"], d["due_at"], d["data"]) async for d in self._timers.find(query).sort("due_at", 1)
        ]


def _escape(text: str) -> str:
    return "".join("\\" + c if not c.isalnum() else c for c in text)


class TimerLoop:
    """Fires due timers until stopped; one instance per service process.

    Each step of firing a timer waits out an unreachable store or broker (``dependencies``),
    so a timer that fell due during an outage fires once it is over, not after its lease.
    """

    def __init__(
        self,
        timers: Timers,
        handlers: Mapping[str, TimerHandler],
        publisher: EventPublisher,
        dependencies: DependencyStatus,
        poll_seconds: float = 1.0,
    ) -> None:
        self._timers = timers
        self._handlers = handlers
        self._publisher = publisher
        self._dependencies = dependencies
        self._poll_seconds = poll_seconds
        self._task: asyncio.Task[None] | None = None

    async def fire_due(self) -> int:
        """Fire every timer due now; return how many fired."""
        fired = 0
        if self._timers.nothing_due():
            return fired
        retry = self._dependencies.retry
        while (timer := await retry("claim timer", self._timers.claim_due)) is not None:
            with structlog.contextvars.bound_contextvars(timer=timer.id, kind=timer.kind):
                handler = self._handlers.get(timer.kind)
                if handler is None:
                    log.error("timer of unknown kind dropped")
                else:
                    outputs = await retry("fire timer", functools.partial(handler, timer))
                    await retry("publish timer outputs", functools.partial(self._publisher.publish, outputs))
                    log.info("timer fired", due_at=timer.due_at.isoformat())
            await retry("finish timer", functools.partial(self._timers.done, timer))
            fired += 1
        return fired

    async def _run(self) -> None:
        while True:
            try:
                await self.fire_due()
            except Exception:  # not an outage (those are waited out): log it, keep the loop
                log.exception("timer loop failed; retrying")
            await asyncio.sleep(self._poll_seconds)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="andina-timers")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
