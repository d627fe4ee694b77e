"""Fetched bytes as aiokafka's fetcher reads them: every codec decodes, and a bad batch never stops the rest.

These go through aiokafka's own partition reader (``PartitionRecords``), the private class
:mod:`andina.contract.fetching` plugs into: if an aiokafka upgrade changes it, they fail.
"""

import inspect
import struct
from typing import Any

import pytest
from aiokafka import TopicPartition
from aiokafka.consumer import fetcher as aiokafka_fetcher
from aiokafka.record.default_records import DefaultRecordBatchBuilder

from andina.contract.fetching import (
    TolerantRecords,
    refuse_undecodable,
    tolerate_undecodable_batches,
    undecodable_reason,
)
from andina.contract.rejections import Reason, Rejected

PARTITION = TopicPartition("andina.alerts.submissions.v1", 3)
CODECS = {"none": 0, "gzip": 1, "snappy": 2, "lz4": 3, "zstd": 4}
_CRC_AT = 17  # where a v2 batch's CRC sits (base offset, length, leader epoch, magic)


def batch(base_offset: int, values: list[bytes], codec: str = "none") -> bytes:
    builder = DefaultRecordBatchBuilder(
        magic=2,
        compression_type=CODECS[codec],
        is_transactional=0,
        producer_id=-1,
        producer_epoch=-1,
        base_sequence=-1,
        batch_size=1 << 20,
    )
    for index, value in enumerate(values):
        builder.append(index, timestamp=1_765_000_000_000, key=b"PE", value=value, headers=[])
    data = bytearray(builder.build())
    struct.pack_into(">q", data, 0, base_offset)
    return bytes(data)


def corrupted(data: bytes) -> bytes:
    """The same batch with its CRC no longer matching its bytes."""
    damaged = bytearray(data)
    damaged[_CRC_AT] ^= 0xFF
    return bytes(damaged)


def with_codec_bits(data: bytes, codec_id: int) -> bytes:
    """A batch claiming a codec no Kafka client knows, its CRC recomputed so that only the codec is wrong."""
    from aiokafka.record.util import calc_crc32c

    changed = bytearray(data)
    attributes = struct.unpack_from(">h", changed, 21)[0]
    struct.pack_into(">h", changed, 21, (attributes & ~0x07) | codec_id)
    struct.pack_into(">I", changed, _CRC_AT, calc_crc32c(bytes(changed[21:])))
    return bytes(changed)


def read(fetched: bytes, fetch_offset: int = 0) -> tuple[list[Any], int]:
    """The records aiokafka hands out for ``fetched``, and where the consumer goes on from."""
    records = aiokafka_fetcher.PartitionRecords(
        PARTITION, TolerantRecords(fetched), [], fetch_offset, None, None, True, aiokafka_fetcher.READ_UNCOMMITTED
    )
    handed_out = list(records)
    return handed_out, records.next_fetch_offset


@pytest.mark.parametrize("codec", CODECS)
def test_every_codec_kafka_allows_is_read(codec: str) -> None:
    values = [f'{{"n": {i}}}'.encode() * 20 for i in range(5)]
    records, next_offset = read(batch(10, values, codec))
    assert [r.value for r in records] == values
    assert [r.offset for r in records] == [10, 11, 12, 13, 14]
    assert next_offset == 15


def test_a_corrupt_batch_becomes_one_placeholder_and_the_next_batch_is_read() -> None:
    bad = corrupted(batch(0, [b"a", b"b", b"c"], "gzip"))
    records, next_offset = read(bad + batch(3, [b"d", b"e"]))
    placeholder, *rest = records
    assert placeholder.offset == 0
    assert placeholder.key is None
    assert placeholder.value == bad  # the bytes, for whoever investigates
    assert "CRC" in (undecodable_reason(placeholder) or "")
    assert [(r.offset, r.value) for r in rest] == [(3, b"d"), (4, b"e")]
    assert next_offset == 5


def test_a_batch_in_an_unknown_codec_is_skipped_whole_without_losing_the_records_around_it() -> None:
    unknown = with_codec_bits(batch(2, [b"x", b"y", b"z"], "snappy"), 6)
    records, next_offset = read(batch(0, [b"a", b"b"], "lz4") + unknown + batch(5, [b"f"], "zstd"))
    assert [r.offset for r in records] == [0, 1, 2, 5]
    assert [undecodable_reason(r) is not None for r in records] == [False, False, True, False]
    assert next_offset == 6


def test_a_truncated_batch_header_still_moves_the_consumer_on() -> None:
    good = batch(7, [b"g"])
    garbage = struct.pack(">qi", 4, 3) + b"\x02\x00\x01"  # a 3-byte "batch" at offset 4
    records, next_offset = read(garbage + good)
    assert [r.offset for r in records] == [4, 7]
    assert next_offset == 8


def test_the_placeholder_is_refused_with_its_position_and_a_real_record_passes() -> None:
    records, _ = read(corrupted(batch(40, [b"a"])) + batch(41, [b"b"]))
    with pytest.raises(Rejected) as refused:
        refuse_undecodable(records[0])
    assert refused.value.reason is Reason.UNDECODABLE_BATCH
    assert f"offset 40 of {PARTITION.topic}[{PARTITION.partition}]" in refused.value.detail
    refuse_undecodable(records[1])  # no exception


def test_installed_where_aiokafka_builds_the_reader_of_each_fetch() -> None:
    # The fetcher must still build each partition's reader from this module-level name.
    assert "MemoryRecords(" in inspect.getsource(aiokafka_fetcher.Fetcher._proc_fetch_request)
    tolerate_undecodable_batches()
    assert aiokafka_fetcher.MemoryRecords is TolerantRecords
