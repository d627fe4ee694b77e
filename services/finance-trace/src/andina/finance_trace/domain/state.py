"""Everything the service holds in memory, rebuilt from the store at start-up."""

from __future__ import annotations

from collections.abc import Sequence
from math import inf

from andina.finance_trace.domain.aliases import Aliases
from andina.finance_trace.domain.findings import Revisions
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
        self.horizon = horizon  # seconds: older transfers, and what was not named or shown since, are in the store only
        self.regrowth = Regrowth()  # when to look for transfers past the horizon
        self.graph = TransactionGraph(countries)
        self.aliases = Aliases()
        self.subjects = Subjects()
        self.disclosures = Disclosures()
        self.detector = PatternDetector(self.graph, policy)
        self.revisions = Revisions()
        self.tracer = Tracer(self.graph, self.subjects, self.aliases, trace_max_edges, trace_max_bytes)

    def since(self, now: float) -> float:
        """The time of the oldest transfer held at ``now``."""
        return now - self.horizon

    def plan(self, report_id: str, reporter: str, transfers: Sequence[Transfer], now: float) -> Plan:
        return self.graph.plan(report_id, reporter, transfers, self.since(now))

    def apply(self, report: ValidReport, plan: Plan, now: float) -> list[int]:
        """Add a report already written to the store; return the edges whose patterns to look for."""
        self.aliases.add(report.aliases)
        edges = self.graph.apply(plan)
        for holding in report.holdings:
            self.subjects.hold(holding, report.report_id, now)
        self.subjects.link_parties(report.parties, now)
        return edges

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
        edge_map = self.graph.forget(self.since(now))
        self.regrowth.looked(self._held())
        if edge_map is None:
            return list(edges)
        self.detector.renumber(edge_map)
        return [edge_map[e] for e in edges if edge_map[e] >= 0]
