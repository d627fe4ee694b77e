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
from faststream.security import BaseSecurity, SASLScram256, SASLScram512

from andina.contract.countries import CountryRegistry
from andina.contract.fetching import tolerate_undecodable_batches
from andina.contract.kafka_auth import KafkaAuth
from andina.contract.topics import CountryPartitioner
from andina.shared.metrics import ServiceMetrics
from andina.shared.publishing import MAX_BATCH_BYTES

_SCRAM = {"SCRAM-SHA-512": SASLScram512, "SCRAM-SHA-256": SASLScram256}


def kafka_security(auth: KafkaAuth) -> BaseSecurity | None:
    """FastStream's security object for ``auth`` (None on PLAINTEXT); aiokafka clients use ``client_options``."""
    if auth.security_protocol == "PLAINTEXT":
        return None
    username, password = auth.login()
    return _SCRAM[auth.sasl_mechanism](username, password, ssl_context=auth.tls_context())


def kafka_broker(
    bootstrap_servers: str,
    countries: CountryRegistry,
    *,
    client_id: str,
    metrics: ServiceMetrics | None = None,
    middlewares: Sequence[Any] = (),
    auth: KafkaAuth | None = None,
) -> KafkaBroker:
    tolerate_undecodable_batches()
    prometheus = [KafkaPrometheusMiddleware(registry=metrics.registry, app_name=metrics.service)] if metrics else []
    return KafkaBroker(
        bootstrap_servers.split(","),
        client_id=client_id,
        security=kafka_security(auth or KafkaAuth.from_environment()),
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
