"""No fetched batch stops a consumer: one that cannot be decoded becomes a placeholder record.

aiokafka decodes a fetched record batch (CRC, decompression, record framing) while a poll
hands its records out. A batch that fails raises out of ``getmany``; the records of other
partitions taken in that same poll are dropped, and the next poll fetches the failing
batch again, for ever. One agency's batch in a codec a consumer could not read stopped a
service for every country that way, inside the client, before any handler or metric saw it.

aiokafka has no public hook for this (the Java client raises ``RecordDeserializationException``
naming the partition and offset, KIP-334, so the application can seek past). So
:func:`tolerate_undecodable_batches` replaces the record-set reader aiokafka's fetcher builds
for each partition's fetched bytes (``aiokafka.consumer.fetcher.MemoryRecords``): each batch
is decoded whole before any of its records is handed out, and a batch that fails becomes one
placeholder record at the batch's first offset, with no key, the batch's bytes as its value
and the reason in the :data:`UNDECODABLE_HEADER` header. The consumer then goes on from the
batch's end. Services dead-letter the placeholder (:func:`refuse_undecodable`); readers skip it
with an error log. ``tests/unit/shared/test_fetching.py`` fails if aiokafka's reader changes.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import aiokafka.consumer.fetcher as aiokafka_fetcher
import structlog

from andina.contract.rejections import Reason, Rejected

log = structlog.get_logger()

UNDECODABLE_HEADER = "andina-undecodable"

# Kafka's log framing: every batch starts with its base offset (int64) and length (int32); a v2
# batch then has its leader epoch, magic, CRC, attributes, last offset delta and first timestamp.
_LOG_OVERHEAD = 12
_MAGIC_AT = 16
_LAST_OFFSET_DELTA_AT = 23
_FIRST_TIMESTAMP_AT = 27
_V2_HEADER_END = 35

_READER = aiokafka_fetcher.MemoryRecords  # aiokafka's own (C or Python) record-set reader


@dataclass(frozen=True, slots=True)
class _Placeholder:
    """Stands for an undecodable batch, with the fields aiokafka copies into a ConsumerRecord."""

    offset: int
    timestamp: int
    value: bytes
    headers: list[tuple[str, bytes]]
    timestamp_type: int = 0
    key: None = None
    checksum: None = None


class _Batch:
    """A batch decoded whole, offering what aiokafka's partition reader asks of a batch."""

    def __init__(self, decoded: Any) -> None:
        self.base_offset: int = decoded.base_offset
        self.next_offset: int = decoded.next_offset
        self.producer_id: int | None = getattr(decoded, "producer_id", None)
        self.is_transactional: bool = bool(getattr(decoded, "is_transactional", False))
        self.is_control_batch: bool = decoded.is_control_batch
        self._records = iter(list(decoded))  # decoding happens here, before any record is handed out

    def validate_crc(self) -> bool:
        return True  # checked before the batch was decoded

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        return next(self._records)


class _UndecodableBatch(_Batch):
    """One placeholder record for the whole batch, whose offsets are read from its header when it has one."""

    def __init__(self, raw: bytes, reason: str) -> None:
        base_offset = struct.unpack_from(">q", raw)[0]
        v2 = len(raw) >= _V2_HEADER_END and raw[_MAGIC_AT] >= 2
        last_delta = struct.unpack_from(">i", raw, _LAST_OFFSET_DELTA_AT)[0] if v2 else 0
        timestamp = struct.unpack_from(">q", raw, _FIRST_TIMESTAMP_AT)[0] if v2 else -1
        self.base_offset, self.next_offset = base_offset, base_offset + max(last_delta, 0) + 1
        self.producer_id, self.is_transactional, self.is_control_batch = None, False, False
        self._records = iter([_Placeholder(base_offset, timestamp, raw, [(UNDECODABLE_HEADER, reason.encode())])])


class TolerantRecords:
    """aiokafka's record-set reader, but a batch that fails to decode is handed out as a placeholder."""

    def __init__(self, data: bytes) -> None:
        self._data = bytes(data)
        self._start = 0  # where the next batch begins in ``_data``
        self._reader = _READER(self._data)

    def has_next(self) -> bool:
        return bool(self._reader.has_next())

    def size_in_bytes(self) -> int:
        return len(self._data)

    def next_batch(self) -> _Batch:
        start = self._start
        length = struct.unpack_from(">i", self._data, start + 8)[0]
        self._start = start + _LOG_OVERHEAD + max(length, 0)
        try:
            decoded = self._reader.next_batch()
            if not decoded.validate_crc():
                raise ValueError("CRC does not match the batch's bytes")
            return _Batch(decoded)
        except Exception as error:  # any failure to read a batch: the rest of the partition must flow
            # Start aiokafka's reader again after this batch, whatever state the failure left it in.
            self._reader = _READER(self._data[self._start :])
            kind = type(error).__name__
            reason = str(error) if str(error).startswith(kind) else f"{kind}: {error}"
            log.error("undecodable batch skipped", offset=struct.unpack_from(">q", self._data, start)[0], reason=reason)
            return _UndecodableBatch(self._data[start : self._start], reason)


def tolerate_undecodable_batches() -> None:
    """Make every aiokafka consumer of this process skip batches it cannot decode (idempotent)."""
    aiokafka_fetcher.MemoryRecords = TolerantRecords


def undecodable_reason(record: Any) -> str | None:
    """Why ``record`` stands for a batch that could not be decoded, or None for a real record."""
    headers: Sequence[tuple[str, bytes | None]] = getattr(record, "headers", ()) or ()
    for name, value in headers:
        if name == UNDECODABLE_HEADER:
            return (value or b"").decode("utf-8", "replace")
    return None


def refuse_undecodable(record: Any) -> None:
    """Raise the refusal of a placeholder record; a real record passes."""
    if (reason := undecodable_reason(record)) is not None:
        raise Rejected(
            Reason.UNDECODABLE_BATCH,
            f"the batch from offset {record.offset} of {record.topic}[{record.partition}] could not be read"
            f" ({reason}); its bytes are this dead letter's value. Producers may use no compression, gzip,"
            " snappy, lz4 or zstd",
        )
