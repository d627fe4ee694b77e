"""A known set of events counted by the services' own code, and a Prometheus that answers the
report's queries from those counters (all of them grown within the period asked about)."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from typing import Any

from prometheus_client import CollectorRegistry

from andina.alerts.adapters.metrics import AlertsMetrics
from andina.contract.events.customs.seizures import SeizureReport
from andina.customs.adapters.metrics import CustomsMetrics
from andina.customs.adapters.observatory import count_seizure, count_trade_finding
from andina.deploy.kpi_figures import Prometheus
from andina.finance_trace.adapters.metrics import FinanceMetrics
from andina.intel_exchange.adapters.metrics import IntelMetrics
from tests.customs_samples import RATES, filed, gold_export, mercury_seizure

COCAINE = {"hs_code": "293979", "description": "Clorhidrato de cocaína"}
GOLD = {"hs_code": "710812", "description": "Oro en bruto"}
# (how many, the seizure report): cocaine at Desaguadero in two routes, mercury there too, gold at
# Huaquillas, and one seizure at an office of no known post.
SEIZURES = (
    (4, mercury_seizure(commodity=COCAINE, quantity="50", route={"origin": "BO", "destination": "PE"})),
    (3, mercury_seizure(commodity=COCAINE, quantity="20", route={"origin": "PE", "destination": "BO"})),
    (2, mercury_seizure()),
    (6, mercury_seizure(commodity=GOLD, quantity="3", office="Aduana de Huaquillas", route={"origin": "EC"})),
    (1, mercury_seizure(office="Aduana de Puno", place="Puno")),
)
UNMATCHED_GOLD_EXPORTS = 5


def known_events(registry: CollectorRegistry) -> None:
    customs = CustomsMetrics(registry)
    for times, payload in SEIZURES:
        for _ in range(times):
            count_seizure(customs, SeizureReport.model_validate(payload), RATES)
    for _ in range(UNMATCHED_GOLD_EXPORTS):
        count_trade_finding(customs, "unmatched-shipment", filed(gold_export(), "PE").summary)
    finance = FinanceMetrics(registry)
    finance.patterns.labels("structuring", "PE-BO", "10k-100k").inc(6)
    finance.patterns_usd.labels("structuring", "PE-BO", "10k-100k").inc(240_000)
    alerts = AlertsMetrics(registry)
    alerts.raised.labels("PE", "FLASH", "drug-shipment").inc(7)
    alerts.raised.labels("CO", "URGENT", "illegal-mining").inc(2)
    for seconds in (30, 60, 90, 120, 600):
        alerts.ack_latency.labels("FLASH").observe(seconds)
    alerts.ack_latency.labels("ROUTINE").observe(3600)
    intel = IntelMetrics(registry)
    intel.hits_by_record_type.labels("warrant", "CO").inc(5)
    intel.screenings.labels("PE", "hit").inc(5)
    intel.screenings.labels("PE", "no-hit").inc(40)


class RegistryPrometheus(Prometheus):
    """Answers ``sum by (...) (<growth of a counter>)`` with the registry's values (they all grew
    from zero within the period); any other query (a quantile, a range) with nothing."""

    QUERY = re.compile(r"sum by \(([^)]*)\) \(\((\w+)(?:\{([^}]*)\})?")

    def __init__(self, registry: CollectorRegistry) -> None:
        super().__init__("http://unused")
        self.registry = registry

    def at(self, promql: str, when: datetime) -> list[dict[str, Any]]:
        match = self.QUERY.match(promql)
        if match is None:
            return []
        by = [label.strip() for label in match.group(1).split(",") if label.strip()]
        wanted = dict(re.findall(r'(\w+)="([^"]*)"', match.group(3) or ""))
        sums: dict[tuple[str, ...], float] = defaultdict(float)
        for family in self.registry.collect():
            for sample in family.samples:
                if sample.name == match.group(2) and wanted.items() <= sample.labels.items():
                    sums[tuple(sample.labels.get(k, "") for k in by)] += sample.value
        return [
            {"metric": dict(zip(by, key, strict=True)), "value": [when.timestamp(), str(value)]}
            for key, value in sums.items()
        ]

    def over(self, promql: str, start: datetime, end: datetime, step: float) -> list[dict[str, Any]]:
        return []
