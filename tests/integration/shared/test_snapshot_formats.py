"""Snapshots in the real store: a service whose table gained kinds of entries does not start from an older one."""

from __future__ import annotations

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from andina.shared.snapshots import Snapshot, SnapshotStore, pack
from andina.shared.store import Document

pytestmark = pytest.mark.integration

TOPIC = "andina.finance-trace.changelog.v1"
ENTRIES = [("transfer/T1", b'{"usd": 1}'), ("transfer/T2", b'{"usd": 2}')]


async def test_a_snapshot_is_read_back_by_its_own_format_only(db: AsyncDatabase[Document]) -> None:
    await SnapshotStore(db, TOPIC).save({0: 7, 1: 3}, pack(ENTRIES))

    assert await SnapshotStore(db, TOPIC).latest() == Snapshot({0: 7, 1: 3}, ENTRIES)
    assert await SnapshotStore(db, TOPIC, snapshot_format=2).latest() is None  # it lacks the new kinds


async def test_a_head_written_before_formats_is_format_one(db: AsyncDatabase[Document]) -> None:
    await SnapshotStore(db, TOPIC).save({0: 1}, pack(ENTRIES))
    await db["changelog_heads"].update_one({"_id": TOPIC}, {"$unset": {"format": ""}})

    assert await SnapshotStore(db, TOPIC).latest() == Snapshot({0: 1}, ENTRIES)
    assert await SnapshotStore(db, TOPIC, snapshot_format=2).latest() is None
