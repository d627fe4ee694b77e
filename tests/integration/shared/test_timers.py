"""Timers in the real store, with a clock the test moves: what fires, when, and how often."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import cast

import pytest
from prometheus_client import CollectorRegistry
from pymongo.asynchronous.database import AsyncDatabase

from andina.shared.backoff import DependencyStatus
from andina.shared.publishing import EventPublisher, Outgoing
from andina.shared.store import Document, WriteBatch, write_batch
from andina.shared.timer_loop import TimerLoop
from andina.shared.timers import (
    DROP_AFTER,
    FULL_CHECK,
    HORIZON,
    LEASE,
    RENEW_EVERY,
    SLOT,
    SLOT_PREFIX,
    Timer,
    Timers,
    slot_of,
)

pytestmark = pytest.mark.integration

START = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


async def scheduled(timers: Timers, timer_id: str, kind: str, due_at: datetime, data: dict[str, str]) -> None:
    """As a handler schedules a timer: through a unit of work, written when it ends."""
    async with write_batch() as unit:
        await timers.bound(unit).schedule(timer_id, kind, due_at, data)


async def cancelled(timers: Timers, *timer_ids: str) -> None:
    async with write_batch() as unit:
        await timers.bound(unit).cancel(*timer_ids)


async def claim_all(timers: Timers) -> list[Timer]:
    """Claim every due timer, as a process that then dies before firing them."""
    claimed = []
    while (timer := await timers.claim_due()) is not None:
        claimed.append(timer)
    return claimed


async def fire_all(timers: Timers) -> list[Timer]:
    """Claim every due timer and mark it done, as the timer loop does."""
    fired = await claim_all(timers)
    for timer in fired:
        await timers.done(timer)
    return fired


async def test_due_timers_are_claimed_earliest_first_and_later_ones_wait(db: AsyncDatabase[Document]) -> None:
    clock = Clock()
    timers = Timers(db, clock)
    for name, minutes in [("late", 10), ("second", 2), ("first", 1)]:
        await scheduled(timers, name, "deadline", START + timedelta(minutes=minutes), {"name": name})

    clock.now = START + timedelta(minutes=3)
    fired = await fire_all(timers)

    assert [t.id for t in fired] == ["first", "second"]
    assert fired[0].data == {"name": "first"}
    assert timers.nothing_due()
    clock.now = START + timedelta(minutes=11)
    assert [t.id for t in await fire_all(timers)] == ["late"]


async def test_cancelled_timers_never_fire_even_one_scheduled_in_the_same_batch(db: AsyncDatabase[Document]) -> None:
    clock = Clock()
    timers = Timers(db, clock)
    for name in ("kept", "stored"):
        await scheduled(timers, name, "deadline", START + timedelta(minutes=1), {})
    async with write_batch() as unit:
        in_batch = timers.bound(unit)
        await scheduled(in_batch, "in-batch", "deadline", START + timedelta(minutes=1), {})
        await in_batch.cancel("stored", "in-batch", "never-scheduled")

    clock.now = START + timedelta(minutes=2)

    assert [t.id for t in await fire_all(timers)] == ["kept"]
    assert await db["timers"].count_documents({}) == 0


async def test_another_instance_fires_what_this_one_scheduled_once_it_reads_the_store_again(
    db: AsyncDatabase[Document],
) -> None:
    clock = Clock()
    scheduler, other = Timers(db, clock), Timers(db, clock)
    assert await other.claim_due() is None  # it has read the (empty) store
    await scheduled(scheduler, "elsewhere", "deadline", START + timedelta(seconds=1), {})

    clock.now = START + timedelta(seconds=2)
    assert other.nothing_due()  # as far as it knows, until its next full read
    clock.now = START + FULL_CHECK

    assert [t.id for t in await claim_all(other)] == ["elsewhere"]
    assert await claim_all(scheduler) == []  # leased by the other instance, which fires it


async def test_instances_claiming_the_same_due_timers_at_once_take_each_once(db: AsyncDatabase[Document]) -> None:
    clock = Clock()
    instances = [Timers(db, clock) for _ in range(6)]
    await asyncio.gather(*(timers.read_store() for timers in instances))
    for number in range(10):
        await scheduled(instances[0], f"step-{number}", "escalation", START, {})
    await asyncio.gather(*(timers.read_store() for timers in instances))  # each knows them all, due now

    claimed = await asyncio.gather(*(claim_all(timers) for timers in instances))

    assert sorted(t.id for taken in claimed for t in taken) == sorted(f"step-{n}" for n in range(10))


async def test_a_timer_claimed_by_a_process_that_died_fires_once_after_its_lease(
    db: AsyncDatabase[Document],
) -> None:
    clock = Clock()
    await scheduled(Timers(db, clock), "step", "escalation", START, {})
    crashed = Timers(db, clock)
    assert [t.id for t in await claim_all(crashed)] == ["step"]  # and never marked done

    restarted = Timers(db, clock)
    assert await claim_all(restarted) == []  # the lease holds
    clock.now = START + LEASE + timedelta(seconds=1)
    again = await claim_all(restarted)
    await restarted.done(again[0])

    assert [t.id for t in again] == ["step"]
    clock.now += FULL_CHECK
    assert await claim_all(Timers(db, clock)) == []


async def test_a_timer_whose_claimant_died_before_leasing_it_fires_once_its_lease_would_have_run_out(
    db: AsyncDatabase[Document],
) -> None:
    clock = Clock()
    await scheduled(Timers(db, clock), "step", "escalation", START, {})
    await db["timer_claims"].insert_one({"_id": "step#1", "at": START})  # then SIGKILL, before the lease was set
    survivor = Timers(db, clock)
    assert await claim_all(survivor) == []  # the claim may still be on its way to its lease

    clock.now = START + LEASE + FULL_CHECK
    again = await claim_all(survivor)
    await survivor.done(again[0])

    assert [(t.id, t.claim) for t in again] == [("step", 2)]
    clock.now += FULL_CHECK
    assert await claim_all(Timers(db, clock)) == []
    assert await db["timer_claims"].count_documents({}) == 0


async def test_a_timer_still_firing_keeps_its_lease_and_no_other_instance_fires_it(
    db: AsyncDatabase[Document],
) -> None:
    clock = Clock()
    timers, other = Timers(db, clock), Timers(db, clock)
    await scheduled(timers, "slow", "escalation", START, {})
    firing, release = asyncio.Event(), asyncio.Event()

    async def slow_handler(timer: Timer, unit: WriteBatch) -> list[Outgoing]:  # an outage waited out, say
        firing.set()
        await release.wait()
        return []

    class NoOutputs:
        async def publish(self, outputs: list[Outgoing]) -> None:
            assert outputs == []

    loop = TimerLoop(
        timers,
        {"escalation": slow_handler},
        cast(EventPublisher, NoOutputs()),
        DependencyStatus("alerts", CollectorRegistry()),
    )
    fired = asyncio.create_task(loop.fire_due())
    await firing.wait()
    clock.now = START + LEASE - timedelta(seconds=1)
    await asyncio.sleep(RENEW_EVERY.total_seconds() + 0.5)  # one renewal, from now
    clock.now = START + LEASE + timedelta(seconds=1)  # past the lease first taken

    assert await claim_all(other) == []
    release.set()
    assert await fired == 1
    clock.now += LEASE + FULL_CHECK
    assert await claim_all(other) == []  # fired once, and done


async def test_a_timer_scheduled_while_the_store_is_read_fires_on_time(db: AsyncDatabase[Document]) -> None:
    clock = Clock()
    timers = Timers(db, clock)
    async with write_batch() as unit:  # a handler's batch: its inserts are written when it ends
        await timers.bound(unit).schedule("soon", "deadline", START + timedelta(seconds=5), {})
        assert await timers.claim_due() is None  # the timer loop reads the store meanwhile

    clock.now = START + timedelta(seconds=6)  # before the next read of the store

    assert [t.id for t in await fire_all(timers)] == ["soon"]


async def test_a_timer_due_beyond_the_horizon_fires_when_due(db: AsyncDatabase[Document]) -> None:
    clock = Clock()
    timers = Timers(db, clock)
    assert await timers.claim_due() is None
    await scheduled(timers, "next week", "deadline", START + timedelta(days=7), {})
    await scheduled(timers, "later today", "deadline", START + HORIZON + timedelta(hours=1), {})

    fired = {}
    for due in (START + HORIZON + timedelta(hours=1), START + timedelta(days=7)):
        clock.now = due - timedelta(minutes=1)
        assert await fire_all(timers) == []
        clock.now = due + timedelta(seconds=1)
        fired.update({t.id: t.due_at for t in await fire_all(timers)})

    assert fired == {"later today": START + HORIZON + timedelta(hours=1), "next week": START + timedelta(days=7)}


async def slot_collections(db: AsyncDatabase[Document]) -> list[str]:
    return sorted(n for n in await db.list_collection_names() if n.startswith(SLOT_PREFIX))


async def test_a_timer_stored_without_its_pointer_is_filed_and_fires(db: AsyncDatabase[Document]) -> None:
    """A store written before slots existed, or a crash between a timer's two writes."""
    clock = Clock()
    due = START + timedelta(days=2)
    await db["timers"].insert_one({"_id": "old", "kind": "deadline", "due_at": due, "data": {}, "leased_until": None})

    timers = Timers(db, clock)
    assert await timers.claim_due() is None
    clock.now = due + timedelta(seconds=1)

    assert [t.id for t in await fire_all(timers)] == ["old"]
    assert await slot_collections(db) == [slot_of(due)]  # dropped once ended and empty, not before


