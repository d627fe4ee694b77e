"""Images of a changelog table on local disk: a start loads the newest whole one, else the store's snapshot."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import orjson

from andina.shared.changelog import GlobalTable
from andina.shared.snapshots import Snapshot
from andina.shared.table_images import ImageFile, TableImage
from tests.unit.shared.test_changelog import TOPIC, Log, Snapshots, Table, global_table


@dataclass
class ImagedTable(Table):
    """Its image is its state as JSON; how often it was built from entries tells which start was made."""

    restored: int = 0

    async def image(self) -> Callable[[], bytes]:
        copy = {key: value.decode() for key, value in self.state.items()}
        return lambda: orjson.dumps(copy)

    def restore(self, image: bytes) -> None:
        self.state = {key: value.encode() for key, value in orjson.loads(image).items()}
        self.restored += 1


def start(folder: Path, log: Log, snapshots: Snapshots) -> tuple[ImagedTable, GlobalTable]:
    """A start with an image folder; the store holds nothing, so a scan would show in the state."""
    table, shared = global_table(log, snapshots, store=[], table=ImagedTable(), images=ImageFile(folder, TOPIC))
    asyncio.run(shared.start())
    return table, shared


def test_an_image_written_whole_is_read_back_with_its_offsets(tmp_path: Path) -> None:
    images = ImageFile(tmp_path, TOPIC)
    images.save({0: 5, 1: 7}, b"built state")

    assert images.latest() == TableImage({0: 5, 1: 7}, b"built state")


def test_an_image_cut_short_or_damaged_is_no_image(tmp_path: Path) -> None:
    images = ImageFile(tmp_path, TOPIC)
    images.save({0: 5}, b"built state")
    whole = images.path.read_bytes()

    images.path.write_bytes(whole[:-3])
    cut = images.latest()
    images.path.write_bytes(whole[:-1] + b"X")
    damaged = images.latest()

    assert cut is None
    assert damaged is None


def test_a_write_that_died_half_way_leaves_the_previous_image(tmp_path: Path) -> None:
    images = ImageFile(tmp_path, TOPIC)
    images.save({0: 5}, b"first")
    images.path.with_name(f"{images.path.name}.4242.writing").write_bytes(b"andina-table-image/1\n{half")

    assert images.latest() == TableImage({0: 5}, b"first")


def test_an_instance_starts_from_its_image_and_the_changelog_since(tmp_path: Path) -> None:
    log = Log({})
    for partition, key, value in [(0, "A", b"a1"), (1, "B", b"b1"), (0, "A", b"a2")]:
        log.append(partition, key, value)
    ImageFile(tmp_path, TOPIC).save({0: 1, 1: 1}, orjson.dumps({"A": "a1", "B": "b1"}))
    older = Snapshots(Snapshot({0: 0, 1: 0}, [("wrong", b"the snapshot is not read")]))

    table, shared = start(tmp_path, log, older)

    assert shared.source == "image"
    assert table.state == {"A": b"a2", "B": b"b1"}


def test_a_torn_image_falls_back_to_the_store_snapshot(tmp_path: Path) -> None:
    log = Log({})
    for partition, key, value in [(0, "A", b"a1"), (1, "B", b"b1"), (0, "A", b"a2")]:
        log.append(partition, key, value)
    images = ImageFile(tmp_path, TOPIC)
    images.save({0: 1, 1: 1}, orjson.dumps({"A": "a1", "B": "b1"}))
    images.path.write_bytes(images.path.read_bytes()[:-2])  # the disk lost its end

    table, shared = start(tmp_path, log, Snapshots(Snapshot({0: 1, 1: 1}, [("A", b"a1"), ("B", b"b1")])))

    assert (shared.source, table.restored) == ("snapshot", 0)
    assert table.state == {"A": b"a2", "B": b"b1"}


def test_a_snapshot_writes_the_image_of_the_same_offsets(tmp_path: Path) -> None:
    log = Log({})
    log.append(0, "A", b"a1")
    snapshots = Snapshots(Snapshot({0: 0, 1: 0}, []))
    _, shared = start(tmp_path, log, snapshots)
    log.append(1, "B", b"b1")  # not read yet: in neither

    asyncio.run(shared.snapshot())

    assert snapshots.saved == Snapshot({0: 1, 1: 0}, [("A", b"a1")])
    assert ImageFile(tmp_path, TOPIC).latest() == TableImage({0: 1, 1: 0}, orjson.dumps({"A": "a1"}))
