"""The directory's history in the real store: the version each update made is found by the update's id."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from andina.alerts.adapters.repositories import DirectoryRepository
from andina.alerts.domain.directory import VersionedEntry
from andina.shared.store import Document
from tests.store_units import unit_of
from tests.unit.alerts.test_directory_handlers import updated_entry

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


async def test_the_version_an_update_made_is_found_by_its_id_in_the_store_and_in_the_batch_under_way(
    db: AsyncDatabase[Document],
) -> None:
    directory = DirectoryRepository(db)
    await directory.ensure_indexes()
    stored, pending, unknown = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    first = VersionedEntry("EC", 2, updated_entry("EC", "Guardia nocturna").entry)
    async with unit_of(directory) as earlier:
        await earlier.put(first, changed_by="EC", event_id=stored, at=NOW)
    async with unit_of(directory) as batch:
        second = VersionedEntry("EC", 3, updated_entry("EC", "Guardia diurna").entry)
        await batch.put(second, changed_by="EC", event_id=pending, at=NOW)
        found = [await batch.made_by(i) for i in (stored, pending, unknown)]

    assert found == [first, second, None]


async def test_a_contact_point_changed_through_one_instance_is_named_by_the_other_a_second_later(
    db: AsyncDatabase[Document],
) -> None:
    changing, naming = DirectoryRepository(db), DirectoryRepository(db)
    first = VersionedEntry("EC", 1, updated_entry("EC", "Guardia nocturna").entry)
    async with unit_of(changing) as batch:
        await batch.put(first, changed_by="directory file", event_id=None, at=NOW)
    assert await naming.get("EC") == first  # its copy, taken now

    second = VersionedEntry("EC", 2, updated_entry("EC", "Guardia diurna").entry)
    async with unit_of(changing) as batch:
        await batch.put(second, changed_by="EC", event_id=uuid.uuid4(), at=NOW)
    await asyncio.sleep(1.1)  # what every instance answers from is the same on all within a second

    assert await naming.get("EC") == second
