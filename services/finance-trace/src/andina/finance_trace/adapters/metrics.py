"""The service's own Prometheus figures, beside the bus's (andina.shared.metrics)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry

from andina.shared.metrics import Declare


class FinanceMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        declare = Declare(registry)
        self.transfers = declare.counter(
            "andina_finance_trace_transfers", "Transfers recorded, by reporting FIU", ("origin",)
        )
        self.refused_transactions = declare.counter(
            "andina_finance_trace_refused_transactions",
            "Transactions refused in reports otherwise recorded, by reporting FIU and rule",
            ("origin", "rule"),
        )
        self.refused_parties = declare.counter(
            "andina_finance_trace_refused_parties",
            "Parties refused (their links not recorded) in reports otherwise recorded, by reporting FIU and rule",
            ("origin", "rule"),
        )
        self.findings = declare.counter(
            "andina_finance_trace_findings", "Patterns detected, by pattern and severity", ("pattern", "severity")
        )
        # The Observatorio's aggregates: bounded labels only (andina.shared.observatory).
        self.patterns = declare.counter(
            "andina_finance_trace_patterns",
            "Patterns detected, by pattern, corridor (country of the first payer-of the last payee) and USD band",
            ("pattern", "corridor", "usd_band"),
        )
        self.patterns_usd = declare.counter(
            "andina_finance_trace_patterns_usd",
            "Money the detected patterns moved, in USD, by the labels of andina_finance_trace_patterns",
            ("pattern", "corridor", "usd_band"),
        )
        self.alerts = declare.counter(
            "andina_finance_trace_alerts_requested", "Urgent findings sent to the 24/7 network"
        )
        self.shared = declare.counter(
            "andina_finance_trace_subjects_shared", "Shared-subject notices, by recipient FIU", ("recipient",)
        )
        self.traces = declare.counter("andina_finance_trace_traces", "Traces answered, by requester", ("origin",))
        self.trace_seconds = declare.histogram(
            "andina_finance_trace_trace_seconds",
            "Time to compute a trace in memory",
            buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0),
        )
        self.detail_requests = declare.counter(
            "andina_finance_trace_detail_requests", "Detail requests, by requester and owner", ("origin", "owner")
        )
        self.detail_answers = declare.counter(
            "andina_finance_trace_detail_answers", "Detail requests closed, by outcome", ("outcome",)
        )
        self.graph_transfers = declare.gauge(
            "andina_finance_trace_graph_transfers", "Transfers held in the in-memory graph"
        )
        self.graph_accounts = declare.gauge(
            "andina_finance_trace_graph_accounts", "Accounts held in the in-memory graph"
        )
        self.findings_held = declare.gauge(
            "andina_finance_trace_findings_held", "Findings told, by any instance, whose latest revision is held"
        )
        self.disclosures_held = declare.gauge(
            "andina_finance_trace_disclosures_held",
            "Details owners disclosed (one per requester, subject and owner), through any instance, held",
        )
