"""Images of a changelog table on the instance's local disk: its built state as of some changelog offsets.

A snapshot in the store (:mod:`andina.shared.snapshots`) holds the table's entries: a start
from it still builds from them whatever the service derives (intel-exchange's screening
index: minutes at a million records). A table that can, writes an *image* of its built
state beside each snapshot, and a start loads it and reads the changelog since its offsets.

The file is written whole under another name, flushed to disk, then renamed over the
previous one: a crash mid-write leaves the previous image. Its header states the offsets,
the length and a checksum of the content; a file that does not match them (cut short,
damaged) is no image, and the start falls back to the store's snapshot.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import orjson
import structlog

log = structlog.get_logger()

MAGIC = b"andina-table-image/1\n"


@dataclass(frozen=True, slots=True)
class TableImage:
    offsets: dict[int, int]  # changelog partition -> next offset the image does not cover
    content: bytes


def _digest(content: bytes) -> str:
    return hashlib.blake2b(content, digest_size=32).hexdigest()


class ImageFile:
    """The newest image of one changelog topic's table, in a folder of the instance's disk."""

    def __init__(self, folder: Path, topic: str) -> None:
        self.path = folder / f"{topic}.image"

    def save(self, offsets: dict[int, int], content: bytes) -> None:
        """Write the image, then make it the newest at once (blocking: run it in a thread)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        header = {"offsets": {str(p): o for p, o in offsets.items()}, "length": len(content)}
        header["blake2b"] = _digest(content)
        writing = self.path.with_name(f"{self.path.name}.{os.getpid()}.writing")
        try:
            with writing.open("wb") as file:
                file.write(MAGIC + orjson.dumps(header) + b"\n")
                file.write(content)
                file.flush()
                os.fsync(file.fileno())
            os.replace(writing, self.path)
        finally:
            writing.unlink(missing_ok=True)
        folder = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)  # the rename itself survives a power cut
        finally:
            os.close(folder)

    def latest(self) -> TableImage | None:
        """The image if one is there whole, else None (blocking: run it in a thread)."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        header_end = data.find(b"\n", len(MAGIC))
        try:
            if not data.startswith(MAGIC) or header_end < 0:
                raise ValueError("no image header")
            header = orjson.loads(data[len(MAGIC) : header_end])
            content = data[header_end + 1 :]
            if len(content) != header["length"] or _digest(content) != header["blake2b"]:
                raise ValueError(f"content does not match its header ({len(content)} of {header['length']} bytes)")
        except (ValueError, KeyError, TypeError) as error:
            log.warning("table image not used", path=str(self.path), reason=str(error))
            return None
        return TableImage({int(p): offset for p, offset in header["offsets"].items()}, content)


@runtime_checkable
class ImagedTable(Protocol):
    """A changelog table that can save what it built from its entries, and start from that."""

    async def image(self) -> Callable[[], bytes]:
        """The built state as of now, encoded later, off the event loop."""

    def restore(self, image: bytes) -> None:
        """Start-up: the state as an image holds it; ValueError if the image is not one it can read."""


class TableImages:
    """One table's images: loaded at start, written with each snapshot (the file's reads and writes in threads)."""

    def __init__(self, table: ImagedTable, file: ImageFile) -> None:
        self._table = table
        self._file = file

    async def restore(self) -> dict[int, int] | None:
        """The offsets of the image the table now holds, None if there is no image it could read."""
        found = await asyncio.to_thread(self._file.latest)
        if found is None:
            return None
        try:
            self._table.restore(found.content)
        except ValueError as error:  # written by another version: the snapshot in the store serves
            log.warning("table image not used", path=str(self._file.path), reason=str(error))
            return None
        return found.offsets

    async def capture(self) -> Callable[[], bytes]:
        return await self._table.image()

    async def save(self, offsets: dict[int, int], encode: Callable[[], bytes]) -> None:
        try:
            await asyncio.to_thread(lambda: self._file.save(offsets, encode()))
        except OSError:  # the disk is full or not writable: the store's snapshot still serves a start
            log.exception("changelog table image not written", path=str(self._file.path))
            return
        log.info("changelog table image written", path=str(self._file.path), offsets=offsets)
