"""``python -m bench timers [--quick]``: how long a read of the due timers takes with many pending.

A service's timer store holds a week of deadlines (request deadlines and reminders, days
ahead) and the few due within the next minutes. Measured on the local store: a read of
the timers due within the horizon (``Timers``: the slot collections that start within it),
beside the query it replaced, measured in the same run on the same timers: every pending
timer due within the horizon, which FerretDB answers by scanning the whole collection.
"""

from __future__ import annotations

import os
import secrets
import statistics
import time
from datetime import UTC, datetime, timedelta

from pymongo.asynchronous.database import AsyncDatabase

from andina.shared.logs import configure_logging
from andina.shared.store import Document, mongo_client, write_batch
from andina.shared.timers import HORIZON, Timers
from bench.report import Result, ratio, table

QUICK_PENDING, FULL_PENDING = 5_000, 20_000
DUE_SOON = 200
SOON = timedelta(minutes=5)
READS = 5
DATA = {"request": "3f1c7a52-7d0e-4a8e-9a51-9c2f3f0e6b11", "country": "CO", "urgency": "normal"}


async def _fill(db: AsyncDatabase[Document], pending: int, now: datetime) -> None:
    timers = Timers(db)
    async with write_batch() as unit:
        scheduling = timers.bound(unit)
        for i in range(pending):  # one every 30 s from an hour on: 20,000 take a week
            await scheduling.schedule(f"later/{i}", "deadline", now + timedelta(hours=1, seconds=i * 30), DATA)
        for i in range(DUE_SOON):
            await scheduling.schedule(f"soon/{i}", "deadline", now + SOON - timedelta(seconds=i), DATA)


async def _slot_reads(db: AsyncDatabase[Document]) -> tuple[float, float, int]:
    """A process's first read (it also files timers without a pointer), the median of the later
    reads, and how many timers due within the horizon they find."""
    timers = Timers(db)
    started = time.perf_counter()
    await timers.read_store()
    first_ms = (time.perf_counter() - started) * 1000
    times, found = [], 0
    for _ in range(READS):
        started = time.perf_counter()
        found = await timers.read_store()
        times.append((time.perf_counter() - started) * 1000)
    return first_ms, statistics.median(times), found


async def _scan_read_ms(db: AsyncDatabase[Document], now: datetime) -> tuple[float, int]:
    """The read of before: every pending timer due within the horizon, found by scanning them all."""
    times, found = [], 0
    for _ in range(READS):
        started = time.perf_counter()
        query = {"due_at": {"$lte": now + HORIZON}}
        found = len([d async for d in db["timers"].find(query, {"due_at": 1, "leased_until": 1})])
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), found


async def run(quick: bool) -> tuple[str, Result]:
    configure_logging("WARNING", json_lines=False)  # each read logs a line at INFO
    pending = QUICK_PENDING if quick else FULL_PENDING
    client = mongo_client(os.environ.get("MONGO_URL", "mongodb://127.0.0.1:27017/"))
    db = client[f"bench_{secrets.token_hex(4)}_timers"]
    try:
        now = datetime.now(UTC)
        await _fill(db, pending, now)
        scan_ms, scan_due = await _scan_read_ms(db, now)
        first_ms, slot_ms, found = await _slot_reads(db)
    finally:
        await client.drop_database(db.name)
        await client.close()
    result = Result(
        "timers",
        "quick" if quick else "full",
        params={"pending_later": pending, "due_within_horizon": DUE_SOON, "reads": READS},
        figures={"read_ms": slot_ms, "first_read_ms": first_ms},
        baseline={"scan_read_ms": scan_ms},
        ratio={"scan_vs_read": ratio(scan_ms, slot_ms)},
        checks={"found_by_read": found, "found_by_scan": scan_due, "due_soon": DUE_SOON},
    )
    text = table(
        ["read of the store", "timers pending", "median ms"],
        [
            ["slots that start within 10 minutes", pending + DUE_SOON, round(slot_ms, 1)],
            ["a process's first read (files timers without a pointer)", pending + DUE_SOON, round(first_ms, 1)],
            ["scan of every pending timer (baseline)", pending + DUE_SOON, round(scan_ms, 1)],
        ],
    )
    text += f"\n\ndue within 10 minutes: {DUE_SOON}; found by the scan {scan_due}, by the read {found}"
    return text, result
