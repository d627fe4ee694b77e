"""Handlers get their ports bound to the unit of work of their poll batch or timer firing, explicitly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from pydantic import BaseModel
from pymongo.asynchronous.collection import AsyncCollection

from andina.shared.gate import Inbound
from andina.shared.handlers import bound_routes, bound_timers, in_unit_of_work
from andina.shared.publishing import Outgoing
from andina.shared.timers import Timer
from andina.shared.unit_of_work import Document, InUnitOfWork, UnboundRepositoryError, WriteBatch

TYPE = "bench.noted.v1"


class Collection:
    """Enough of a collection for a write batch to insert into it."""

    full_name = "andina_test.notes"

    def __init__(self) -> None:
        self.inserted: list[Document] = []

    async def insert_many(self, documents: list[Document], ordered: bool) -> None:
        self.inserted.extend(documents)


class Notes(InUnitOfWork):
    def __init__(self, collection: Collection) -> None:
        self._collection = cast(AsyncCollection[Document], collection)

    async def note(self, text: str) -> None:
        await self.unit.insert(self._collection, {"_id": text})


@dataclass(frozen=True)
class Ports:
    notes: Notes
    reference: dict[str, str]  # not store-backed: handed as it is


seen: list[tuple[Ports, WriteBatch]] = []


async def noting(inbound: Inbound[Any], ports: Ports) -> list[Outgoing]:
    await ports.notes.note(str(inbound))
    seen.append((ports, ports.notes.unit))
    return []


async def firing(timer: Timer, ports: Ports) -> list[Outgoing]:
    await ports.notes.note(timer.id)
    seen.append((ports, ports.notes.unit))
    return []


@pytest.fixture(autouse=True)
def forget() -> None:
    seen.clear()


def ports() -> Ports:
    return Ports(Notes(Collection()), {"BO": "Bolivia"})


async def test_the_events_of_one_batch_share_ports_bound_to_its_unit_and_the_next_batch_gets_its_own() -> None:
    wired = ports()
    route = bound_routes({TYPE: BaseModel}, {TYPE: noting}, {}, wired)[TYPE]
    first, second = WriteBatch(), WriteBatch()

    for unit in (first, first, second):
        await route.handler(cast(Inbound[Any], object()), unit)

    (one, unit_one), (again, unit_again), (other, unit_other) = seen
    assert unit_one is unit_again is first
    assert one is again  # bound once per batch
    assert unit_other is second
    assert other.reference is wired.reference  # what is not store-backed is not copied
    assert bool(first)
    assert bool(second)


async def test_a_timer_handler_writes_through_its_firing_s_unit() -> None:
    fire = bound_timers({"deadline": firing}, ports())["deadline"]
    unit = WriteBatch()

    await fire(Timer("t-1", "deadline", datetime.now(UTC), {}, "slot"), unit)

    assert seen[0][1] is unit
    assert bool(unit)


async def test_a_repository_used_outside_a_unit_of_work_says_so_instead_of_writing_alone() -> None:
    with pytest.raises(UnboundRepositoryError, match="Notes used outside a unit of work"):
        await Notes(Collection()).note("lost")


async def test_a_start_up_step_s_writes_are_sent_when_it_ends() -> None:
    collection = Collection()

    async def seed(ports: Ports) -> None:
        await ports.notes.note("seeded")
        assert collection.inserted == []  # held until the step ends

    await in_unit_of_work(seed, Ports(Notes(collection), {}))()

    assert collection.inserted == [{"_id": "seeded"}]
