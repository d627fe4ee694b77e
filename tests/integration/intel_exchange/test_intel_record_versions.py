"""A start from the store's scan finds each record's first filing date, in versions stored before listings held it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from andina.intel_exchange.adapters.record_table import RecordTable, listing_document
from andina.intel_exchange.adapters.records import STORED, WITHDRAWN, RecordStore
from andina.intel_exchange.domain.screening import ScreeningIndex
from andina.shared.store import Document
from tests.unit.intel_exchange.test_intel_screening_index import WANTED, listing

pytestmark = pytest.mark.integration


def version(record_id: str, number: int, at: datetime, status: str = STORED) -> dict[str, Any]:
    """A version as stored before listings held their first filing date."""
    undated = {k: v for k, v in listing_document(listing(record_id, WANTED)).items() if k != "filed_on"}
    doc = {"_id": f"{record_id}/{number}", "record_id": record_id, "owner": record_id[:2], "status": status}
    return doc | {"version": number, "at": at, "handling": "H1", "listing": undated if status == STORED else None}


async def test_a_record_is_dated_by_its_first_version_since_its_last_withdrawal(db: AsyncDatabase[Document]) -> None:
    await db["record_versions"].insert_many(
        [
            version("EC-1", 1, datetime(2020, 1, 6, 15, tzinfo=UTC)),
            version("EC-1", 2, datetime(2024, 5, 5, tzinfo=UTC)),  # an update: the first filing stays
            version("PE-1", 1, datetime(2019, 3, 1, tzinfo=UTC)),
            version("PE-1", 2, datetime(2021, 3, 1, tzinfo=UTC), WITHDRAWN),
            version("PE-1", 3, datetime(2023, 7, 9, tzinfo=UTC)),  # filed again: a new first filing
        ]
    )
    table = RecordTable(ScreeningIndex(), lambda owner, key, value: None)

    table.load(await RecordStore(db, table).latest_entries())

    assert (table.filed_on("EC-1"), table.filed_on("PE-1")) == (date(2020, 1, 6), date(2023, 7, 9))
    assert (table.version("EC-1"), table.version("PE-1"), table.undated) == (2, 3, 0)
