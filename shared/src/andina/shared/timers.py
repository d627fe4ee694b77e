"""Timers that survive restarts: escalations, reminders and deadlines, held in the store.

A timer is a document with a due time. A service's timer loop claims due timers one at
a time (a numbered claim only one instance can insert, and a lease, renewed while the timer
fires, so a crashed claimant's timer comes back within ``LEASE``), runs the handler of the timer's kind,
publishes what it returns (ids derived from the timer id), and deletes the timer (the loop:
timer_loop.py). A crash between publishing and deleting fires the timer again with the
same output ids, which the inbox and consumers recognise; so each due step has exactly
one effect, and none is lost.

The store answers lookups by ``_id`` from its index but scans a whole collection for
anything else (a range of due times, a sort): ~0.05-0.3 ms a document on FerretDB, and a
week of deadlines at a busy rate is tens of thousands. So the search for due timers reads
only small collections: each timer also has a pointer (its id and due time) in the *slot*
of its due time, one collection per ``SLOT`` of time. A read of the store takes the slots
that start before ``HORIZON`` from now (normally two) into a heap of due times; the process
adds the timers it schedules, and claims a due one by its ``_id``. It reads again every
``FULL_CHECK`` at the least (timers scheduled by other instances, leases that ran out), but
spends at most about 1/``READ_SHARE`` of its time reading. A slot that ended ``DROP_AFTER``
ago holds only pointers of timers still leased or already gone; once empty it is dropped.
The first read of a process files any timer that has no pointer (a store written before
slots existed, or a crash between the two writes of a timer).
"""

from __future__ import annotations

import asyncio
import heapq
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import structlog
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from andina.shared.publishing import Outgoing
from andina.shared.store import Document, InUnitOfWork, WriteBatch, insert_new

log = structlog.get_logger()

# A killed instance's timers are fired by the survivor within about LEASE + FULL_CHECK, not a
# minute after the takeover of its partitions (<= 10 s). A living one renews its lease often
# enough to keep it through seconds of a starved event loop: two firings at once could each
# take a deadline of their own.
LEASE = timedelta(seconds=15)
RENEW_EVERY = timedelta(seconds=3)
FULL_CHECK = timedelta(seconds=5)  # the shortest time between two reads of the store
HORIZON = timedelta(minutes=10)  # a read takes the timers due within it; also the longest time between reads
READ_SHARE = 100  # the next read waits at least this many times as long as the last one took
SLOT = HORIZON  # the span of due times of one slot collection
DROP_AFTER = timedelta(hours=1)  # no process still writes into a slot that ended this long ago
SLOT_PREFIX = "timers_due_"


@dataclass(frozen=True, slots=True)
class Timer:
    id: str
    kind: str
    due_at: datetime
    data: dict[str, Any]
    slot: str  # the collection of its pointer
    claim: int = 0  # which claim of the timer this process holds (1 the first; a lease run out, the next)


BoundTimerHandler = Callable[[Timer, WriteBatch], Awaitable[list[Outgoing]]]  # with its firing's unit of work
Clock = Callable[[], datetime]


