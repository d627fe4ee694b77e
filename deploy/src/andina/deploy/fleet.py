"""Services of this repository as real child processes, for fault tests and the soak benchmark.

Each service runs as ``python -m andina.<package>`` with the stack's environment
(:func:`andina.deploy.services.environment`) overlaid with the caller's settings (topic
namespace, database prefix, keys, broker credentials), on its own free HTTP port. It can
be killed with SIGKILL, started again, stopped; its resident memory and metrics can be read.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from andina.deploy.processes import StackError, failure_report, spawn, stop
from andina.deploy.services import ServiceSpec, command, component, environment, is_ready
from andina.deploy.settings import Endpoints, StackSettings
from andina.shared.settings import AndinaSettings

# The fleet gives each service its own port; the caller's address settings must not override it.
OWN_FIELDS = frozenset({"http_host", "http_port"})


def settings_environment(settings: AndinaSettings) -> dict[str, str]:
    """The ``ANDINA_`` variables that reproduce the explicitly set fields of ``settings``."""
    env: dict[str, str] = {}
    for name in sorted(settings.model_fields_set - OWN_FIELDS):
        value = getattr(settings, name)
        if value is None:
            continue
        if isinstance(value, SecretStr):
            text = value.get_secret_value()
        elif isinstance(value, bool):
            text = str(value).lower()
        elif isinstance(value, list | dict):
            text = json.dumps(value)
        else:
            text = str(value)
        env[f"ANDINA_{name.upper()}"] = text
    return env


def resident_kib(status: str) -> int:
    """VmRSS (KiB) from the text of ``/proc/<pid>/status``."""
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise ValueError("no VmRSS line: the process has exited")


def metric_total(exposition: str, name: str, labels: Mapping[str, str] | None = None) -> float:
    """The sum of the samples ``name`` (e.g. ``andina_events_total``) whose labels include ``labels``."""
    wanted = labels or {}
    return sum(
        sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
        if sample.name == name and all(sample.labels.get(k) == v for k, v in wanted.items())
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class FleetService:
    """One service process: started, killed, started again; its environment is kept."""

    spec: ServiceSpec
    env: dict[str, str]
    state: Path
    process: subprocess.Popen[bytes] | None = None
    kills: int = 0

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def key(self) -> str:
        """The service, with its instance number from the second on: ``alerts-2``."""
        return component(self.spec).key

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None and self.process.poll() is None else None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        if self.running:
            raise StackError(f"{self.key} is already running (pid {self.pid})")
        self.process = spawn(component(self.spec), self.state, command(self.spec), env=self.env)

    async def wait_healthy(self, within: float = 90.0) -> None:
        """Until /health answers 200; fails early, with the log's tail, if the process exits."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not await asyncio.to_thread(is_ready, self.spec.port):
            if not self.running:
                raise failure_report(component(self.spec), self.state, "exited before becoming healthy")
            if loop.time() > deadline:
                raise failure_report(component(self.spec), self.state, f"was not healthy within {within:.0f} s")
            await asyncio.sleep(0.2)

    async def restart(self, within: float = 90.0) -> None:
        self.start()
        await self.wait_healthy(within)

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, as when a machine loses power."""
        if self.process is None or not self.running:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.kills += 1

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not exit in time."""
        stop(self.state, component(self.spec), timeout=15)
        if self.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)

    def resident_kib(self) -> int:
        if self.process is None or not self.running:
            raise StackError(f"{self.key} is not running")
        return resident_kib(Path(f"/proc/{self.process.pid}/status").read_text())

    async def metrics(self) -> str:
        async with httpx.AsyncClient(timeout=5.0) as http:
            response = await http.get(f"http://127.0.0.1:{self.spec.port}/metrics")
            response.raise_for_status()
            return response.text


@dataclass
class Fleet:
    """Services on the topic namespace, database prefix and keys of ``settings``, logs under ``state``."""

    settings: AndinaSettings
    state: Path
    services: dict[str, FleetService] = field(default_factory=dict)

    def add(self, name: str, extra_env: Mapping[str, str] | None = None, instance: int = 1) -> FleetService:
        """Instance ``instance`` of the service; instances of one service share its consumer group."""
        spec = ServiceSpec(name, free_port(), instance)
        stack = StackSettings(state_dir=self.state).model_copy(update={f"{name.replace('-', '_')}_port": spec.port})
        ends = Endpoints(
            bootstrap_servers=self.settings.kafka_bootstrap_servers,
            mongo_url=self.settings.mongo_url,
            keys_dir=self.settings.keys_dir,
            key_directory=self.settings.key_directory,
            andina=self.settings,
        )
        env = {**environment(spec, stack, ends), **settings_environment(self.settings), **(extra_env or {})}
        service = FleetService(spec, env, self.state)
        self.services[service.key] = service
        return service

    def __getitem__(self, key: str) -> FleetService:
        return self.services[key]

    async def start(self, names: Iterable[str] | None = None, within: float = 120.0) -> None:
        """Start the services (all by default) together, then wait until each is healthy."""
        chosen = [self.services[n] for n in (names or self.services)]
        for service in chosen:
            service.start()
        await asyncio.gather(*(s.wait_healthy(within) for s in chosen))

    def stop(self) -> None:
        """Stop every service; safe to call on failure paths and twice."""
        for service in self.services.values():
            service.stop()
