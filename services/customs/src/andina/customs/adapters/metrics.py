"""The customs service's own figures for the Observatorio (Prometheus, ``andina_customs_*``)."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry

from andina.shared.metrics import Declare


class CustomsMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        declare = Declare(registry)
        self.declarations = declare.counter(
            "andina_customs_declarations", "Declarations filed, by filing country and flow", ("country", "flow")
        )
        self.matches = declare.counter(
            "andina_customs_matches",
            "Exports matched with the import of the same shipment, by lane and how they were matched",
            ("exporter", "importer", "method"),
        )
        self.findings = declare.counter(
            "andina_customs_findings",
            "Findings reported (discrepancy, unmatched-shipment, risk-hit), by severity and country concerned",
            ("kind", "severity", "country"),
        )
        self.requests = declare.counter(
            "andina_customs_assistance_requests",
            "Mutual-assistance requests, by requesting and requested administration and urgency",
            ("requester", "requested", "urgency"),
        )
        self.transitions = declare.counter(
            "andina_customs_assistance_transitions",
            "Status changes of mutual-assistance requests, by new status and the administration that made it",
            ("status", "by"),
        )
        self.overdue = declare.counter(
            "andina_customs_assistance_overdue",
            "Requests whose deadline passed without an answer, by requested administration",
            ("requested",),
        )
        self.seizures = declare.counter(
            "andina_customs_seizure_reports",
            "Seizure reports, by reporter and whether they were a new seizure or merged into a known one",
            ("reporter", "outcome"),
        )
        # The Observatorio's aggregates: bounded labels only (andina.shared.observatory).
        seized = ["hs_chapter", "border_post", "route", "dimension"]
        self.seized = declare.counter(
            "andina_customs_seized",
            "Seizures, each once however often reported, by HS chapter, border post, route and unit dimension",
            seized,
        )
        self.seized_quantity = declare.counter(
            "andina_customs_seized_quantity",
            "Quantity seized in the dimension's base unit (kg, litre, piece), by the labels of andina_customs_seized",
            seized,
        )
        self.seized_value_usd = declare.counter(
            "andina_customs_seized_value_usd",
            "Declared value of the seizures in USD, by the labels of andina_customs_seized",
            seized,
        )
        trade = ["kind", "hs_heading", "corridor"]
        self.trade_findings = declare.counter(
            "andina_customs_trade_findings",
            "Discrepancies and unmatched exports, by kind, HS heading and corridor (exporter-destination)",
            trade,
        )
        self.trade_findings_value_usd = declare.counter(
            "andina_customs_trade_findings_value_usd",
            "Declared export value of those findings in USD, by the labels of andina_customs_trade_findings",
            trade,
        )
        self._pending = declare.gauge("andina_customs_pending_declarations", "Declarations awaiting their counterpart")
        self._indicators = declare.gauge(
            "andina_customs_risk_indicators", "Risk indicators held in memory (live or expired)"
        )

    def watch(self, pending: Callable[[], float], indicators: Callable[[], float]) -> None:
        """Read the in-memory index sizes at each scrape."""
        self._pending.set_function(pending)
        self._indicators.set_function(indicators)
