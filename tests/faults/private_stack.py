"""A Kafka and a FerretDB of one test module, built by the deploy code, that its tests stop and start again.

They sit on a temporary state folder and free ports, beside the main stack and any other,
and log in as the stack's admin when its Kafka requires SASL/SCRAM.
"""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from andina.deploy import kafka, stack, store
from andina.deploy.processes import Component, running_pid, spawn, stop, wait_ready
from andina.deploy.settings import Endpoints, StackSettings, endpoints, stack_users_of
from andina.shared.backoff import KAFKA, STORE
from andina.shared.settings import AndinaSettings, KafkaAuth


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

    def component(self, dependency: str) -> Component:
        return kafka.component(self.settings) if dependency == KAFKA else store.component(self.settings)

    def stop(self, dependency: str, how: signal.Signals) -> None:
        component = self.component(dependency)
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

    def start(self, dependency: str) -> None:
        settings, component = self.settings, self.component(dependency)
        if dependency == KAFKA:
            argv = kafka.command(settings, kafka.prepare(settings)[0])
            ready: Callable[[], bool] = lambda: kafka.is_ready(self.ends.bootstrap_servers, auth=self.auth)  # noqa: E731
        else:
            argv = store.command(settings)
            ready = lambda: store.is_ready(self.ends.mongo_url)  # noqa: E731
        process = spawn(component, settings.state, argv, cwd=settings.state)
        wait_ready(component, settings.state, ready, settings.ready_timeout, process)

    def restore(self) -> None:
        """Start whatever a failed test left stopped, for the next one."""
        for dependency in (KAFKA, STORE):
            if running_pid(self.settings.state, self.component(dependency)) is None:
                self.start(dependency)


@contextmanager
def private_stack(state_dir: Path) -> Iterator[PrivateStack]:
    """Kafka and FerretDB up on free ports (no services, no Prometheus); both stopped on exit, even on failure."""
    settings = StackSettings(
        state_dir=state_dir,
        kafka_port=free_port(),
        kafka_tls_port=free_port(),
        kafka_controller_port=free_port(),
        mongo_port=free_port(),
        prometheus_port=free_port(),
    )
    bootstrap, mongo_url = f"127.0.0.1:{settings.kafka_port}", f"mongodb://127.0.0.1:{settings.mongo_port}/"
    ends = endpoints(settings, AndinaSettings(kafka_bootstrap_servers=bootstrap, mongo_url=mongo_url))
    try:
        stack.up(settings, ends, with_services=False, with_prometheus=False)
        users = stack_users_of(settings, bootstrap)
        yield PrivateStack(settings, ends, users.admin() if users else None)
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
