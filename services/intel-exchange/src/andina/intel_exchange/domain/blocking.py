"""The blocking index: which few records are worth scoring for a query, among a million.

Every record is filed under several *blocking keys*, each an exact combination that
survives a different kind of noise: the pair of surname keys (swapped surnames), a
surname key with a given-name key, a surname key with the birth year or with the date of
birth (day and month in sorted order, so a day/month swap keeps the key), a given-name
key with the date of birth, each document number (whatever type or country it was typed
with) and that number without its last character (a check digit typed onto it). A typo that breaks one key leaves the
others. Candidates are the records sharing keys with the query, ranked by the summed
rarity of the keys they share; only the best few are scored.

The keys live in two sorted numpy arrays (key hash, record number) looked up with
binary search: a million records take tens of bytes each instead of the kilobytes of a
dict of lists. Records added later go to a small dict, merged into the arrays when it grows.
A key's hash is the same in every process (not Python's ``hash``, seeded per process), so
an index written to disk by one instance serves in another.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from andina.intel_exchange.domain.identity import CHECK_DIGIT_AFTER, Profile, document_number

MERGE_AFTER = 50_000


def blocking_keys(profile: Profile) -> set[str]:
    surnames = set(profile.surname_keys)
    given = set(profile.given_keys[:2])
    numbers = {document_number(document) for document in profile.documents}
    keys = {f"i{number}" for number in numbers}
    keys |= {f"i{number[:-1]}" for number in numbers if len(number) > CHECK_DIGIT_AFTER}
    ordered = sorted(surnames)
    keys |= {f"p{a}|{b}" for i, a in enumerate(ordered) for b in ordered[i + 1 :]}
    keys |= {f"n{s}|{g}" for s in surnames for g in given}
    aliases = sorted(set(profile.alias_keys))
    keys |= {f"p{a}|{b}" for i, a in enumerate(aliases) for b in aliases[i + 1 :]}
    birth = profile.birth
    if birth is not None:
        keys |= {f"y{s}|{birth.year}" for s in surnames}
        if birth.month is not None and birth.day is not None:
            day_month = f"{birth.year}{min(birth.month, birth.day):02d}{max(birth.month, birth.day):02d}"
            keys |= {f"d{s}|{day_month}" for s in surnames}
            keys |= {f"g{g}|{day_month}" for g in given}
    return keys


def key_hash(key: str) -> int:
    """64 bits from two checksums computed in C (a cryptographic hash costs ten times Python's ``hash``; this
    two to four): no two of 4,000,000 keys shaped as ours shared one, and two that did would only add a candidate."""
    data = key.encode()
    return (zlib.crc32(data) << 32 | zlib.adler32(data)) - (1 << 63)


class BlockingState(NamedTuple):
    """What a blocking index holds, for a snapshot of it (the arrays are never changed in place)."""

    hashes: npt.NDArray[np.int64]
    numbers: npt.NDArray[np.int32]
    recent: dict[int, list[int]]


class BlockingIndex:
    """Record numbers (0, 1, 2, ...) filed under their blocking keys."""

    def __init__(self) -> None:
        self._hashes: npt.NDArray[np.int64] = np.empty(0, np.int64)
        self._numbers: npt.NDArray[np.int32] = np.empty(0, np.int32)
        self._recent: dict[int, list[int]] = {}
        self._recent_size = 0

    def load(self, entries: Iterable[tuple[int, Iterable[str]]]) -> None:
        """File many records at once (start-up): one sort instead of many merges."""
        hashes: list[int] = []
        numbers: list[int] = []
        for number, keys in entries:
            for key in keys:
                hashes.append(key_hash(key))
                numbers.append(number)
        self._merge(np.array(hashes, np.int64), np.array(numbers, np.int32))

    def add(self, number: int, keys: Iterable[str]) -> None:
        for key in keys:
            self._recent.setdefault(key_hash(key), []).append(number)
            self._recent_size += 1
        if self._recent_size >= MERGE_AFTER:
            hashes = [h for h, numbers in self._recent.items() for _ in numbers]
            numbers = [n for values in self._recent.values() for n in values]
            self._recent, self._recent_size = {}, 0
            self._merge(np.array(hashes, np.int64), np.array(numbers, np.int32))

    def _merge(self, hashes: npt.NDArray[np.int64], numbers: npt.NDArray[np.int32]) -> None:
        all_hashes = np.concatenate([self._hashes, hashes])
        order = np.argsort(all_hashes, kind="stable")
        self._hashes = all_hashes[order]
        self._numbers = np.concatenate([self._numbers, numbers])[order]

    def keep(self, numbers: Sequence[int], total: int) -> None:
        """Keep the records ``numbers`` (ascending, out of ``total``), renumbered 0, 1, 2, ... in that order."""
        renumbered = np.full(total, -1, np.int32)
        renumbered[np.asarray(numbers, np.int64)] = np.arange(len(numbers), dtype=np.int32)
        mapped = renumbered[self._numbers]
        held = mapped >= 0  # the arrays stay sorted by key hash
        self._hashes, self._numbers = self._hashes[held], mapped[held]
        recent = {h: [int(renumbered[n]) for n in values if renumbered[n] >= 0] for h, values in self._recent.items()}
        self._recent = {h: values for h, values in recent.items() if values}
        self._recent_size = sum(len(values) for values in self._recent.values())

    def state(self) -> BlockingState:
        """A copy of what is held, sharing the arrays: it stays as it is while this index changes."""
        return BlockingState(self._hashes, self._numbers, {h: list(numbers) for h, numbers in self._recent.items()})

    def restore(self, state: BlockingState) -> None:
        self._hashes, self._numbers, self._recent = state.hashes, state.numbers, state.recent
        self._recent_size = sum(len(numbers) for numbers in state.recent.values())

    @property
    def nbytes(self) -> int:
        return int(self._hashes.nbytes + self._numbers.nbytes)

    def candidates(self, keys: Iterable[str], limit: int) -> list[int]:
        """The ``limit`` record numbers sharing the rarest keys with ``keys``, best first."""
        hashes = np.array([key_hash(k) for k in keys], np.int64)
        starts = np.searchsorted(self._hashes, hashes, side="left")
        ends = np.searchsorted(self._hashes, hashes, side="right")
        groups = [self._numbers[s:e] for s, e in zip(starts, ends, strict=True)]
        groups += [np.array(self._recent[h], np.int32) for h in hashes.tolist() if h in self._recent]
        groups = [g for g in groups if len(g)]
        if not groups:
            return []
        numbers = np.concatenate(groups)
        # A key shared with few records says more than one shared with thousands.
        rarity = np.concatenate([np.full(len(g), 1.0 / np.log2(2 + len(g))) for g in groups])
        unique, inverse = np.unique(numbers, return_inverse=True)
        weights = np.bincount(inverse, weights=rarity)
        if len(unique) > limit:
            best = np.argpartition(-weights, limit)[:limit]
            unique, weights = unique[best], weights[best]
        return [int(n) for n in unique[np.argsort(-weights, kind="stable")]]
