"""The service's own figures for the Observatorio: screenings, hits, follow-ups, the index."""

from __future__ import annotations

from prometheus_client import CollectorRegistry

from andina.shared.metrics import Declare


class IntelMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        declare = Declare(registry)
        self.screenings = declare.counter(
            "andina_intel_exchange_screenings",
            "Screening queries answered, by asking country and outcome (hit, possible, no-hit)",
            ("origin", "outcome"),
        )
        self.hits = declare.counter(
            "andina_intel_exchange_hits",
            "Hit references given, by owner of the record and asking country",
            ("owner", "asker"),
        )
        self.possible_matches = declare.counter(
            "andina_intel_exchange_possible_matches",
            "Possible matches given for queries with names only, by owner of the record and asking country",
            ("owner", "asker"),
        )
        self.hits_by_record_type = declare.counter(
            "andina_intel_exchange_hits_by_record_type",
            "Hit references given, by type of the record hit (warrant, missing-person, ...) and its owner",
            ("record_type", "owner"),
        )
        self.screening_seconds = declare.histogram(
            "andina_intel_exchange_screening_seconds",
            "Time to match one query against the index",
            buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25),
        )
        self.record_requests = declare.counter(
            "andina_intel_exchange_record_requests",
            "Follow-up requests for full records, by owner and decision (requested, approved, refused)",
            ("owner", "decision"),
        )
        self.records = declare.gauge("andina_intel_exchange_records", "Live person records in the screening index")
