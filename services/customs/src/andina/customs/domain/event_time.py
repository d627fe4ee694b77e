"""Event time of the cross-checks: how far each country has filed, and which exports are overdue.

The time between two declarations is judged on their declared dates, never on when the
service received them: a month of declarations replayed in seconds (a backfill, a new member
loading its history, a recovery) gives the findings it gave when filed day by day.

A country's *watermark* is the latest date it has declared, less an allowed lateness (a
country does not file in strict date order). An export is overdue once the watermark of
its importing country reaches the export's declared date plus the wait: that country has
filed the days in which the import should have been, and it was not among them.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right, insort
from collections import defaultdict
from collections.abc import Mapping

from andina.customs.domain.declarations import FiledDeclaration


class EventTime:
    def __init__(self, wait: dt.timedelta, lateness: dt.timedelta) -> None:
        self._wait = dt.timedelta(days=wait.days)  # declared dates are days: a part of a day counts as none
        self._lateness = lateness
        self._latest: dict[str, dt.date] = {}  # the latest declared date per filing country
        # Exports awaiting their import, by importing country, in order of the day the import was due by.
        self._deadlines: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)

    def watermark(self, country: str, declared_on: dt.date | None = None) -> dt.date | None:
        """How far ``country`` has filed (with a declaration of ``declared_on`` counted, if given)."""
        latest = max(filter(None, (self._latest.get(country), declared_on)), default=None)
        return None if latest is None else latest - self._lateness

    def due_by(self, export: FiledDeclaration) -> dt.date:
        """The day by which the import of ``export`` was due."""
        return export.summary.declared_on + self._wait

    def overdue(self, declaration: FiledDeclaration, waits: bool) -> list[str]:
        """Keys of the exports that filing ``declaration`` makes overdue; nothing is changed.

        Those its filing country's new watermark has passed (some may have matched since:
        the caller keeps those still pending), and itself when ``waits`` (an export left
        pending) and its importing country had already filed past its deadline.
        """
        mark = self.watermark(declaration.country, declaration.summary.declared_on)
        deadlines = self._deadlines.get(declaration.country, [])
        # Once each: an export paired, then released again, is watched twice.
        keys = dict.fromkeys(key for _, key in deadlines[: self._passed(deadlines, mark)])
        if waits and self.passed(declaration):
            keys[declaration.key] = None
        return list(keys)

    def passed(self, export: FiledDeclaration) -> bool:
        """Whether the importing country of ``export`` has already filed past its deadline."""
        importer_mark = self.watermark(export.importer)
        return importer_mark is not None and self.due_by(export) <= importer_mark

    def record(self, declaration: FiledDeclaration, waits: bool) -> None:
        """Count a kept declaration: its country's watermark moves, an export left pending awaits its import."""
        country, declared_on = declaration.country, declaration.summary.declared_on
        if declared_on > self._latest.get(country, dt.date.min):
            self._latest[country] = declared_on
        deadlines = self._deadlines[country]
        del deadlines[: self._passed(deadlines, self.watermark(country))]  # reported by ``overdue`` already
        if waits:
            self.watch(declaration)

    def watch(self, export: FiledDeclaration) -> None:
        insort(self._deadlines[export.importer], (self.due_by(export), export.key))

    def restore(self, latest: Mapping[str, dt.date]) -> None:
        """The latest declared dates kept in the store, at start-up."""
        self._latest.update(latest)

    @staticmethod
    def _passed(deadlines: list[tuple[dt.date, str]], mark: dt.date | None) -> int:
        # "\uffff" sorts after every key: all deadlines of the watermark's day are included.
        return 0 if mark is None else bisect_right(deadlines, (mark, "\uffff"))
