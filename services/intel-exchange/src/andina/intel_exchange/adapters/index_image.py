"""The record table and its built screening index as one binary image, for a start in seconds.

Building the index decodes every profile and derives its blocking keys and name counts:
minutes at a million records. The image keeps what the build produced instead: the
records as columns (owners, versions and each listing's fields, repeated values such as
owners, share lists and days stored once and referred to by number), the index's record numbers,
its blocking arrays as raw bytes and its name counts. Loading it makes the listing objects
again and nothing more. ``marshal`` reads and writes these plain values at C speed; unlike
pickle it runs no code from the file, and a file from another Python version is refused.
"""

from __future__ import annotations

import gc
import marshal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from itertools import chain, repeat
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import structlog

from andina.contract.events.intel_exchange import RecordType, RequestedAction
from andina.intel_exchange.domain.blocking import BlockingState
from andina.intel_exchange.domain.screening import IndexState, Listing

PYTHON = f"python/{sys.version_info.major}.{sys.version_info.minor}"
log = structlog.get_logger(__name__)

FORMAT = f"andina-record-index/2 {PYTHON}"
UNDATED_FORMAT = f"andina-record-index/1 {PYTHON}"  # before listings held their first filing date
NO_LISTING = -1


class Known(NamedTuple):
    """A record's latest version, as the record table holds it."""

    owner: str
    version: int
    listing: Listing | None  # None: withdrawn


class ImageFormatError(ValueError):
    """The image was written by another version of this code: it is not used."""


class _Codes:
    """Each distinct value once, and its number."""

    def __init__(self) -> None:
        self.values: list[Any] = []
        self._numbers: dict[Any, int] = {}

    def of(self, value: Any) -> int:
        number = self._numbers.get(value)
        if number is None:
            number = self._numbers[value] = len(self.values)
            self.values.append(value)
        return number


def encode(records: dict[str, Known], index: IndexState) -> bytes:
    """Records with a listing first, so that the listings' columns line up with theirs."""
    ordered = sorted(records.items(), key=lambda item: item[1].listing is None)  # stable: listed first
    listings = [known.listing for _, known in ordered if known.listing is not None]
    position = {listing.record_id: number for number, listing in enumerate(listings)}
    owners, shares, days = _Codes(), _Codes(), _Codes()
    shares.of(None)  # code 0: every member
    days.of(None)  # code 0: no expiry
    columns = {
        "record_id": [record_id for record_id, _ in ordered],
        "owner": [owners.of(known.owner) for _, known in ordered],
        "version": [known.version for _, known in ordered],
        "type": [listing.record_type.value for listing in listings],
        "action": [listing.requested_action.value for listing in listings],
        "share": [shares.of(None if x.share_with is None else tuple(sorted(x.share_with))) for x in listings],
        "alert": [listing.immediate_alert for listing in listings],
        "expires": [days.of(None if x.expires_on is None else x.expires_on.toordinal()) for x in listings],
        "profile": [listing.profile for listing in listings],
        "filed": [days.of(listing.filed_on.toordinal()) for listing in listings],  # a few thousand days
    }
    numbers = [NO_LISTING if listing is None else position[listing.record_id] for listing in index.listings]
    blocking = index.blocking
    return marshal.dumps(
        {
            "format": FORMAT,
            "columns": columns,
            "owners": owners.values,
            "shares": shares.values,
            "days": days.values,
            "index_records": np.asarray(numbers, np.int32).tobytes(),
            "hashes": blocking.hashes.tobytes(),
            "numbers": blocking.numbers.tobytes(),
            "recent": blocking.recent,
            "frequencies": index.frequencies,
            "next_look": index.next_look,
        }
    )


@contextmanager
def _uncollected() -> Iterator[None]:
    """Millions of objects made at once, none in a cycle: the collector would walk them again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def decode(image: bytes, today: date) -> tuple[dict[str, Known], IndexState]:
    """The image's records and index; those of an image without filing dates are taken as filed ``today``."""
    with _uncollected():
        return _decoded(image, today)


def _decoded(image: bytes, today: date) -> tuple[dict[str, Known], IndexState]:
    """Made with ``map`` over the columns: the loops run in C, only the objects' own constructors in Python."""
    data = marshal.loads(image)
    if not isinstance(data, dict) or data.get("format") not in (FORMAT, UNDATED_FORMAT):
        raise ImageFormatError(f"not an image of format {FORMAT}")
    columns = data["columns"]
    if "filed" not in columns:
        log.warning("record image without first filing dates: taken as filed today", records=len(columns["owner"]))
    owners = list(map(data["owners"].__getitem__, columns["owner"]))
    types, actions = {t.value: t for t in RecordType}, {a.value: a for a in RequestedAction}
    shares = [None if share is None else frozenset(share) for share in data["shares"]]
    days = [None if day is None else date.fromordinal(day) for day in data["days"]]
    filed = map(days.__getitem__, columns["filed"]) if "filed" in columns else repeat(today)
    listings: list[Listing | None] = list(
        map(
            Listing,
            columns["record_id"],
            owners,
            map(types.__getitem__, columns["type"]),
            map(actions.__getitem__, columns["action"]),
            map(shares.__getitem__, columns["share"]),
            columns["alert"],
            map(days.__getitem__, columns["expires"]),
            columns["profile"],
            filed,
        )
    )
    known = map(Known, owners, columns["version"], chain(listings, repeat(None)))
    records = dict(zip(columns["record_id"], known, strict=True))
    listings.append(None)  # what NO_LISTING (-1) picks
    by_number = list(map(listings.__getitem__, _ints(data["index_records"]).tolist()))
    blocking = BlockingState(
        np.frombuffer(data["hashes"], np.int64), _ints(data["numbers"]), {h: list(n) for h, n in data["recent"].items()}
    )
    return records, IndexState(by_number, blocking, tuple(data["frequencies"]), data["next_look"])


def _ints(raw: bytes) -> npt.NDArray[np.int32]:
    return np.frombuffer(raw, np.int32)  # read-only: the index replaces its arrays, never writes into them
