"""The graph of entities linked by the reports that name them, read through what a country may see.

Two entities are one hop apart when a report names both. Every walk goes through reports
only: a country walking the graph crosses only the reports it may read (it sent them or
is a named recipient), so it learns nothing from the others, not even that they exist.
Reports filed before the horizon are not walked and leave memory (the store keeps them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from math import inf

from andina.intel_exchange.domain.sharing import may_read_report
from andina.shared.horizon import Regrowth


@dataclass(frozen=True, slots=True)
class FiledReport:
    """What the graph keeps of every report ever filed: so tuples, not a set and a dict (a report
    with one recipient and one entity costs the graph 346 bytes instead of 594)."""

    report_id: str
    filed_at: float  # seconds since the epoch
    sender: str
    recipients: tuple[str, ...]
    entities: tuple[tuple[str, str], ...]  # (entity key, the value as this report wrote it)


@dataclass(frozen=True, slots=True)
class Reached:
    key: str
    value: str
    distance: int
    reports: list[str] = field(default_factory=list)


class EntityGraph:
    def __init__(self, horizon: float = inf) -> None:
        self.horizon = horizon  # seconds: reports filed longer ago are not walked
        self._reports: dict[str, FiledReport] = {}
        self._mentions: dict[str, list[str]] = defaultdict(list)  # entity key -> report ids
        self.regrowth = Regrowth()  # when to look for reports past the horizon

    def __len__(self) -> int:
        return len(self._reports)

    def add(self, report: FiledReport, now: float) -> None:
        if report.report_id in self._reports or report.filed_at < now - self.horizon:
            return
        self._reports[report.report_id] = report
        for key, _ in report.entities:
            self._mentions[key].append(report.report_id)

    def look_due(self) -> bool:
        """Whether the graph has grown enough since the last look for reports past the horizon."""
        return self.regrowth.due(len(self._reports))

    def forget(self, now: float) -> None:
        """Drop the reports filed before the horizon, and entities no other report names."""
        since = now - self.horizon
        dropped = {r.report_id: r for r in self._reports.values() if r.filed_at < since}
        for report_id in dropped:
            del self._reports[report_id]
        # Each entity's list is filtered once, however many of its reports go (a busy phone
        # number may be named in thousands).
        for key in {key for report in dropped.values() for key, _ in report.entities}:
            kept = [r for r in self._mentions[key] if r not in dropped]
            if kept:
                self._mentions[key] = kept
            else:
                del self._mentions[key]
        self.regrowth.looked(len(self._reports))

    def _readable(self, key: str, viewer: str, since: float) -> list[FiledReport]:
        reports = (self._reports[r] for r in self._mentions.get(key, ()))
        return [r for r in reports if r.filed_at >= since and may_read_report(viewer, r.sender, r.recipients)]

    def connected(self, start: str, hops: int, viewer: str, now: float) -> list[Reached]:
        """Entities within ``hops`` of ``start`` through reports ``viewer`` may read, nearest first."""
        since = now - self.horizon
        reached: dict[str, Reached] = {}
        frontier = [start]
        seen = {start}
        for distance in range(1, hops + 1):
            next_frontier = []
            for key in frontier:
                for report in self._readable(key, viewer, since):
                    for other, value in report.entities:
                        if other in seen and other not in reached:
                            continue
                        if other not in reached:
                            reached[other] = Reached(other, value, distance)
                            seen.add(other)
                            next_frontier.append(other)
                        if reached[other].distance == distance and report.report_id not in reached[other].reports:
                            reached[other].reports.append(report.report_id)
            frontier = next_frontier
        return sorted(reached.values(), key=lambda r: (r.distance, r.key))
