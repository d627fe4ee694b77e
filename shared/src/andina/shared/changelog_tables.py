"""State tables kept through a changelog (:mod:`andina.shared.changelog`) by version, and several in one topic.

A :class:`VersionedTable` holds each key's latest value, a JSON object with its
``version``. A change made by a handler here takes the next version, is applied at once and
noted for the changelog; an entry read from the changelog is applied unless it is older
than the one held. Two instances that changed the same key at once wrote the same version:
each applies the entry read after its own, so all end with the one the changelog holds
last. An instance reading its own entry back holds it already, and changes nothing.

A service has one changelog topic; :class:`PrefixedTables` keeps several tables in it, each
owning the keys that start with its prefix.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import orjson

from andina.shared.changelog import StateTable
from andina.shared.snapshots import Entry

Note = Callable[[str, str, bytes], None]  # owner, key, entry value: ChangelogWriter.note
Value = dict[str, Any]


class VersionedTable(ABC):
    def __init__(self, prefix: str, note: Note) -> None:
        self.prefix = prefix
        self._note = note
        self._held: dict[str, tuple[int, bytes]] = {}  # key -> version, entry value
        self.applying = False  # while an entry read from the changelog is put: what changes is not noted again

    def __contains__(self, key: object) -> bool:
        return key in self._held

    def version(self, key: str) -> int:
        held = self._held.get(key)
        return 0 if held is None else held[0]

    def change(self, owner: str, key: str, value: Value, version: int | None = None) -> None:
        """A change made here, owned by the country ``owner``: held now and noted (next version unless given)."""
        if self.applying:
            return
        version = self.version(key) + 1 if version is None else version
        _, entry = self.entry(key, value, version)
        self._held[key] = (version, entry)
        self._note(owner, key, entry)

    def forget(self, key: str) -> None:
        """Stop holding ``key`` (past a retention): an entry of it read later is applied as new."""
        self._held.pop(key, None)

    @staticmethod
    def entry(key: str, value: Value, version: int = 1) -> Entry:
        """The changelog entry of ``value`` (the first version unless given: a state read from the store)."""
        return key, orjson.dumps(value | {"version": version})

    async def apply(self, entries: Sequence[Entry]) -> None:
        for key, entry in entries:
            value = orjson.loads(entry)
            held = self._held.get(key)
            if held is not None and (value["version"] < held[0] or held[1] == entry):
                continue
            self._held[key] = (value["version"], entry)
            self._applying(key, value)

    def load(self, entries: Iterable[Entry]) -> None:
        for key, entry in entries:
            value = orjson.loads(entry)
            self._held[key] = (value["version"], entry)
            self._applying(key, value)

    def frozen(self) -> Callable[[], Iterable[Entry]]:
        held = [(key, entry) for key, (_, entry) in self._held.items()]
        return lambda: held

    def _applying(self, key: str, value: Value) -> None:
        self.applying = True
        try:
            self.put(key, value)
        finally:
            self.applying = False

    @abstractmethod
    def put(self, key: str, value: Value) -> None:
        """Make what the service holds in memory for ``key`` what ``value`` says (read from the changelog)."""


class PrefixedTables:
    """Several tables in one changelog: an entry goes to the table whose prefix its key starts with."""

    def __init__(self, tables: Iterable[VersionedTable]) -> None:
        self._tables: Mapping[str, VersionedTable] = {table.prefix: table for table in tables}

    def _owner(self, key: str) -> StateTable:
        return self._tables[key[: key.index("/") + 1]]

    async def apply(self, entries: Sequence[Entry]) -> None:
        for key, value in entries:
            await self._owner(key).apply([(key, value)])

    def load(self, entries: Iterable[Entry]) -> None:
        for key, value in entries:
            self._owner(key).load([(key, value)])

    def frozen(self) -> Callable[[], Iterable[Entry]]:
        states = [table.frozen() for table in self._tables.values()]
        return lambda: (entry for state in states for entry in state())
