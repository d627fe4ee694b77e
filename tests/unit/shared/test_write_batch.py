"""A poll batch's writes: held back, seen by the batch's own reads, sent together at its end."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pymongo import DeleteOne
from pymongo.errors import BulkWriteError

from andina.shared.unit_of_work import DUPLICATE_KEY, UnsupportedUpdateError, WriteBatch, apply_update, write_batch

Document = dict[str, Any]


class FakeCollection:
    """A collection in memory that notes each command it is sent (the ones a write batch uses)."""

    def __init__(self, name: str, *stored: Document) -> None:
        self.full_name = f"andina_alerts.{name}"
        self.documents = {d["_id"]: copy.deepcopy(d) for d in stored}
        self.commands: list[tuple[str, int]] = []  # (command, writes in it)

    async def find_one(self, query: Document, projection: Any = None) -> Document | None:
        self.commands.append(("find", 0))
        found = self.documents.get(query["_id"])
        return copy.deepcopy(found) if found is not None and all(found.get(k) == v for k, v in query.items()) else None

    async def insert_many(self, documents: list[Document], ordered: bool) -> None:
        self.commands.append(("insert", len(documents)))
        errors = []
        for index, document in enumerate(documents):
            if document["_id"] in self.documents:
                errors.append({"index": index, "code": DUPLICATE_KEY})
            else:
                self.documents[document["_id"]] = copy.deepcopy(document)
        if errors:
            raise BulkWriteError({"writeErrors": errors})

    async def update_one(self, query: Document, update: Document) -> None:
        self.commands.append(("update", 1))
        if query["_id"] in self.documents:
            apply_update(self.documents[query["_id"]], update)

    async def replace_one(self, query: Document, document: Document, upsert: bool) -> None:
        self.commands.append(("replace", 1))
        self.documents[query["_id"]] = copy.deepcopy(document)

    async def bulk_write(self, requests: list[DeleteOne], ordered: bool) -> None:
        self.commands.append(("delete", len(requests)))
        for request in requests:
            self.documents.pop(request._filter["_id"], None)

    def sent(self) -> list[tuple[str, int]]:
        """The commands sent, then forgotten."""
        sent, self.commands = self.commands, []
        return sent


def fake(name: str, *stored: Document) -> Any:
    """A fake collection, typed as the real one it stands for."""
    return FakeCollection(name, *stored)


def alert(**fields: Any) -> Document:
    return {"_id": "alert-1", "revision": 1, "acks": {}, **fields}


async def test_an_update_in_the_batch_changes_the_alert_the_batch_inserted_and_one_insert_carries_both() -> None:
    alerts = fake("alerts")
    async with write_batch() as unit:
        await unit.insert(alerts, alert())
        unit.set_fields(alerts, "alert-1", {"acks.BO": {"by": "bo-24-7"}, "revision": 2})
        assert await unit.find(alerts, {"_id": "alert-1"}) == alert(revision=2, acks={"BO": {"by": "bo-24-7"}})
        assert alerts.sent() == []  # nothing was written, nor read, meanwhile

    assert alerts.sent() == [("insert", 1)]
    assert alerts.documents["alert-1"] == alert(revision=2, acks={"BO": {"by": "bo-24-7"}})


async def test_two_changes_to_a_stored_alert_are_read_in_order_and_sent_in_one_command() -> None:
    alerts = fake("alerts", alert())
    batch = WriteBatch()
    batch.update(alerts, "alert-1", {"$set": {"acks.BO": {"by": "bo"}}})
    batch.update(alerts, "alert-1", {"$set": {"acks.CO": {"by": "co"}, "revision": 2}})

    seen = await batch.find(alerts, {"_id": "alert-1"})
    await batch.flush()

    assert seen == alert(revision=2, acks={"BO": {"by": "bo"}, "CO": {"by": "co"}})
    assert alerts.sent() == [("find", 0), ("update", 1), ("update", 1)]  # in order, one after the other
    assert alerts.documents["alert-1"] == seen


async def test_a_flush_sends_one_insert_and_one_delete_per_collection_and_an_update_per_document() -> None:
    alerts = fake("alerts", alert(_id="stored-1"), alert(_id="stored-2"))
    timers = fake("timers", {"_id": "alert/stored-1/0/0"})
    batch = WriteBatch()
    for n in range(3):
        await batch.insert(alerts, alert(_id=f"new-{n}"))
        await batch.insert(timers, {"_id": f"alert/new-{n}/0/0"})
    batch.update(alerts, "stored-1", {"$set": {"closed": True}})
    batch.update(alerts, "stored-2", {"$set": {"closed": True}})
    batch.delete(timers, "alert/stored-1/0/0")

    await batch.flush()

    assert sorted(alerts.sent()) == [("insert", 3), ("update", 1), ("update", 1)]
    assert sorted(timers.sent()) == [("delete", 1), ("insert", 3)]
    assert not batch


async def test_items_appended_by_each_handler_of_a_batch_are_inserted_as_one_page_in_order() -> None:
    pending = fake("audit_pending")
    async with write_batch() as unit:
        for n in range(3):
            unit.append(pending, [{"_id": f"event-{n}/a"}, {"_id": f"event-{n}/b"}])

    assert pending.sent() == [("insert", 1)]
    [page] = pending.documents.values()
    assert [item["_id"] for item in page["items"]] == [f"event-{n}/{x}" for n in range(3) for x in "ab"]

    async with write_batch() as unit:
        unit.append(pending, [{"_id": "event-3/a"}])
    assert len(pending.documents) == 2  # the next batch has its own page, never rewriting the first


async def test_a_timer_deleted_after_its_insert_in_the_batch_is_gone_for_the_batch_and_the_store() -> None:
    timers = fake("timers")
    batch = WriteBatch()
    await batch.insert(timers, {"_id": "t"})
    batch.update(timers, "t", {"$set": {"leased_until": None}})
    batch.delete(timers, "t")

    assert await batch.find(timers, {"_id": "t"}) is None
    await batch.flush()
    assert timers.sent() == [("delete", 1)]
    assert timers.documents == {}


async def test_an_insert_after_a_delete_in_the_batch_replaces_the_stored_document() -> None:
    timers = fake("timers", {"_id": "t", "due_at": 1})
    batch = WriteBatch()
    batch.delete(timers, "t")
    await batch.insert(timers, {"_id": "t", "due_at": 2})
    await batch.insert(timers, {"_id": "t", "due_at": 3})  # there now: kept as it is

    await batch.flush()
    assert timers.documents == {"t": {"_id": "t", "due_at": 2}}


async def test_an_event_handled_again_after_a_crash_changes_the_alert_stored_the_first_time() -> None:
    alerts = fake("alerts", alert(title="as first stored"))
    batch = WriteBatch()
    await batch.insert(alerts, alert(title="as handled again"))  # the same raise, redelivered
    batch.update(alerts, "alert-1", {"$set": {"acks.PE": {"by": "pe"}}})

    await batch.flush()
    assert alerts.documents["alert-1"] == alert(title="as first stored", acks={"PE": {"by": "pe"}})


async def test_an_insert_after_changes_to_a_document_not_stored_inserts_it_as_given() -> None:
    hits = fake("hits")
    batch = WriteBatch()
    batch.update(hits, "h", {"$set": {"seen": True}})  # matches nothing
    await batch.insert(hits, {"_id": "h", "seen": False})

    assert await batch.find(hits, {"_id": "h"}) == {"_id": "h", "seen": False}
    await batch.flush()
    assert hits.documents == {"h": {"_id": "h", "seen": False}}


async def test_a_query_on_other_fields_than_the_id_sees_the_batch_s_changes() -> None:
    hits = fake("hits", {"_id": "h", "asker": "BO"})
    async with write_batch() as unit:
        unit.update(hits, "h", {"$set": {"asker": "CO"}})
        assert await unit.find(hits, {"_id": "h", "asker": "BO"}) is None
        assert await unit.find(hits, {"_id": "h", "asker": "CO"}) == {"_id": "h", "asker": "CO"}


def test_an_update_whose_repeat_would_change_more_is_refused() -> None:
    with pytest.raises(UnsupportedUpdateError, match=r"\$inc"):
        WriteBatch().update(fake("alerts"), "alert-1", {"$inc": {"revision": 1}})


def test_updates_are_applied_as_the_store_applies_them() -> None:
    document: Document = {"_id": "x", "named_at": 5.0, "reporters": ["BO"], "old": 1}

    apply_update(document, {"$max": {"named_at": 3.0, "first_at": 1.0}, "$unset": {"old": ""}})
    apply_update(document, {"$addToSet": {"reporters": {"$each": ["BO", "PE"]}}, "$set": {"a.b.c": 1}})
    apply_update(document, {"$min": {"named_at": 4.0}, "$addToSet": {"reporters": "CO"}})

    assert document == {
        "_id": "x",
        "named_at": 4.0,
        "first_at": 1.0,
        "reporters": ["BO", "PE", "CO"],
        "a": {"b": {"c": 1}},
    }


async def test_two_acknowledgements_of_a_stored_alert_in_one_batch_read_it_once_and_each_sees_the_other() -> None:
    alerts = fake("alerts", alert())
    async with write_batch() as unit:
        first = await unit.find(alerts, {"_id": "alert-1"})
        unit.set_fields(alerts, "alert-1", {"acks.BO": {"by": "bo"}})
        second = await unit.find(alerts, {"_id": "alert-1"})
        unit.set_fields(alerts, "alert-1", {"acks.CO": {"by": "co"}})

    assert first == alert()
    assert second == alert(acks={"BO": {"by": "bo"}})
    assert alerts.sent() == [("find", 0), ("update", 1), ("update", 1)]
    assert alerts.documents["alert-1"] == alert(acks={"BO": {"by": "bo"}, "CO": {"by": "co"}})


async def test_a_document_only_read_in_the_batch_is_not_written() -> None:
    alerts = fake("alerts", alert())
    async with write_batch() as unit:
        await unit.find(alerts, {"_id": "alert-1"})
        assert await unit.find(alerts, {"_id": "missing"}) is None

    assert alerts.sent() == [("find", 0), ("find", 0)]
