"""An image of the record table and its screening index: the instance that loads it answers as the one that wrote it."""

from __future__ import annotations

import asyncio
import marshal
from datetime import UTC, date, datetime

import pytest

from andina.intel_exchange.adapters.index_image import UNDATED_FORMAT, ImageFormatError
from andina.intel_exchange.adapters.record_table import RecordTable, entry_value, listing_document
from andina.intel_exchange.domain.identity import BirthDate, Profile
from andina.intel_exchange.domain.readings import Reading
from andina.intel_exchange.domain.screening import Hit, ScreeningIndex
from tests.unit.intel_exchange.test_intel_screening_index import QUERY, TODAY, WANTED, listing

NAMESAKE = Profile(("juan",), ("quispe", "huaman"), BirthDate(1985, 3, 12))
OTHERS = [
    Profile(("rosa", "maria"), ("mamani", "condori"), BirthDate(1970, 1, 2)),
    Profile(("luis",), ("quispe", "yupanqui"), BirthDate(1985, 7, 9)),
    Profile(("ana",), ("huaman", "flores"), None),
]
QUERIES = [
    QUERY,
    [Reading(Profile(("juan",), ("quispe", "huaman"), None))],  # names only: possible matches
    [Reading(Profile(("rosa",), ("mamani",), BirthDate(1970, 2, 1)))],
]


def table_of_every_kind() -> RecordTable:
    """Records shared with some members or all, expired, withdrawn, replaced; loaded at start and filed since."""
    table = RecordTable(ScreeningIndex(), lambda owner, key, value: None)
    loaded = [
        listing("EC-1", WANTED, share_with=None, immediate_alert=True),
        listing("PE-1", OTHERS[0], share_with=frozenset({"CO", "BO"})),
        listing("PE-2", OTHERS[1], expires_on=date(2026, 12, 31)),
    ]
    table.load((x.record_id, entry_value(x.owner, 1, listing_document(x))) for x in loaded)
    changes = [
        ("BO", "BO-1", 1, listing("BO-1", NAMESAKE, expires_on=TODAY)),  # expired today
        ("CO", "CO-1", 1, listing("CO-1", OTHERS[2])),
        ("CO", "CO-1", 2, None),  # withdrawn
        ("PE", "PE-2", 2, listing("PE-2", NAMESAKE, share_with=None)),  # replaced
    ]
    for owner, record_id, version, filed in changes:
        table.change(owner, record_id, version, filed)
    return table


def answers(table: RecordTable) -> list[list[Hit]]:
    return [table.index.screen(query, asker, TODAY) for query in QUERIES for asker in ("BO", "CO", "EC", "PE")]


def restored(table: RecordTable) -> RecordTable:
    encode = asyncio.run(table.image())
    copy = RecordTable(ScreeningIndex(), lambda owner, key, value: None)
    copy.restore(encode())
    return copy


def test_the_restored_table_answers_every_screening_as_the_one_imaged() -> None:
    table = table_of_every_kind()
    copy = restored(table)

    assert answers(copy) == answers(table)
    assert any(answers(table))  # the queries do hit: the comparison says something
    assert {r: copy.version(r) for r in ("EC-1", "PE-1", "PE-2", "BO-1", "CO-1")} == {
        "EC-1": 1,
        "PE-1": 1,
        "PE-2": 2,
        "BO-1": 1,
        "CO-1": 2,
    }
    assert copy.index.lexicon.expected_namesakes(NAMESAKE) == table.index.lexicon.expected_namesakes(NAMESAKE)


def test_the_restored_table_takes_later_entries_as_the_one_imaged() -> None:
    table = table_of_every_kind()
    copy = restored(table)

    for each in (table, copy):
        each.change("EC", "EC-1", 2, None)
        each.change("PE", "PE-9", 1, listing("PE-9", WANTED))
        each.index.forget(TODAY)

    assert answers(copy) == answers(table)
    assert sorted(copy.frozen()()) == sorted(table.frozen()())  # the next snapshot holds the same entries


def test_changes_after_the_image_is_taken_are_not_in_it() -> None:
    table = table_of_every_kind()
    encode = asyncio.run(table.image())
    table.change("EC", "EC-7", 1, listing("EC-7", WANTED))
    copy = RecordTable(ScreeningIndex(), lambda owner, key, value: None)

    copy.restore(encode())

    assert copy.version("EC-7") == 0
    assert "EC-7" not in copy.index


def test_an_image_of_another_format_is_refused() -> None:
    table = RecordTable(ScreeningIndex(), lambda owner, key, value: None)

    with pytest.raises(ImageFormatError, match="not an image"):
        table.restore(marshal.dumps({"format": "andina-record-index/0"}))


def test_each_records_first_filing_date_is_in_the_image() -> None:
    table = RecordTable(ScreeningIndex(), lambda owner, key, value: None)
    table.change("EC", "EC-1", 1, listing("EC-1", WANTED, filed_on=date(2019, 4, 1)))

    assert restored(table).filed_on("EC-1") == date(2019, 4, 1)


def test_an_image_written_before_listings_held_their_filing_date_loads_them_as_filed_today() -> None:
    data = marshal.loads(asyncio.run(table_of_every_kind().image())())
    del data["columns"]["filed"]
    copy = RecordTable(ScreeningIndex(), lambda owner, key, value: None)

    copy.restore(marshal.dumps(data | {"format": UNDATED_FORMAT}))

    assert copy.filed_on("EC-1") == datetime.now(UTC).date()
    assert hit_ids(copy) == hit_ids(table_of_every_kind())


def hit_ids(table: RecordTable) -> list[list[str]]:
    return [[hit.listing.record_id for hit in answer] for answer in answers(table)]
