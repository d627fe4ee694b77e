"""The declarations matching looks up, the same on every instance through the changelog.

The handlers change the pending index and the scored pairs on the instance holding the
filer's partition; the subclasses here tell the table which declarations changed, and the
table notes each one's state: *pending* (awaiting its counterpart), *paired* by score
(with the other side and the finding reported on the pair, open to a better match) or
*settled* (matched, reported unmatched, forgotten; kept so that a number filed again is
recognised wherever it arrives). Another instance puts an entry read from the changelog
into its own indexes: an export filed through the instance holding PE's partition is
matched by an import filed through the one holding CO's. An entry put here is not matched (both
instances read it, and this path has no unit of work): two filed through the two instances within
the changelog's lag are paired by the recheck of the later one (handlers/rechecks.py).
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable
from typing import Any
from uuid import UUID

from andina.contract.envelope import Handling
from andina.contract.events.customs.declarations import DeclarationDiscrepancy, DeclarationSummary, Flow
from andina.customs.domain.declarations import FiledDeclaration, Filing, restore
from andina.customs.domain.event_time import EventTime
from andina.customs.domain.hs import HsTable
from andina.customs.domain.matching import MatchPolicy, PendingIndex, ScoredPair, ScoredPairs
from andina.shared.changelog_tables import Note, Value, VersionedTable
from andina.shared.snapshots import Entry
from andina.shared.store import Document
from andina.shared.timers import Clock

PENDING, PAIRED, SETTLED = "pending", "paired", "settled"
Changed = Callable[[str], None]  # the key of a declaration whose state changed


def declaration_fields(declaration: FiledDeclaration) -> Document:
    """What restores a declaration, its reception time aside (a date in the store, text in the changelog)."""
    return {
        "event_id": str(declaration.event_id),
        "correlation_id": str(declaration.correlation_id),
        "handling": declaration.handling.value,
        "summary": declaration.summary.model_dump_json(),
    }


def restored(fields: Document, received_at: dt.datetime, hs: HsTable) -> FiledDeclaration:
    summary = DeclarationSummary.model_validate_json(fields["summary"])
    filing = Filing(
        country=summary.country,
        event_id=UUID(fields["event_id"]),
        correlation_id=UUID(fields["correlation_id"]),
        handling=Handling(fields["handling"]),
        received_at=received_at,
    )
    return restore(summary, filing, hs.heading(summary.hs_code))


class SharedPending(PendingIndex):
    def __init__(self, policy: MatchPolicy, changed: Changed) -> None:
        super().__init__(policy)
        self._changed = changed

    def add(self, declaration: FiledDeclaration) -> None:
        if declaration.key not in self:
            super().add(declaration)
            self._changed(declaration.key)

    def remove(self, key: str) -> FiledDeclaration | None:
        removed = super().remove(key)
        if removed is not None:
            self._changed(key)
        return removed


class SharedPairs(ScoredPairs):
    def __init__(self, policy: MatchPolicy, changed: Changed) -> None:
        super().__init__(policy)
        self._changed = changed
        self.of: dict[str, ScoredPair] = {}  # the pair each side is in

    def add(self, pair: ScoredPair) -> None:
        super().add(pair)
        for side in (pair.declaration, pair.counterpart):
            self.of[side.key] = pair
            self._changed(side.key)

    def remove(self, pair: ScoredPair) -> None:
        super().remove(pair)
        for side in (pair.declaration, pair.counterpart):
            if self.of.get(side.key) is pair:
                del self.of[side.key]
                self._changed(side.key)


class DeclarationTable(VersionedTable):
    def __init__(
        self, policy: MatchPolicy, event_time: EventTime, hs: HsTable, retention: dt.timedelta, clock: Clock, note: Note
    ) -> None:
        super().__init__("declaration/", note)
        self.pending = SharedPending(policy, self._changed)
        self.scored = SharedPairs(policy, self._changed)
        self._event_time = event_time
        self._hs = hs
        self._retention, self._clock = retention, clock
        self._paired: dict[str, Value] = {}  # sides read as paired, until the other side's entry says so too
        self._known: dict[str, tuple[dt.datetime, str]] = {}  # key -> when received, state
        self._settled: list[tuple[dt.datetime, str]] = []  # a heap: settled ones, forgotten past the retention

    def filed(self, key: str) -> bool:
        """Whether a declaration of this key was filed (through any instance) within the retention."""
        return self.prefix + key in self

    def kept(self, declaration: FiledDeclaration) -> None:
        """A declaration the store has just kept: known to every instance, even if it never waits."""
        if not self.filed(declaration.key):
            self._known[declaration.key] = (declaration.received_at, SETTLED)
            self._changed(declaration.key)

    def pending_entry(self, declaration: FiledDeclaration) -> Entry:
        """The entry of a declaration found pending in the store (when there is no snapshot)."""
        return self.entry(self.prefix + declaration.key, self._pending(declaration))

    def _changed(self, key: str) -> None:
        if self.applying:  # put from the changelog: nothing to note, and nothing to encode
            return
        value = self._value(key)
        self.change(key.split("/", 1)[0], self.prefix + key, value)
        self._track(key, value)

    def _track(self, key: str, value: Value) -> None:
        """Note when the declaration was received: once settled, it is forgotten past the retention."""
        received = dt.datetime.fromisoformat(value["received_at"])
        self._known[key] = (received, value["state"])
        if value["state"] == SETTLED:
            heapq.heappush(self._settled, (received, key))
        moment = self._clock() - self._retention
        while self._settled and self._settled[0][0] < moment:
            _, old = heapq.heappop(self._settled)
            if self._known.get(old, (moment, ""))[1] == SETTLED:
                del self._known[old]
                self.forget(self.prefix + old)

    def _value(self, key: str) -> Value:
        pair = self.scored.of.get(key)
        if pair is not None:
            side = pair.declaration if pair.declaration.key == key else pair.counterpart
            finding = None if pair.finding is None else pair.finding.model_dump_json()
            value = self._pending(side) | {"state": PAIRED, "with": pair.other(side).key}
            return value | {"made_match": side.key == pair.declaration.key, "finding": finding}
        declaration = self.pending.get(key)
        if declaration is not None:
            return self._pending(declaration)
        received = self._known.get(key, (self._clock(), SETTLED))[0]
        return {"state": SETTLED, "received_at": received.isoformat()}

    @staticmethod
    def _pending(declaration: FiledDeclaration) -> Value:
        received = declaration.received_at.isoformat()
        return {"state": PENDING, "received_at": received, "declaration": declaration_fields(declaration)}

    def put(self, key: str, value: Value) -> None:
        key = key.removeprefix(self.prefix)
        self._paired.pop(key, None)
        pair = self.scored.of.get(key)
        if pair is not None:
            self.scored.remove(pair)
        self.pending.remove(key)
        if value["state"] == PENDING:
            declaration = self._declaration(value)
            self.pending.add(declaration)
            if declaration.flow is Flow.EXPORT:
                self._event_time.watch(declaration)
        elif value["state"] == PAIRED:
            self._paired[key] = value
            other = self._paired.get(value["with"])
            if other is not None and other["with"] == key:
                made, counterpart = (value, other) if value["made_match"] else (other, value)
                finding = made["finding"]
                self.scored.add(
                    ScoredPair(
                        self._declaration(made),
                        self._declaration(counterpart),
                        None if finding is None else DeclarationDiscrepancy.model_validate_json(finding),
                    )
                )
        self._track(key, value)

    def _declaration(self, value: dict[str, Any]) -> FiledDeclaration:
        return restored(value["declaration"], dt.datetime.fromisoformat(value["received_at"]), self._hs)
