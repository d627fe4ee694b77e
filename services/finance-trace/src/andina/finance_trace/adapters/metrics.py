"""The service's own Prometheus figures, beside the bus's (andina.shared.metrics)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class FinanceMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.transfers = Counter(
            "andina_finance_trace_transfers", "Transfers recorded, by reporting FIU", ["origin"], registry=registry
        )
        self.refused_transactions = Counter(
            "andina_finance_trace_refused_transactions",
            "Transactions refused in reports otherwise recorded, by reporting FIU and rule",
            ["origin", "rule"],
            registry=registry,
        )
        self.findings = Counter(
            "andina_finance_trace_findings",
            "Patterns detected, by pattern and severity",
            ["pattern", "severity"],
            registry=registry,
        )
        # The Observatorio's aggregates: bounded labels only (andina.shared.observatory).
        self.patterns = Counter(
            "andina_finance_trace_patterns",
            "Patterns detected, by pattern, corridor (country of the first payer-of the last payee) and USD band",
            ["pattern", "corridor", "usd_band"],
            registry=registry,
        )
        self.patterns_usd = Counter(
            "andina_finance_trace_patterns_usd",
            "Money the detected patterns moved, in USD, by the labels of andina_finance_trace_patterns",
            ["pattern", "corridor", "usd_band"],
            registry=registry,
        )
        self.alerts = Counter(
            "andina_finance_trace_alerts_requested", "Urgent findings sent to the 24/7 network", registry=registry
        )
        self.shared = Counter(
            "andina_finance_trace_subjects_shared",
            "Shared-subject notices, by recipient FIU",
            ["recipient"],
            registry=registry,
        )
        self.traces = Counter(
            "andina_finance_trace_traces", "Traces answered, by requester", ["origin"], registry=registry
        )
        self.trace_seconds = Histogram(
            "andina_finance_trace_trace_seconds",
            "Time to compute a trace in memory",
            registry=registry,
            buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0),
        )
        self.detail_requests = Counter(
            "andina_finance_trace_detail_requests",
            "Detail requests, by requester and owner",
            ["origin", "owner"],
            registry=registry,
        )
        self.detail_answers = Counter(
            "andina_finance_trace_detail_answers", "Detail requests closed, by outcome", ["outcome"], registry=registry
        )
        self.graph_transfers = Gauge(
            "andina_finance_trace_graph_transfers", "Transfers held in the in-memory graph", registry=registry
        )
        self.graph_accounts = Gauge(
            "andina_finance_trace_graph_accounts", "Accounts held in the in-memory graph", registry=registry
        )
