"""Broker factory: a FastStream KafkaBroker configured for the bus's guarantees.

Idempotent producer with ``acks=all``; every record routed by the country partitioner;
topics never auto-created (the deploy step creates them).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.kafka.prometheus import KafkaPrometheusMiddleware

from andina.shared.countries import CountryRegistry
from andina.shared.metrics import ServiceMetrics
from andina.shared.publishing import MAX_BATCH_BYTES
from andina.shared.topics import CountryPartitioner


def kafka_broker(
    bootstrap_servers: str,
    countries: CountryRegistry,
    *,
    client_id: str,
    metrics: ServiceMetrics | None = None,
    middlewares: Sequence[Any] = (),
) -> KafkaBroker:
    prometheus = [KafkaPrometheusMiddleware(registry=metrics.registry, app_name=metrics.service)] if metrics else []
    return KafkaBroker(
        bootstrap_servers.split(","),
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        allow_auto_create_topics=False,
        partitioner=CountryPartitioner(countries),
        linger_ms=2,
        # Room for the publisher's per-recipient batches (andina.shared.publishing), plus framing.
        max_batch_size=MAX_BATCH_BYTES + 64 * 1024,
        middlewares=[*prometheus, *middlewares],
        # FastStream's own lines go through the root handler too, as JSON with the context.
        logger=logging.getLogger(f"{client_id}.broker"),
    )
