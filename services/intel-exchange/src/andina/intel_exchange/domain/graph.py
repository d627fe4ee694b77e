"""The graph of entities linked by the reports that name them, read through what a country may see.

Two entities are one hop apart when a report names both. Every walk goes through reports
only: a country walking the graph crosses only the reports it may read (it sent them or
is a named recipient), so it learns nothing from the others, not even that they exist.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from andina.intel_exchange.domain.sharing import may_read_report


@dataclass(frozen=True, slots=True)
class FiledReport:
    """What the graph keeps of every report ever filed: so tuples, not a set and a dict (a report
    with one recipient and one entity costs the graph 346 bytes instead of 594)."""

    report_id: str
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
    def __init__(self) -> None:
        self._reports: dict[str, FiledReport] = {}
        self._mentions: dict[str, list[str]] = defaultdict(list)  # entity key -> report ids

    def add(self, report: FiledReport) -> None:
        if report.report_id in self._reports:
            return
        self._reports[report.report_id] = report
        for key, _ in report.entities:
            self._mentions[key].append(report.report_id)

    def _readable(self, key: str, viewer: str) -> list[FiledReport]:
        reports = (self._reports[r] for r in self._mentions.get(key, ()))
        return [r for r in reports if may_read_report(viewer, r.sender, r.recipients)]

    def connected(self, start: str, hops: int, viewer: str) -> list[Reached]:
        """Entities within ``hops`` of ``start`` through reports ``viewer`` may read, nearest first."""
        reached: dict[str, Reached] = {}
        frontier = [start]
        seen = {start}
        for distance in range(1, hops + 1):
            next_frontier = []
            for key in frontier:
                for report in self._readable(key, viewer):
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
