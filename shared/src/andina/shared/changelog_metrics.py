"""The metrics of the changelog tables a service reads: lag, entries applied, start-up time."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from prometheus_client import CollectorRegistry, Counter, Histogram

from andina.shared.metrics import Declare


class ChangelogMetrics:
    """The families of one service's registry; each table's series are labelled with its topic."""

    def __init__(self, service: str, registry: CollectorRegistry) -> None:
        declare = Declare(registry)
        self.service = service
        self._lag = declare.histogram(
            "andina_changelog_lag_seconds",
            "From an entry's publication by the instance that handled the event to its application here",
            ("service", "topic"),
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0),
        )
        self._applied = declare.counter(
            "andina_changelog_entries_applied", "Changelog entries applied", ("service", "topic")
        )
        self.start_seconds = declare.gauge(
            "andina_changelog_start_seconds",
            "How long loading the state took at start (snapshot or store, then the changelog since)",
            ("service", "topic", "source"),
        )

    def lag(self, topic: str) -> Histogram:
        return self._lag.labels(self.service, topic)

    def applied(self, topic: str) -> Counter:
        return self._applied.labels(self.service, topic)


_metrics: WeakKeyDictionary[CollectorRegistry, ChangelogMetrics] = WeakKeyDictionary()


def changelog_metrics(service: str, registry: CollectorRegistry) -> ChangelogMetrics:
    """The registry's families, declared once however many tables a service reads."""
    metrics = _metrics.get(registry)
    if metrics is None:
        metrics = _metrics[registry] = ChangelogMetrics(service, registry)
    return metrics
