"""Timers that survive restarts: escalations, reminders and deadlines, held in the store.

A timer is a document with a due time. A service's timer loop claims due timers one at
a time with find-and-modify (a lease, so a crashed claimant's timer comes back after the
lease), runs the handler of the timer's kind, publishes what it returns (ids derived
from the timer id), and deletes the timer. A crash between publishing and deleting
fires the timer again with the same output ids, which the inbox and consumers
recognise; so each due step has exactly one effect, and none is lost.
The store answers lookups by ``_id`` from its index but scans for anything else (a range
of due times, a sort), so the search for due timers is kept off the store: each process
holds the due times of the timers due within ``HORIZON`` in a heap, adds those it
schedules, and claims a due one by its ``_id``. It reads the store again (timers due
within ``HORIZON`` from then), which picks up timers scheduled by other instances and
leases that ran out, every ``FULL_CHECK`` at the least; but never spends more than about
1/``READ_SHARE`` of its time reading: on FerretDB a read scans every pending timer (~0.1-0.3
ms each), and a day's deadlines at a busy rate are tens of thousands. Fired timers are
deleted, so the collection holds only what is still pending.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import heapq
import time
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
FULL_CHECK = timedelta(seconds=30)  # the shortest time between two reads of the store
HORIZON = timedelta(minutes=10)  # a read takes the timers due within it; also the longest time between reads
READ_SHARE = 100  # the next read waits at least this many times as long as the last one took


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
        self._due: list[tuple[datetime, str]] = []  # heap of (when it may fire, timer id), up to the horizon
        self._horizon: datetime | None = None  # the heap holds what is due until then; None: read the store first
        self._next_read: datetime | None = None

    async def ensure_indexes(self) -> None:
        await self._timers.create_index("due_at")

    async def schedule(self, timer_id: str, kind: str, due_at: datetime, data: dict[str, Any]) -> None:
        """Create the timer ``timer_id``; one already scheduled under this id is kept.

        Ids are derived from events and steps, so scheduling again after a crash is harmless.
        """
        document = {"_id": timer_id, "kind": kind, "due_at": due_at, "data": data, "leased_until": None}
        await insert_document(self._timers, document)
        if self._horizon is None or due_at <= self._horizon:  # a later one comes with a later read
            heapq.heappush(self._due, (due_at, timer_id))

    def nothing_due(self) -> bool:
        """True when no timer can be due yet, as far as this process knows."""
        now = self._clock()
        fresh = self._next_read is not None and now < self._next_read
        return fresh and (not self._due or self._due[0][0] > now)

    async def cancel(self, *timer_ids: str) -> None:
        """Cancel these timers, scheduled or not, including any scheduled earlier in the same batch.

        Each is deleted by its ``_id``: a pattern on ids (all timers of one alert, say) would
        make the store scan every pending timer (~0.7 s for 20,000 on FerretDB), and the
        services know the ids they schedule.
        """
        ids = frozenset(timer_ids)
        await asyncio.gather(
            *(delete_documents(self._timers, {"_id": i}, lambda d: d["_id"] in ids) for i in sorted(ids))
        )

    async def claim_due(self) -> Timer | None:
        """Lease the earliest due timer that nobody holds, or None.

        A heap entry whose timer was cancelled, fired or leased elsewhere finds nothing to
        claim and is dropped; the next read brings back one whose lease runs out.
        """
        now = self._clock()
        if self._next_read is None or now >= self._next_read:
            await self._load(now)
        while self._due and self._due[0][0] <= now:
            _, timer_id = heapq.heappop(self._due)
            doc = await self._timers.find_one_and_update(
                {
                    "_id": timer_id,
                    "due_at": {"$lte": now},
                    "$or": [{"leased_until": None}, {"leased_until": {"$lte": now}}],
                },
                {"$set": {"leased_until": now + LEASE}},
                return_document=ReturnDocument.AFTER,
            )
            if doc is not None:
                return Timer(doc["_id"], doc["kind"], doc["due_at"], doc["data"])
        return None

    async def _load(self, now: datetime) -> None:
        """Every timer due within the horizon, at the time it may fire: its due time, or the end of
        its lease. What the heap held is kept too: a timer scheduled in a write batch that is not
        written yet is not in the store."""
        started = time.perf_counter()
        horizon = now + HORIZON
        pending = self._timers.find({"due_at": {"$lte": horizon}}, {"due_at": 1, "leased_until": 1})
        stored = {d["_id"]: max(d["due_at"], d["leased_until"] or d["due_at"]) async for d in pending}
        due = {timer_id: at for at, timer_id in self._due if at <= horizon}  # read after the await: all scheduled
        due.update(stored)
        self._due = [(at, timer_id) for timer_id, at in due.items()]
        heapq.heapify(self._due)
        took = time.perf_counter() - started
        self._horizon = horizon
        self._next_read = now + read_again_after(took)
        log.info("timers read", due_within_horizon=len(self._due), read_ms=round(took * 1000))

    async def done(self, timer: Timer) -> None:
        await self._timers.delete_one({"_id": timer.id, "due_at": timer.due_at})


def read_again_after(took: float) -> timedelta:
    """How long to wait after a read of the store that took ``took`` seconds."""
    return min(HORIZON, max(FULL_CHECK, timedelta(seconds=took * READ_SHARE)))


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