async def test_a_timer_stored_before_slots_existed_can_be_cancelled_before_it_is_filed(
    db: AsyncDatabase[Document],
) -> None:
    clock = Clock()
    await db["timers"].insert_one({"_id": "old", "kind": "deadline", "due_at": START, "data": {}, "leased_until": None})

    timers = Timers(db, clock)
    await cancelled(timers, "old")  # a handler's cancel can come before the timer loop's first read

    assert await fire_all(timers) == []
    assert await db["timers"].count_documents({}) == 0


async def test_fired_and_cancelled_timers_leave_no_slot_behind(db: AsyncDatabase[Document]) -> None:
    clock = Clock()
    timers = Timers(db, clock)
    await scheduled(timers, "fires", "deadline", START + timedelta(minutes=1), {})
    await scheduled(timers, "cancelled", "deadline", START + timedelta(days=3), {})
    await scheduled(timers, "overdue already", "deadline", START - timedelta(days=1), {})
    await cancelled(timers, "cancelled")
    assert await db[slot_of(START + timedelta(days=3))].count_documents({}) == 0

    clock.now = START + timedelta(minutes=2)
    assert {t.id for t in await fire_all(timers)} == {"fires", "overdue already"}
    clock.now = START + timedelta(days=3) + SLOT + DROP_AFTER
    assert await fire_all(timers) == []

    assert await slot_collections(db) == []
    assert await db["timers"].count_documents({}) == 0


async def test_a_pointer_left_by_a_crash_after_its_timer_was_deleted_goes_with_its_slot(
    db: AsyncDatabase[Document],
) -> None:
    clock = Clock()
    timers = Timers(db, clock)
    await scheduled(timers, "step", "escalation", START, {})
    await db["timers"].delete_one({"_id": "step"})  # done, then the process died before the pointer went

    clock.now = START + timedelta(minutes=1)
    assert await claim_all(timers) == []
    assert await slot_collections(db) == [slot_of(START)]  # it may still be a timer not yet written
    clock.now = START + SLOT + DROP_AFTER

    assert await claim_all(Timers(db, clock)) == []
    assert await slot_collections(db) == []


async def test_a_process_that_stalled_past_the_horizon_still_fires_what_another_scheduled_meanwhile(
    db: AsyncDatabase[Document],
) -> None:
    clock = Clock()
    stalled = Timers(db, clock)
    assert await stalled.claim_due() is None  # its first read: no slot exists yet
    await scheduled(Timers(db, clock), "meanwhile", "deadline", START + HORIZON * 2.5, {})

    clock.now = START + HORIZON * 4  # its next read comes long after: slots in between are read too

    assert [t.id for t in await claim_all(stalled)] == ["meanwhile"]
