"""An audit entry's digest taken as it is appended is the one its stored copy will verify against."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from bson.tz_util import utc

from andina.shared.audit import entry_digest, stored_digest


def test_the_digest_at_append_is_that_of_the_entry_as_the_store_gives_it_back() -> None:
    lima = timezone(timedelta(hours=-5))
    at = datetime(2026, 12, 7, 6, 30, 15, 123456, tzinfo=lima)
    entry = {"_id": "event-1/message-relayed/message/1", "at": at, "detail": {"to": "CO,EC"}}
    # The store keeps UTC to the millisecond and its client reads it back with its own UTC.
    read_back = {**entry, "at": datetime(2026, 12, 7, 11, 30, 15, 123000, tzinfo=utc)}

    assert stored_digest(entry) == entry_digest(read_back)
    assert stored_digest(entry) != entry_digest(entry)  # the time as given would not verify
    assert read_back["at"] == at.astimezone(UTC).replace(microsecond=123000)
