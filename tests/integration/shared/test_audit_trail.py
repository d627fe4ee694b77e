"""The audit trail on the real Mongo-protocol store: sealed into a hash chain, tampering found.

What an auditor relies on: every entry is sealed exactly once, even with two instances of a
service sealing at once or an event handled again after a crash; changing, deleting or
slipping in an entry, or rewriting a link, is reported with the entry or link concerned.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from pymongo.asynchronous.database import AsyncDatabase
from typer.testing import CliRunner, Result

from andina.deploy.cli import app
from andina.shared.audit import AuditTrail
from andina.shared.store import Document, database_name, mongo_client, write_batch

pytestmark = pytest.mark.integration


def entries(first: int, count: int) -> list[Document]:
    at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    return [
        {"_id": f"event-{n}/screening", "at": at, "who": "CO", "what": f"record/{n}", "why": "Fiscalía 12"}
        for n in range(first, first + count)
    ]


async def sealed_trail(db: AsyncDatabase[Document], count: int) -> AuditTrail:
    trail = AuditTrail(db)
    await trail.ensure_indexes()
    async with write_batch() as unit:  # as in a service: with the handlers' other writes
        await trail.append(entries(0, count), unit)
    await trail.seal()
    return trail


async def test_sealed_entries_verify_and_a_modified_entry_is_named(db: AsyncDatabase[Document]) -> None:
    trail = await sealed_trail(db, 5)
    assert (await trail.verify()).intact
    assert (await trail.verify()).length == 5

    await trail.entries.update_one({"_id": "event-2/screening"}, {"$set": {"who": "PE"}})

    verdict = await trail.verify()
    assert verdict.problems == ["entry event-2/screening (link 3) was modified"]


async def test_a_deleted_entry_a_slipped_in_entry_and_a_rewritten_link_are_each_named(
    db: AsyncDatabase[Document],
) -> None:
    trail = await sealed_trail(db, 4)

    await trail.entries.delete_one({"_id": "event-1/screening"})
    await trail.entries.insert_one(entries(9, 1)[0])
    await db["audit_chain"].update_one({"_id": 4}, {"$set": {"digest": "0" * 64}})

    problems = (await trail.verify()).problems
    assert "entry event-1/screening (link 2) was deleted" in problems
    assert "entry event-9/screening is in no link (added outside the trail?)" in problems
    assert "link 4 was altered: the chain breaks there" in problems


async def test_two_instances_sealing_at_once_link_every_entry_exactly_once(db: AsyncDatabase[Document]) -> None:
    one, other = AuditTrail(db), AuditTrail(db)
    await one.ensure_indexes()
    for batch in range(5):
        async with write_batch() as unit:
            await one.append(entries(batch * 20, 20), unit)
        await asyncio.gather(one.seal(), other.seal())
    while await one.seal() or await other.seal():
        pass

    verdict = await one.verify()
    assert verdict.intact, verdict.problems
    assert verdict.length == 100
    assert await db["audit_chain"].count_documents({}) == 100


async def test_an_entry_appended_again_after_sealing_is_not_linked_twice(db: AsyncDatabase[Document]) -> None:
    trail = await sealed_trail(db, 3)

    async with write_batch() as unit:  # an event handled again after a crash, and one new entry
        await trail.append(entries(1, 3), unit)
    while await trail.seal():
        pass

    verdict = await trail.verify()
    assert verdict.intact, verdict.problems
    assert verdict.length == 4


async def test_the_operators_command_says_intact_or_names_the_tampered_entry(
    mongo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefix = f"t{uuid.uuid4().hex[:10]}_"
    client = mongo_client(mongo_url)
    db = client[database_name(prefix, "customs")]
    trail = await sealed_trail(db, 3)
    monkeypatch.setenv("ANDINA_MONGO_URL", mongo_url)
    monkeypatch.setenv("ANDINA_DATABASE_PREFIX", prefix)

    def verify() -> Result:
        return CliRunner().invoke(app, ["audit", "verify", "customs"])

    try:
        intact = await asyncio.to_thread(verify)
        await trail.entries.update_one({"_id": "event-0/screening"}, {"$set": {"why": "curiosity"}})
        tampered = await asyncio.to_thread(verify)
    finally:
        await client.drop_database(db.name)
        await client.close()

    assert intact.exit_code == 0, intact.output
    assert "3 entries sealed" in intact.output
    assert tampered.exit_code == 1
    assert "entry event-0/screening (link 1) was modified" in tampered.output


async def test_entries_pending_in_a_store_written_before_pages_are_sealed_too(db: AsyncDatabase[Document]) -> None:
    # Before pages, the pending queue held a copy of each entry in a document of its own.
    trail = AuditTrail(db)
    await trail.ensure_indexes()
    old = entries(0, 2)
    await trail.entries.insert_many(old)
    await db["audit_pending"].insert_many([{"_id": e["_id"], "entry": e} for e in old])
    async with write_batch() as unit:
        await trail.append(entries(2, 1), unit)

    while await trail.seal():
        pass

    verdict = await trail.verify()
    assert (verdict.length, verdict.problems) == (3, [])
    assert await db["audit_pending"].count_documents({}) == 0
