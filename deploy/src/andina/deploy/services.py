"""The four services of the network, run as ``python -m andina.<package>`` by the stack."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import httpx

from andina.contract.kafka_auth import KafkaAuth
from andina.deploy.kafka_users import KafkaUsers
from andina.deploy.processes import Component, Port
from andina.deploy.settings import Endpoints, StackSettings


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    name: str  # as in the topic registry: alerts, intel-exchange, customs, finance-trace
    port: int
    instance: int = 1  # every instance of a service is in its one consumer group

    @property
    def module(self) -> str:
        return "andina." + self.name.replace("-", "_")


def specs(settings: StackSettings, services: tuple[str, ...]) -> list[ServiceSpec]:
    """Every instance of every service, instance n on the service's port shifted n-1 steps."""
    return [
        ServiceSpec(name, settings.shifted(settings.service_port(name), instance), instance)
        for instance in range(1, settings.instances + 1)
        for name in services
    ]


def component(spec: ServiceSpec) -> Component:
    return Component(
        name=spec.name,
        ports=(Port(spec.port, StackSettings.service_port_env(spec.name), "/health and /metrics"),),
        marker=spec.module,
        instance=spec.instance,
    )


def command(spec: ServiceSpec) -> list[str]:
    # The interpreter running the launcher: the venv the services are installed in.
    return [sys.executable, "-m", spec.module]


def environment(
    spec: ServiceSpec, settings: StackSettings, ends: Endpoints, users: KafkaUsers | None = None
) -> dict[str, str]:
    """The caller's environment with the stack's addresses, so every service finds the same stack.

    With the stack's Kafka ``users``, the service logs in as its own user (``svc-<service>``).
    """
    return {
        **os.environ,
        "ANDINA_KAFKA_BOOTSTRAP_SERVERS": settings.bootstrap_servers,
        "ANDINA_MONGO_URL": f"mongodb://127.0.0.1:{settings.mongo_port}/",
        "ANDINA_HTTP_HOST": "127.0.0.1",
        "ANDINA_HTTP_PORT": str(spec.port),
        "ANDINA_INSTANCE": component(spec).key,
        "ANDINA_KEYS_DIR": str(ends.keys_dir),
        "ANDINA_KEY_DIRECTORY": str(ends.key_directory),
        "ANDINA_CHANGELOG_IMAGE_DIR": str(settings.state / "images" / component(spec).key),
        "PYTHONUNBUFFERED": "1",
        **(kafka_environment(users.service(spec.name)) if users else {}),
    }


def kafka_environment(auth: KafkaAuth) -> dict[str, str]:
    """The ``ANDINA_KAFKA_*`` variables that make a process log in as ``auth``."""
    return {
        "ANDINA_KAFKA_SECURITY_PROTOCOL": auth.security_protocol,
        "ANDINA_KAFKA_SASL_MECHANISM": auth.sasl_mechanism,
        "ANDINA_KAFKA_USERNAME": auth.username or "",
        "ANDINA_KAFKA_PASSWORD": auth.password or "",
        **({"ANDINA_KAFKA_SSL_CAFILE": auth.ssl_cafile} if auth.ssl_cafile else {}),
    }


def health(port: int, timeout: float = 3.0) -> tuple[int | None, str]:
    """The /health status code and body, or (None, why) when it does not answer."""
    try:
        response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=timeout)
    except httpx.HTTPError as exc:
        return None, type(exc).__name__
    return response.status_code, response.text.strip()


def is_ready(port: int) -> bool:
    return health(port)[0] == 200
