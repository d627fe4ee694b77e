"""Everything the service holds in memory, rebuilt from the store at start-up."""

from __future__ import annotations

from collections.abc import Sequence

from andina.finance_trace.domain.aliases import Aliases
from andina.finance_trace.domain.graph import Plan, TransactionGraph
from andina.finance_trace.domain.model import Holding, ValidReport
from andina.finance_trace.domain.patterns.detector import PatternDetector
from andina.finance_trace.domain.patterns.policy import PatternPolicy
from andina.finance_trace.domain.sharing import Disclosures, Subjects
from andina.finance_trace.domain.tracing import Tracer


class FinanceState:
    def __init__(
        self, countries: Sequence[str], policy: PatternPolicy, trace_max_edges: int, trace_max_bytes: int
    ) -> None:
        self.graph = TransactionGraph(countries)
        self.aliases = Aliases()
        self.subjects = Subjects()
        self.disclosures = Disclosures()
        self.detector = PatternDetector(self.graph, policy)
        self.tracer = Tracer(self.graph, self.subjects, self.aliases, trace_max_edges, trace_max_bytes)

    def apply(self, report: ValidReport, plan: Plan, holdings: Sequence[Holding]) -> list[int]:
        """Add a report already written to the store; return the edges whose patterns to look for."""
        self.aliases.add(report.aliases)
        edges = self.graph.apply(plan)
        for holding in holdings:
            self.subjects.hold(holding, report.report_id)
        self.subjects.link_parties(report.parties)
        return edges
