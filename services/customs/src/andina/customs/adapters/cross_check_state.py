"""What the customs cross-checks hold in memory, kept the same on every instance by one changelog.

Four tables share the service's changelog topic (:mod:`andina.shared.changelog_tables`): the
declarations matching looks up (:mod:`.declaration_table`), how far each country has filed
(its watermark, here), the revision of each export's unmatched finding (here: a late import filed
through any instance withdraws what another reported) and the live risk indicators
(:mod:`.indicator_table`). Every instance
reads the topic as a global table (:mod:`andina.shared.changelog`), whichever countries'
partitions it holds; with no snapshot yet, the state is read from the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from andina.customs.adapters.declaration_table import DeclarationTable
from andina.customs.adapters.indicator_table import IndicatorTable
from andina.customs.domain.declarations import FiledDeclaration
from andina.customs.domain.event_time import EventTime
from andina.customs.domain.findings import FindingRules
from andina.customs.domain.hs import HsTable
from andina.customs.domain.matching import MatchPolicy
from andina.customs.domain.unmatched import UnmatchedRevisions
from andina.customs.handlers.ports import DeclarationRepository, IndicatorRepository
from andina.shared.changelog_tables import Note, PrefixedTables, Value, VersionedTable
from andina.shared.snapshots import Entry
from andina.shared.timers import Clock


class SharedEventTime(EventTime):
    def __init__(self, rules: FindingRules, moved: Callable[[str, dt.date], None]) -> None:
        super().__init__(rules.unmatched_after, rules.allowed_lateness)
        self._moved = moved  # a country's latest declared date, moved by a declaration filed here

    def record(self, declaration: FiledDeclaration, waits: bool) -> None:
        before = self.watermark(declaration.country)
        super().record(declaration, waits)
        if self.watermark(declaration.country) != before:
            self._moved(declaration.country, declaration.summary.declared_on)


class WatermarkTable(VersionedTable):
    """Each country's latest declared date; its day number is the version, so a later date always wins."""

    def __init__(self, rules: FindingRules, note: Note) -> None:
        super().__init__("watermark/", note)
        self.event_time = SharedEventTime(rules, self._moved)

    def latest_entry(self, country: str, declared_on: dt.date) -> Entry:
        return self.entry(self.prefix + country, {"declared_on": declared_on.isoformat()}, declared_on.toordinal())

    def _moved(self, country: str, declared_on: dt.date) -> None:
        self.change(country, self.prefix + country, {"declared_on": declared_on.isoformat()}, declared_on.toordinal())

    def put(self, key: str, value: Value) -> None:
        self.event_time.restore({key.removeprefix(self.prefix): dt.date.fromisoformat(value["declared_on"])})


class SharedRevisions(UnmatchedRevisions):
    def __init__(self, moved: Callable[[str, int], None]) -> None:
        super().__init__()
        self._moved = moved  # an export's latest revision, moved by a filing or fallback here

    def filed(self, paired: Iterable[str | None], reported: Iterable[str]) -> None:
        paired, reported = list(paired), list(reported)
        before = {key: self.latest.get(key, 0) for key in [*paired, *reported] if key is not None}
        super().filed(paired, reported)
        for key, revision in before.items():
            if self.latest.get(key, 0) != revision:
                self._moved(key, self.latest[key])


class RevisionTable(VersionedTable):
    """Each export's latest unmatched revision; the revision is the version, so a later one always wins."""

    def __init__(self, note: Note) -> None:
        super().__init__("reported/", note)
        self.revisions = SharedRevisions(self._moved)

    def latest_entry(self, export_key: str, revision: int) -> Entry:
        return self.entry(self.prefix + export_key, {"revision": revision}, revision)

    def _moved(self, export_key: str, revision: int) -> None:
        country = export_key.split("/", 1)[0]
        self.change(country, self.prefix + export_key, {"revision": revision}, revision)

    def put(self, key: str, value: Value) -> None:
        self.revisions.latest[key.removeprefix(self.prefix)] = value["revision"]


class CrossCheckState:
    def __init__(self, policy: MatchPolicy, rules: FindingRules, hs: HsTable, clock: Clock, note: Note) -> None:
        self._rules, self._hs, self._clock = rules, hs, clock
        self.watermarks = WatermarkTable(rules, note)
        self.declarations = DeclarationTable(policy, self.watermarks.event_time, hs, rules.retention, clock, note)
        self.indicators = IndicatorTable(note)
        self.reported = RevisionTable(note)
        self.tables = PrefixedTables([self.declarations, self.watermarks, self.indicators, self.reported])

    async def from_store(self, declarations: DeclarationRepository, indicators: IndicatorRepository) -> list[Entry]:
        """The state as the store holds it: the declarations still pending, how far each country has filed,
        which exports were reported unmatched, the live indicators."""
        now = self._clock()
        kept = await declarations.pending(now - self._rules.retention, self._hs)
        return [
            *(self.declarations.pending_entry(declaration) for declaration in kept.pending),
            *(self.watermarks.latest_entry(country, day) for country, day in kept.latest_declared.items()),
            *(self.reported.latest_entry(key, revision) for key, revision in kept.reported.latest.items()),
            *(self.indicators.live_entry(indicator) for indicator in await indicators.live(now.date())),
        ]
