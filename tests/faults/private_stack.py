"""A Kafka and a FerretDB of one test module, built by the deploy code, that its tests stop and start again.

They sit on a temporary state folder and free ports, beside the main stack and any other,
and log in as the stack's admin when its Kafka requires SASL/SCRAM.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from andina.contract.kafka_auth import KafkaAuth
from andina.contract.topics import TopicRegistry
from andina.deploy import kafka, stack, store
from andina.deploy.processes import Component, port_in_use, running_pid, spawn, stop, wait_ready
from andina.deploy.settings import Endpoints, StackSettings, endpoints, stack_users_of
from andina.shared.admin import delete_topics
from andina.shared.backoff import KAFKA, STORE
from andina.shared.settings import AndinaSettings

S = TypeVar("S", bound=AndinaSettings)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PrivateStack:
    """Kafka and FerretDB of this module only: stopped and started again by the tests."""

    settings: StackSettings
    ends: Endpoints
    auth: KafkaAuth | None  # admin on a SASL broker (every client of these tests logs in as it)

    def component(self, dependency: str, node: int = 1) -> Component:
        return kafka.component(self.settings, node) if dependency == KAFKA else store.component(self.settings)

    def stop(self, dependency: str, how: signal.Signals, node: int = 1) -> None:
        """Stop the store, or Kafka broker ``node``."""
        component = self.component(dependency, node)
        if how is signal.SIGTERM:
            stop(self.settings.state, component, timeout=30)
            return
        pid = running_pid(self.settings.state, component)
        assert pid is not None, f"{dependency} is not running"
        os.killpg(pid, signal.SIGKILL)
        while running_pid(self.settings.state, component) is not None:
            with suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)  # our child: collect it, or it lingers as a zombie
            time.sleep(0.1)

    def start(self, dependency: str, node: int = 1) -> None:
        settings, component = self.settings, self.component(dependency, node)
        if dependency == KAFKA:
            argv = kafka.command(settings, kafka.prepare(settings, node)[0], node)
            address = f"127.0.0.1:{component.port}"
            ready: Callable[[], bool] = lambda: kafka.is_ready(address, auth=self.auth)  # noqa: E731
        else:
            argv = store.command(settings)
            ready = lambda: store.is_ready(self.ends.mongo_url)  # noqa: E731
        process = spawn(component, settings.state, argv, cwd=settings.state)
        wait_ready(component, settings.state, ready, settings.ready_timeout, process)

    def settings_for(self, topics: TopicRegistry, settings_class: type[S], **extra: Any) -> S:
        """A service's settings on this stack, on ``topics``' namespace and a database of the same prefix."""
        ends = self.ends
        return settings_class(
            **credentials(self.auth),
            kafka_bootstrap_servers=ends.bootstrap_servers,
            mongo_url=ends.mongo_url,
            database_prefix=f"{topics.namespace}_",
            keys_dir=ends.keys_dir,
            key_directory=ends.key_directory,
            topic_namespace=topics.namespace,
            timer_poll_seconds=0.2,
            log_level="WARNING",
            **extra,
        )

    def restore(self) -> None:
        """Start whatever a failed test left stopped, for the next one."""
        for node in range(1, self.settings.brokers + 1):
            if running_pid(self.settings.state, self.component(KAFKA, node)) is None:
                self.start(KAFKA, node)
        if running_pid(self.settings.state, self.component(STORE)) is None:
            self.start(STORE)


def free_stepped_port(step: int, count: int) -> int:
    """A free port that is still free shifted by ``step`` up to ``count - 1`` times (one per broker)."""
    while True:
        port = free_port()
        if not any(port_in_use(port + n * step) for n in range(1, count)):
            return port


@contextmanager
def private_stack(state_dir: Path, ha: bool = False) -> Iterator[PrivateStack]:
    """Kafka (3 brokers with ``ha``) and FerretDB up on free ports (no services, no Prometheus, no
    supervisor: the tests stop and start them); all stopped on exit, even on failure."""
    step, brokers = StackSettings.model_fields["port_step"].default, 3 if ha else 1
    settings = StackSettings(
        state_dir=state_dir,
        ha=ha,
        kafka_heap="384m" if ha else StackSettings.model_fields["kafka_heap"].default,
        kafka_port=free_stepped_port(step, brokers),
        kafka_tls_port=free_stepped_port(step, brokers),
        kafka_controller_port=free_stepped_port(step, brokers),
        mongo_port=free_port(),
        prometheus_port=free_port(),
        supervisor_port=free_port(),
    )
    bootstrap, mongo_url = settings.bootstrap_servers, f"mongodb://127.0.0.1:{settings.mongo_port}/"
    ends = endpoints(settings, AndinaSettings(kafka_bootstrap_servers=bootstrap, mongo_url=mongo_url))
    try:
        stack.up(settings, ends, with_services=False, with_prometheus=False, supervised=False)
        users = stack_users_of(settings, bootstrap)
        admin = users.admin() if users else None
        # The stack's own topics serve no test (each has its namespace): without them a broker has about
        # half the partitions to load, lead and bring back in sync when a test restarts it.
        asyncio.run(delete_topics(bootstrap, ends.andina.topics(), auth=admin))
        yield PrivateStack(settings, ends, admin)
    finally:
        stack.down(settings, ends)


def credentials(auth: KafkaAuth | None) -> dict[str, Any]:
    """The settings fields that make a service log in as ``auth``."""
    if auth is None:
        return {}
    return {
        "kafka_security_protocol": auth.security_protocol,
        "kafka_sasl_mechanism": auth.sasl_mechanism,
        "kafka_username": auth.username,
        "kafka_password": auth.password,
    }
