"""Inserts gathered per batch: reads and deletes in the same batch see them."""

from types import SimpleNamespace
from typing import Any

from andina.shared.store import WriteBatch

TIMERS: Any = SimpleNamespace(full_name="andina_alerts.timers")


def test_a_delete_in_the_same_batch_drops_the_pending_insert_it_matches() -> None:
    batch = WriteBatch()
    batch.insert(TIMERS, {"_id": "request/1/reminder"})
    batch.insert(TIMERS, {"_id": "request/1/overdue"})
    batch.insert(TIMERS, {"_id": "request/2/overdue"})

    batch.discard(TIMERS, lambda d: str(d["_id"]).startswith("request/1/"))

    assert [d["_id"] for d in batch.pending_in(TIMERS)] == ["request/2/overdue"]
    assert batch.pending(TIMERS, "request/1/overdue") is None


def test_the_first_insert_of_an_id_in_a_batch_is_kept() -> None:
    batch = WriteBatch()
    batch.insert(TIMERS, {"_id": "t", "n": 1})
    batch.insert(TIMERS, {"_id": "t", "n": 2})

    assert batch.pending(TIMERS, "t") == {"_id": "t", "n": 1}
