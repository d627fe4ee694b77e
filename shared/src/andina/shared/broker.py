"""Broker factory: a FastStream KafkaBroker configured for the bus's guarantees.

Idempotent producer with ``acks=all``; every record routed by the country partitioner;
topics never auto-created (the deploy step creates them).
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Sequence
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from faststream.kafka.security import parse_security
from faststream.security import BaseSecurity, SASLScram256, SASLScram512

from andina.shared.countries import CountryRegistry
from andina.shared.fetching import tolerate_undecodable_batches
from andina.shared.metrics import ServiceMetrics
from andina.shared.publishing import MAX_BATCH_BYTES
from andina.shared.settings import KafkaAuth
from andina.shared.topics import CountryPartitioner

_SCRAM = {"SCRAM-SHA-512": SASLScram512, "SCRAM-SHA-256": SASLScram256}


def kafka_security(auth: KafkaAuth) -> BaseSecurity | None:
    """FastStream's security object for ``auth`` (None on PLAINTEXT): the one place credentials become options."""
    if auth.security_protocol == "PLAINTEXT":
        return None
    if not auth.username or not auth.password:
        raise ValueError(f"Kafka {auth.security_protocol} needs ANDINA_KAFKA_USERNAME and ANDINA_KAFKA_PASSWORD")
    tls = _tls_context(auth.ssl_cafile) if auth.security_protocol == "SASL_SSL" else None
    return _SCRAM[auth.sasl_mechanism](auth.username, auth.password, ssl_context=tls)


def _tls_context(cafile: str | None) -> ssl.SSLContext:
    """Certificate and host name checked: a client must know it talks to the bus before it logs in."""
    try:
        return ssl.create_default_context(cafile=cafile)
    except (OSError, ssl.SSLError) as exc:
        raise ValueError(f"ANDINA_KAFKA_SSL_CAFILE {cafile}: not a readable PEM file of certificates ({exc})") from exc


def client_options(auth: KafkaAuth | None = None) -> dict[str, Any]:
    """aiokafka keyword arguments for ``auth`` (default: this process's ``ANDINA_KAFKA_*`` variables).

    The consumers built with them skip batches they cannot decode (:mod:`andina.shared.fetching`).
    """
    tolerate_undecodable_batches()
    return parse_security(kafka_security(auth or KafkaAuth.from_environment()))


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
