"""The record table: what one instance files is screenable on another once its entries are applied."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime

import orjson

from andina.intel_exchange.adapters.record_table import RecordTable
from andina.intel_exchange.domain.screening import ScreeningIndex
from andina.shared.snapshots import Entry
from tests.unit.intel_exchange.test_intel_screening_index import QUERY, TODAY, WANTED, listing

LISTING = listing("EC-1", WANTED, immediate_alert=True)


class Instance:
    """One instance's table, and the entries it noted for the changelog."""

    def __init__(self) -> None:
        self.noted: list[tuple[str, Entry]] = []
        self.table = RecordTable(ScreeningIndex(), lambda owner, key, value: self.noted.append((owner, (key, value))))

    def entries(self) -> list[Entry]:
        return [entry for _, entry in self.noted]

    def hits(self) -> list[str]:
        return [h.listing.record_id for h in self.table.index.screen(QUERY, "CO", TODAY)]


def without_filing_date(entry: Entry) -> Entry:
    """The entry as written before listings held their first filing date."""
    key, value = entry
    undated = orjson.loads(value)
    del undated["listing"]["filed_on"]
    return key, orjson.dumps(undated)


def test_a_record_filed_on_one_instance_hits_on_another_once_its_entry_is_applied() -> None:
    a, b = Instance(), Instance()
    a.table.change("EC", "EC-1", 1, LISTING)

    asyncio.run(b.table.apply(a.entries()))

    assert a.hits() == b.hits() == ["EC-1"]
    assert b.table.index.listing("EC-1") == LISTING
    assert b.table.version("EC-1") == 1
    assert [owner for owner, _ in a.noted] == ["EC"]  # on the owner's partition


def test_a_withdrawal_applied_elsewhere_stops_the_hits_there() -> None:
    a, b = Instance(), Instance()
    a.table.change("EC", "EC-1", 1, LISTING)
    a.table.change("EC", "EC-1", 2, None)

    asyncio.run(b.table.apply(a.entries()))

    assert b.hits() == []
    assert b.table.version("EC-1") == 2


def test_an_entry_older_than_the_version_held_changes_nothing() -> None:
    a, b = Instance(), Instance()
    a.table.change("EC", "EC-1", 1, LISTING)
    a.table.change("EC", "EC-1", 2, None)
    first, withdrawal = a.entries()

    asyncio.run(b.table.apply([withdrawal]))
    asyncio.run(b.table.apply([first]))  # a redelivered batch wrote it again, later

    assert b.hits() == []
    assert b.table.version("EC-1") == 2


def test_a_snapshot_of_the_table_restores_the_same_records_and_versions() -> None:
    a, restored = Instance(), Instance()
    a.table.change("EC", "EC-1", 3, LISTING)
    a.table.change("PE", "PE-9", 1, replace(LISTING, record_id="PE-9", owner="PE", share_with=None))
    a.table.change("PE", "PE-9", 2, None)
    snapshot = a.table.frozen()
    a.table.change("EC", "EC-1", 4, None)  # after the snapshot was taken: not in it

    restored.table.load(snapshot())

    assert restored.hits() == ["EC-1"]
    assert restored.table.index.listing("EC-1") == LISTING
    assert (restored.table.version("EC-1"), restored.table.version("PE-9")) == (3, 2)
    assert "PE-9" not in restored.table.index
    assert restored.noted == []  # loading is not a change to publish again


def test_an_entry_written_before_listings_held_their_filing_date_loads_as_filed_today() -> None:
    a, restored = Instance(), Instance()
    a.table.change("EC", "EC-1", 1, LISTING)

    restored.table.load([without_filing_date(*a.entries())])

    assert restored.hits() == ["EC-1"]
    assert restored.table.filed_on("EC-1") == datetime.now(UTC).date()
    assert restored.table.undated == 1


def test_a_snapshot_keeps_each_records_first_filing_date() -> None:
    a, restored = Instance(), Instance()
    a.table.change("EC", "EC-1", 1, replace(LISTING, filed_on=date(2019, 4, 1)))

    restored.table.load(a.table.frozen()())

    assert (restored.table.filed_on("EC-1"), restored.table.undated) == (date(2019, 4, 1), 0)


def test_an_entry_without_a_filing_date_read_after_the_start_is_taken_as_filed_that_day() -> None:
    a, b = Instance(), Instance()
    a.table.change("EC", "EC-1", 1, replace(LISTING, filed_on=date(2019, 4, 1)))

    asyncio.run(b.table.apply([without_filing_date(*a.entries())]))

    assert (b.table.filed_on("EC-1"), b.table.undated) == (datetime.now(UTC).date(), 1)
