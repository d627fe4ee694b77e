"""What the Observatorio counts of a detected pattern: its kind, the pair of countries the money
crossed and a band of its amount, never an account or a transfer."""

from __future__ import annotations

from andina.finance_trace.adapters.metrics import FinanceMetrics
from andina.finance_trace.domain.graph import TransactionGraph
from andina.finance_trace.domain.patterns.detector import Finding
from andina.shared.observatory import corridor, usd_band


def count_pattern(metrics: FinanceMetrics, graph: TransactionGraph, finding: Finding) -> None:
    detection = finding.detection
    first, last = detection.edges[0], detection.edges[-1]
    crossed = corridor(graph.country_of(graph.source[first]), graph.country_of(graph.target[last]))
    labels = (detection.pattern.value, crossed, usd_band(detection.amount_usd))
    metrics.patterns.labels(*labels).inc()
    metrics.patterns_usd.labels(*labels).inc(detection.amount_usd)
