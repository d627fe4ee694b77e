"""Exports awaiting their import: the revisions of their unmatched findings, and the fallback timers.

An export reported unmatched stays matchable: its import may be filed after the deadline
(the importing country filed that day later than the allowed lateness). Then the finding is
withdrawn, under the next revision; if that import goes to another export later, the export is
reported again, under the revision after. :class:`UnmatchedRevisions` keeps the latest.

The fallback deadlines are timers that survive restarts.

Exports are judged on declared dates (domain/event_time.py); these wall-clock timers only
catch a partner that files nothing new, long after the export was received. One timer
per exporter and slot of received time (an hour, or 1/24 of the wait when that is
shorter), not one per export: the timer collection stays small, which FerretDB scans
on every poll. When a slot's timer fires, its exports still pending are reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from andina.customs.domain.declarations import FiledDeclaration

UNMATCHED = "unmatched-exports"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def slot_width(wait: dt.timedelta) -> dt.timedelta:
    return min(dt.timedelta(hours=1), max(dt.timedelta(seconds=1), wait / 24))


def slot_start(moment: dt.datetime, width: dt.timedelta) -> dt.datetime:
    """The start of the slot of ``width`` that ``moment`` falls in, slots counted from the epoch."""
    return EPOCH + (moment - EPOCH) // width * width


@dataclass
class UnmatchedRevisions:
    """The latest revision of each export's unmatched finding: odd, it stands; even, it was withdrawn."""

    latest: dict[str, int] = field(default_factory=dict)  # by export key
    # Assumed at start-up to be reported by the fallback timer, which keeps no record of what it sent.
    assumed: set[str] = field(default_factory=set)

    def standing(self, key: str) -> bool:
        return self.latest.get(key, 0) % 2 == 1

    def next(self, key: str) -> int:
        """The revision of the next finding on this export: a report if none stands, else its withdrawal."""
        return self.latest.get(key, 0) + 1

    def filed(self, paired: Iterable[str | None], reported: Iterable[str]) -> None:
        """What one filing (or fallback) did: the standing findings of the exports it ``paired`` are withdrawn,
        and those it ``reported`` stand. The handlers, the store's restore and its fakes all count this way."""
        for key in paired:
            if key is not None and self.standing(key):
                self.latest[key] += 1
                self.assumed.discard(key)
        for key in reported:
            if not self.standing(key):
                self.latest[key] = self.next(key)
            self.assumed.discard(key)

    def assume_reported(self, key: str) -> None:
        """At start-up, an export never reported nor withdrawn, still pending past its fallback time: the fallback
        timer reported it, or is about to (it fired while the service was down). Its finding stands."""
        if key not in self.latest:
            self.latest[key] = 1
            self.assumed.add(key)

    def fallback_revision(self, key: str) -> int | None:
        """The revision the fallback timer reports: the next when none stands; the first again when only assumed
        (the same id and content: sent before, it is dropped as a re-publication); none when one stands."""
        if key in self.assumed:
            return self.latest[key]
        return None if self.standing(key) else self.next(key)

    def keep_only(self, matchable: Callable[[str], bool]) -> None:
        """Forget the exports that can no longer be paired (a match by document is final, the old are evicted)."""
        self.latest = {key: revision for key, revision in self.latest.items() if matchable(key)}
        self.assumed = {key for key in self.assumed if key in self.latest}


@dataclass(frozen=True, slots=True)
class SlotTimer:
    """The timer of one exporter's slot: due once the slot's last export has waited long enough."""

    id: str
    due_at: dt.datetime
    data: dict[str, Any]


class UnmatchedSlots:
    def __init__(self, wait: dt.timedelta) -> None:
        self._wait = wait
        self._width = slot_width(wait)
        self._scheduled: set[str] = set()  # slots this process scheduled already: one write per slot

    def _start(self, export: FiledDeclaration) -> dt.datetime:
        return slot_start(export.received_at, self._width)

    def due_at(self, export: FiledDeclaration) -> dt.datetime:
        """When the fallback timer of this export's slot falls due."""
        return self._start(export) + self._width + self._wait

    def timer(self, export: FiledDeclaration) -> SlotTimer | None:
        """The timer of this export's slot, unless this process scheduled it already."""
        start = self._start(export)
        timer_id = f"{UNMATCHED}/{export.exporter}/{start.isoformat()}"
        if timer_id in self._scheduled:
            return None
        end = start + self._width
        return SlotTimer(timer_id, self.due_at(export), {"exporter": export.exporter, "start": start, "end": end})

    def scheduled(self, timer_id: str) -> None:
        self._scheduled.add(timer_id)

    def forget(self, timer_id: str) -> None:
        self._scheduled.discard(timer_id)
