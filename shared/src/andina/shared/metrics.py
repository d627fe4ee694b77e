"""The project's own Prometheus metrics, one registry per service instance.

FastStream's Prometheus middleware adds the transport figures (messages, sizes,
durations per topic) to the same registry; these add the contract's own.
"""

from __future__ import annotations

from collections.abc import Sequence

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class Declare:
    """Declares metrics on one registry, one call each: the name, what it counts, its labels.

    Every metric of the project is declared through it, so a family reads the same in every
    service and is always registered where its service's /metrics shows it.
    """

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def counter(self, name: str, documentation: str, labels: Sequence[str] = ()) -> Counter:
        return Counter(name, documentation, labels, registry=self.registry)

    def gauge(self, name: str, documentation: str, labels: Sequence[str] = ()) -> Gauge:
        return Gauge(name, documentation, labels, registry=self.registry)

    def histogram(
        self, name: str, documentation: str, labels: Sequence[str] = (), *, buckets: Sequence[float]
    ) -> Histogram:
        return Histogram(name, documentation, labels, registry=self.registry, buckets=buckets)


class ServiceMetrics:
    def __init__(self, service: str, registry: CollectorRegistry | None = None) -> None:
        self.service = service
        self.registry = registry or CollectorRegistry()
        declare = Declare(self.registry)
        self.received = declare.counter(
            "andina_events_received",
            "Events admitted by the gate, by type and sending country",
            ("service", "type", "origin"),
        )
        self.published = declare.counter(
            "andina_events_published",
            "Events emitted, by type and the country whose partition they went to",
            ("service", "type", "recipient"),
        )
        self.dead_letters = declare.counter(
            "andina_dead_letters",
            "Inbound records sent to the dead-letter topic, by reason",
            ("service", "reason"),
        )
        self.redeliveries = declare.counter(
            "andina_redeliveries",
            "Records delivered again after a crash or rebalance and recognised as already processed",
            ("service",),
        )
        self.handling_seconds = declare.histogram(
            "andina_event_handling_seconds",
            "Time from admission to the end of the handler and its writes",
            ("service", "type"),
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
        )
