"""The directory's history in the real store: the version each update made is found by the update's id."""

from __future__ import annotations

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
