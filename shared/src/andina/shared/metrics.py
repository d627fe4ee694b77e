"""The project's own Prometheus metrics, one registry per service instance.

FastStream's Prometheus middleware adds the transport figures (messages, sizes,
durations per topic) to the same registry; these add the contract's own.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram


class ServiceMetrics:
    def __init__(self, service: str, registry: CollectorRegistry | None = None) -> None:
        self.service = service
        self.registry = registry or CollectorRegistry()
        self.received = Counter(
            "andina_events_received",
            "Events admitted by the gate, by type and sending country",
            ["service", "type", "origin"],
            registry=self.registry,
        )
        self.published = Counter(
            "andina_events_published",
            "Events emitted, by type and the country whose partition they went to",
            ["service", "type", "recipient"],
            registry=self.registry,
        )
        self.dead_letters = Counter(
            "andina_dead_letters",
            "Inbound records sent to the dead-letter topic, by reason",
            ["service", "reason"],
            registry=self.registry,
        )
        self.redeliveries = Counter(
            "andina_redeliveries",
            "Records delivered again after a crash or rebalance and recognised as already processed",
            ["service"],
            registry=self.registry,
        )
        self.handling_seconds = Histogram(
            "andina_event_handling_seconds",
            "Time from admission to the end of the handler and its writes",
            ["service", "type"],
            registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
        )