class Scheduler(Protocol):
    """What handlers need of timers (the store's :class:`Timers`, or an in-memory fake in unit tests)."""

    async def schedule(self, timer_id: str, kind: str, due_at: datetime, data: dict[str, Any]) -> None: ...

    async def cancel(self, *timer_ids: str) -> None: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_stored(moment: datetime) -> datetime:
    """``moment`` to the millisecond, what the store keeps: a time read back equals the one written."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def slot_of(at: datetime) -> str:
    """The slot collection of due time ``at``."""
    span = SLOT.total_seconds()
    start = datetime.fromtimestamp(at.timestamp() // span * span, UTC)
    return SLOT_PREFIX + start.strftime("%Y%m%dT%H%M")


def filing_slot(due_at: datetime, now: datetime) -> str:
    """The slot a timer due at ``due_at`` is filed in at ``now``: one already due goes to the
    current slot, since slots that ended are only read, then dropped."""
    return slot_of(max(due_at, now))


def slots_between(start: datetime, end: datetime) -> set[str]:
    """The slots of every due time from ``start`` to ``end``."""
    count = int((end - start) / SLOT) + 2  # both ends' slots, whatever their offsets
    return {slot_of(min(start + n * SLOT, end)) for n in range(count)}


def slot_start(slot: str) -> datetime:
    return datetime.strptime(slot.removeprefix(SLOT_PREFIX), "%Y%m%dT%H%M").replace(tzinfo=UTC)


@dataclass(slots=True)
class _DueTimes:
    """What a process knows of the timers due soon."""

    due: list[tuple[datetime, str]] = field(default_factory=list)  # heap of (when it may fire, id), to the horizon
    horizon: datetime | None = None  # the heap holds what is due until then; None: read the store first
    next_read: datetime | None = None
    slots: set[str] = field(default_factory=set)  # listed on the first read, then those that come within the horizon


class Timers(InUnitOfWork):
    """The timer collection of one service, and the slots that index it by due time.

    Handlers schedule and cancel through a copy bound to their unit of work; the timer loop
    claims, renews and finishes on the store directly.
    """

    def __init__(self, db: AsyncDatabase[Document], clock: Clock = utc_now) -> None:
        self._db = db
        self._timers: AsyncCollection[Document] = db["timers"]
        self._claims: AsyncCollection[Document] = db["timer_claims"]
        self._clock = clock
        self._known = _DueTimes()  # shared by the copies bound to units of work

    async def schedule(self, timer_id: str, kind: str, due_at: datetime, data: dict[str, Any]) -> None:
        """Create the timer ``timer_id``; one already scheduled under this id is kept.

        Ids are derived from events and steps, so scheduling again after a crash is harmless.
        """
        slot = filing_slot(due_at, self._clock())
        document = {"_id": timer_id, "kind": kind, "due_at": due_at, "data": data, "leased_until": None, "slot": slot}
        await self.unit.insert(self._timers, document)
        await self.unit.insert(self._db[slot], {"_id": timer_id, "due_at": due_at})
        if self._known.horizon is None or due_at <= self._known.horizon:  # a later one comes with a later read
            heapq.heappush(self._known.due, (due_at, timer_id))

    def nothing_due(self) -> bool:
        """True when no timer can be due yet, as far as this process knows."""
        now = self._clock()
        fresh = self._known.next_read is not None and now < self._known.next_read
        return fresh and (not self._known.due or self._known.due[0][0] > now)

    async def cancel(self, *timer_ids: str) -> None:
        """Cancel these timers, scheduled or not, including any scheduled earlier in the same batch.

        Each is found and deleted by its ``_id``, with its pointer: a pattern on ids (all
        timers of one alert, say) would make the store scan every pending timer, and the
        services know the ids they schedule.
        """
        await asyncio.gather(*(self._cancel(timer_id) for timer_id in sorted(set(timer_ids))))

    async def _cancel(self, timer_id: str) -> None:
        timer = await self.unit.find(self._timers, {"_id": timer_id})
        if timer is None:
            return
        # The timer first (a write batch sends both at once): a pointer left by a crash is dropped
        # with its slot; a timer without one would wait.
        self.unit.delete(self._timers, timer_id)
        if "slot" in timer:  # not yet, for a timer stored before slots until the first read files it
            self.unit.delete(self._db[timer["slot"]], timer_id)
        for claim in _claim_ids(timer_id, timer.get("claims", 0)):  # left by a claimant that died
            self.unit.delete(self._claims, claim)

    async def claim_due(self) -> Timer | None:
        """Lease the earliest due timer that nobody holds, or None.

        A heap entry whose timer was cancelled, fired or leased elsewhere finds nothing to
        claim and is dropped; the next read brings back one whose lease runs out.
        """
        now = self._clock()
        if self._known.next_read is None or now >= self._known.next_read:
            await self._load(now)
        while self._known.due and self._known.due[0][0] <= now:
            _, timer_id = heapq.heappop(self._known.due)
            if (timer := await self._claim(timer_id, now)) is not None:
                return timer
        return None

    async def _claim(self, timer_id: str, now: datetime) -> Timer | None:
        """The timer, if it is due, free, and this process's insert of its next claim is the one stored.

        FerretDB applies a find-and-modify as a read then a write, so two instances could both
        take a timer that way; of two inserts of one ``_id``, the store keeps one.
        """
        doc = await self._timers.find_one({"_id": timer_id})
        if doc is None or doc["due_at"] > now or (doc["leased_until"] is not None and doc["leased_until"] > now):
            return None
        claim = doc.get("claims", 0) + 1
        while not await self._took(timer_id, claim, now):
            held = await self._claims.find_one({"_id": f"{timer_id}#{claim}"})
            if held is None or held["at"] + LEASE > now:
                return None  # another instance took this claim first, and holds it
            claim += 1  # its claimant died before it leased the timer: the lease it would have had ran out
        lease = {"leased_until": self._clock() + LEASE, "claims": claim}  # from now: reading the store takes a while
        await self._timers.update_one({"_id": timer_id}, {"$set": lease})
        return Timer(doc["_id"], doc["kind"], doc["due_at"], doc["data"], doc["slot"], claim)

    async def _took(self, timer_id: str, claim: int, now: datetime) -> bool:
        try:
            await self._claims.insert_one({"_id": f"{timer_id}#{claim}", "at": now})
        except DuplicateKeyError:
            return False
        return True

    async def renew(self, timer: Timer) -> None:
        """Extend the lease of ``timer``, which this process is firing."""
        await self._timers.update_one({"_id": timer.id}, {"$set": {"leased_until": self._clock() + LEASE}})

    async def done(self, timer: Timer) -> None:
        await asyncio.gather(
            self._timers.delete_one({"_id": timer.id, "due_at": timer.due_at}),
            self._db[timer.slot].delete_one({"_id": timer.id}),
            *(self._claims.delete_one({"_id": claim}) for claim in _claim_ids(timer.id, timer.claim)),
        )

    async def read_store(self) -> int:
        """Read the store now, as the timer loop does every ``FULL_CHECK`` or less often; say how
        many timers it knows due within the horizon."""
        await self._load(self._clock())
        return len(self._known.due)

    async def _load(self, now: datetime) -> None:
        """Every timer due within the horizon, at the time it may fire: its due time, or the end of
        its lease. What the heap held is kept too: a timer scheduled in a write batch that is not
        written yet is not in the store."""
        started = time.perf_counter()
        horizon = now + HORIZON
        if self._known.next_read is None:  # the first read lists them; later ones know which come next
            self._known.slots = await self._list_slots()
            if await self._file_unfiled(self._known.slots, now):
                self._known.slots = await self._list_slots()
        self._known.slots |= slots_between(min(self._known.horizon or now, now), horizon)  # none skipped after a stall
        stored: dict[str, datetime] = {}
        for slot in sorted(s for s in self._known.slots if slot_start(s) <= horizon):
            stored |= await self._read_slot(slot, now)
        due = {timer_id: at for at, timer_id in self._known.due if at <= horizon}  # read after the await: all scheduled
        due.update(stored)
        self._known.due = [(at, timer_id) for timer_id, at in due.items()]
        heapq.heapify(self._known.due)
        took = time.perf_counter() - started
        self._known.horizon = horizon
        self._known.next_read = now + read_again_after(took)
        log.info("timers read", due_within_horizon=len(self._known.due), read_ms=round(took * 1000))

    async def _list_slots(self) -> set[str]:
        return {n for n in await self._db.list_collection_names() if n.startswith(SLOT_PREFIX)}

    async def _read_slot(self, slot: str, now: datetime) -> dict[str, datetime]:
        """When each timer of the slot may fire. Those already due are looked up for their lease;
        in a slot ended ``DROP_AFTER`` ago, a pointer whose timer is gone is deleted, and the
        slot dropped once empty."""
        collection = self._db[slot]
        pointers = {d["_id"]: d["due_at"] async for d in collection.find({})}
        past = [timer_id for timer_id, due_at in pointers.items() if due_at <= now]
        found = await asyncio.gather(*(self._timers.find_one({"_id": i}, {"leased_until": 1}) for i in past))
        ended = slot_start(slot) + SLOT + DROP_AFTER <= now
        for timer_id, timer in zip(past, found, strict=True):
            if timer is None:  # fired or cancelled; or, in a recent slot, its timer not written yet
                del pointers[timer_id]
                if ended:
                    await collection.delete_one({"_id": timer_id})
            elif timer["leased_until"] is not None:
                pointers[timer_id] = max(pointers[timer_id], timer["leased_until"])
        if ended and not pointers:
            await collection.drop()
            self._known.slots.discard(slot)
        return pointers

    async def _file_unfiled(self, slots: set[str], now: datetime) -> int:
        """Give a pointer to every timer that has none (once per process, on its first read); say how many."""
        filed: set[str] = set()
        for slot in slots:
            filed |= {d["_id"] async for d in self._db[slot].find({}, {"_id": 1})}
        stored = self._timers.find({}, {"due_at": 1})
        unfiled = [t async for t in stored if t["_id"] not in filed]
        for timer in unfiled:  # the slot named first: a crash between the two leaves one to file again
            slot = filing_slot(timer["due_at"], now)
            await self._timers.update_one({"_id": timer["_id"]}, {"$set": {"slot": slot}})
            await insert_new(self._db[slot], [{"_id": timer["_id"], "due_at": timer["due_at"]}])
        if unfiled:
            log.warning("timers without a pointer filed", count=len(unfiled))
        return len(unfiled)


def _claim_ids(timer_id: str, claims: int) -> list[str]:
    return [f"{timer_id}#{number}" for number in range(1, claims + 1)]


def read_again_after(took: float) -> timedelta:
    """How long to wait after a read of the store that took ``took`` seconds."""
    return min(HORIZON, max(FULL_CHECK, timedelta(seconds=took * READ_SHARE)))
