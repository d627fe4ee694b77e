"""Who a Kafka client is, and the aiokafka options that log it in.

Agencies' clients and the bus's own consumers, producers and admin clients all log in
through :func:`client_options`; the services' FastStream broker through
``andina.shared.broker.kafka_security``, from the same :class:`KafkaAuth`.
"""

from __future__ import annotations

import dataclasses
import os
import ssl
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from andina.contract.fetching import tolerate_undecodable_batches

SECURITY_PROTOCOLS = ("PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("SCRAM-SHA-512", "SCRAM-SHA-256")


@dataclasses.dataclass(frozen=True, slots=True)
class KafkaAuth:
    """Who a Kafka client is: nobody on PLAINTEXT, else a SASL/SCRAM user and password.

    On SASL_SSL the broker's certificate must chain to ``ssl_cafile``'s authorities (PEM), or to
    the system's when it is None.
    """

    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str = "SCRAM-SHA-512"
    username: str | None = None
    password: str | None = dataclasses.field(default=None, repr=False)
    ssl_cafile: str | None = None

    def __post_init__(self) -> None:
        if self.security_protocol not in SECURITY_PROTOCOLS:
            raise ValueError(
                f"ANDINA_KAFKA_SECURITY_PROTOCOL {self.security_protocol!r}: not one of {SECURITY_PROTOCOLS}"
            )
        if self.sasl_mechanism not in SASL_MECHANISMS:
            raise ValueError(f"ANDINA_KAFKA_SASL_MECHANISM {self.sasl_mechanism!r}: not one of {SASL_MECHANISMS}")

    def over_tls(self, ca_file: str | Path) -> KafkaAuth:
        """The same login on a SASL_SSL listener whose certificate chains to ``ca_file``."""
        return dataclasses.replace(self, security_protocol="SASL_SSL", ssl_cafile=str(ca_file))

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> KafkaAuth:
        """The ``ANDINA_KAFKA_*`` variables of this process: clients given no explicit identity use them."""
        return cls(
            environ.get("ANDINA_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT"),
            environ.get("ANDINA_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"),
            environ.get("ANDINA_KAFKA_USERNAME"),
            environ.get("ANDINA_KAFKA_PASSWORD"),
            environ.get("ANDINA_KAFKA_SSL_CAFILE"),
        )

    def login(self) -> tuple[str, str]:
        """The SASL user and password, refused before connecting when either is missing."""
        if not self.username or not self.password:
            raise ValueError(f"Kafka {self.security_protocol} needs ANDINA_KAFKA_USERNAME and ANDINA_KAFKA_PASSWORD")
        return self.username, self.password

    def tls_context(self) -> ssl.SSLContext | None:
        """On SASL_SSL, certificate and host name checked: a client must know it talks to the bus before it logs in."""
        if self.security_protocol != "SASL_SSL":
            return None
        try:
            return ssl.create_default_context(cafile=self.ssl_cafile)
        except (OSError, ssl.SSLError) as exc:
            raise ValueError(
                f"ANDINA_KAFKA_SSL_CAFILE {self.ssl_cafile}: not a readable PEM file of certificates ({exc})"
            ) from exc


def client_options(auth: KafkaAuth | None = None) -> dict[str, Any]:
    """aiokafka keyword arguments for ``auth`` (default: this process's ``ANDINA_KAFKA_*`` variables).

    The consumers built with them skip batches they cannot decode (:mod:`andina.contract.fetching`).
    """
    tolerate_undecodable_batches()
    auth = auth or KafkaAuth.from_environment()
    if auth.security_protocol == "PLAINTEXT":
        return {}
    username, password = auth.login()
    return {
        "security_protocol": auth.security_protocol,
        "ssl_context": auth.tls_context(),
        "sasl_mechanism": auth.sasl_mechanism,
        "sasl_plain_username": username,
        "sasl_plain_password": password,
    }
