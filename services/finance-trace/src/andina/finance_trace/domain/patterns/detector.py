"""Runs every detector around the transfers of a report and keeps each finding once.

A finding's id is derived from its pattern and the network ids of its transactions, so the
same evidence always gives the same id (a report handled again after a crash re-emits
the same finding, which consumers recognise). A candidate sharing a transaction with an
earlier finding of the same pattern is the same story growing (one more deposit, one more
hop) and is not reported again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID, uuid5

from andina.finance_trace.domain.graph import TransactionGraph
from andina.finance_trace.domain.patterns.flows import flows
from andina.finance_trace.domain.patterns.policy import Detection, PatternPolicy
from andina.finance_trace.domain.patterns.windows import fans, pass_through, structuring
from andina.shared.events.finance_trace import Pattern
from andina.shared.events.signals import Severity
from andina.shared.ids import ANDINA_NAMESPACE

Detector = Callable[[TransactionGraph, int, PatternPolicy], list[Detection]]
DETECTORS: tuple[Detector, ...] = (structuring, fans, pass_through, flows)


@dataclass(frozen=True)
class Finding:
    id: UUID
    detection: Detection
    severity: Severity
    urgent: bool


def finding_id(graph: TransactionGraph, detection: Detection) -> UUID:
    transactions = sorted(graph.transaction_id(edge) for edge in detection.edges)
    return uuid5(ANDINA_NAMESPACE, "|".join(["finding", detection.pattern.value, *transactions]))


class PatternDetector:
    def __init__(self, graph: TransactionGraph, policy: PatternPolicy) -> None:
        self.graph = graph
        self.policy = policy
        self._flagged: dict[Pattern, dict[int, UUID]] = {pattern: {} for pattern in Pattern}

    def detect(self, edges: Iterable[int]) -> list[Finding]:
        """The findings the given (new) transfers complete, each once; remembers them."""
        findings: dict[UUID, Finding] = {}
        for edge in sorted(set(edges), key=self.graph.time.__getitem__):
            for detector in DETECTORS:
                for detection in detector(self.graph, edge, self.policy):
                    known = finding_id(self.graph, detection)
                    flagged = self._flagged[detection.pattern]
                    if known in findings or {flagged[e] for e in detection.edges if e in flagged} - {known}:
                        continue
                    severity = self.policy.severity(detection.pattern, detection.amount_usd)
                    findings[known] = Finding(known, detection, severity, self.policy.urgent(severity))
                    self.remember(detection.pattern, detection.edges, known)
        return list(findings.values())

    def renumber(self, edge_map: Sequence[int]) -> None:
        """Follow the graph forgetting old transfers: their marks go, the others' edges are renumbered."""
        for pattern, flagged in self._flagged.items():
            self._flagged[pattern] = {edge_map[e]: known for e, known in flagged.items() if edge_map[e] >= 0}

    def remember(self, pattern: Pattern, edges: Iterable[int], known: UUID) -> None:
        """Mark the evidence of a finding (also used at start-up, from the store)."""
        flagged = self._flagged[pattern]
        for edge in edges:
            flagged.setdefault(edge, known)
