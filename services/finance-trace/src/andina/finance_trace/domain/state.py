"""Everything the service holds in memory, rebuilt from the store at start-up."""

from __future__ import annotations

from collections.abc import Sequence
from math import inf
from uuid import UUID

from andina.finance_trace.domain.aliases import Aliases
from andina.finance_trace.domain.findings import Revision, Revisions
from andina.finance_trace.domain.graph import Plan, TransactionGraph
from andina.finance_trace.domain.model import Transfer, ValidReport
from andina.finance_trace.domain.patterns.detector import PatternDetector
from andina.finance_trace.domain.patterns.policy import PatternPolicy
from andina.finance_trace.domain.sharing import Disclosures, Subjects
from andina.finance_trace.domain.tracing import Tracer
from andina.shared.horizon import Regrowth


class FinanceState:
    def __init__(
        self,
        countries: Sequence[str],
        policy: PatternPolicy,
        trace_max_edges: int,
        trace_max_bytes: int,
        horizon: float = inf,
    ) -> None:
        # Seconds: transfers older than this before the latest one (event time), and what was not named or
        # shown this long before now (wall clock), are in the store only.
        self.horizon = horizon
        self.regrowth = Regrowth()  # when to look for transfers past the horizon
        self.graph = TransactionGraph(countries)
        self.aliases = Aliases()
        self.subjects = Subjects()
        self.disclosures = Disclosures()
        self.detector = PatternDetector(self.graph, policy)
        self.revisions = Revisions()
        self.tracer = Tracer(self.graph, self.subjects, self.aliases, trace_max_edges, trace_max_bytes)

    def since(self, now: float) -> float:
        """When the oldest holding, party link or disclosure held at ``now`` was named or shown."""
        return now - self.horizon

    def transfers_since(self, now: float, transfers: Sequence[Transfer] = ()) -> float:
        """The time of the oldest transfer held: the horizon back from the latest transfer seen, so that a
        backfill of old transfers is analysed as it was when live; never back from later than ``now``."""
        latest = max([self.graph.latest, *(t.time for t in transfers)])
        return min(latest, now) - self.horizon

    def plan(self, report_id: str, reporter: str, transfers: Sequence[Transfer], now: float) -> Plan:
        return self.graph.plan(report_id, reporter, transfers, self.transfers_since(now, transfers))

    def apply(self, report: ValidReport, plan: Plan, now: float) -> list[int]:
        """Add a report already written to the store; return the edges whose patterns to look for."""
        self.aliases.add(report.aliases)
        edges = self.graph.apply(plan)
        for holding in report.holdings:
            self.subjects.hold(holding, report.report_id, now)
        self.subjects.link_parties(report.parties, report.reporter, now)
        return edges

    def keep_findings(self, reporter: str, revised: Sequence[tuple[UUID, Revision]]) -> None:
        """Hold the revisions of the findings a report of ``reporter`` told, once they are in the store (shared
        with the other instances on ``reporter``'s changelog partition, after the report's transfers)."""
        for finding_id, revision in revised:
            self.revisions.keep(finding_id, revision)

    def show(self, requester: str, refs: Sequence[str], at: float) -> None:
        """What a trace showed ``requester`` at ``at``: it may then ask the subjects' owners for details."""
        self.disclosures.show(requester, refs, at)

    def grant(self, requester: str, subject: str, owner: str, details: dict[str, str]) -> None:
        """The details ``owner`` disclosed to ``requester`` about ``subject``, once in the store."""
        self.disclosures.grant(requester, subject, owner, details)

    def look_due(self) -> bool:
        """Whether what is held has grown enough since the last look for what passed the horizon."""
        return self.regrowth.due(self._held())

    def _held(self) -> int:
        return len(self.graph) + len(self.subjects) + self.subjects.links + self.disclosures.shown

    def forget(self, now: float, edges: Sequence[int] = ()) -> list[int]:
        """Drop transfers, holdings, party links and what traces showed past the horizon; return ``edges``
        renumbered, without those dropped."""
        self.subjects.forget(self.since(now))
        self.disclosures.forget(self.since(now))
        edge_map = self.graph.forget(self.transfers_since(now))
        self.regrowth.looked(self._held())
        if edge_map is None:
            return list(edges)
        self.detector.renumber(edge_map)
        return [edge_map[e] for e in edges if edge_map[e] >= 0]
