"""Every hot path finds, updates, claims and deletes documents by ``_id`` (often with a guard such
as ``status``): the store must answer those from the ``_id`` index, not by scanning the collection.
Stock FerretDB v1.24 scanned (deploy/ferretdb/patches/sqlite-id-index.patch explains why)."""

from __future__ import annotations

import uuid

import pytest

from andina.shared.store import mongo_client

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    "guard", [{}, {"status": "open"}, {"due_at": {"$lte": 10}}], ids=["_id", "_id+status", "_id+range"]
)
async def test_a_lookup_by_id_uses_the_id_index(mongo_url: str, guard: dict[str, object]) -> None:
    client = mongo_client(mongo_url)
    db = client[f"t{uuid.uuid4().hex[:10]}_lookups"]
    try:
        await db["timers"].insert_many([{"_id": f"timer-{n}", "status": "open", "due_at": n} for n in range(50)])

        explained = await db.command("explain", {"find": "timers", "filter": {"_id": "timer-7", **guard}})
        found = await db["timers"].find_one({"_id": "timer-7", **guard})
    finally:
        await client.drop_database(db.name)
        await client.close()

    plan = str(explained["queryPlanner"])
    # FerretDB reports SQLite's plan; MongoDB its winning plan (an _id lookup or an index scan).
    assert "USING INDEX" in plan or "IXSCAN" in plan or "IDHACK" in plan or "EXPRESS" in plan, plan
    assert found is not None
    assert found["_id"] == "timer-7"
