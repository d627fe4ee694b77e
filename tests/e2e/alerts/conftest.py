"""The alerts service in-process, with deadlines short enough to watch escalations happen."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from andina.alerts.app import create_app
from andina.alerts.settings import Settings
from andina.contract.client import PartitionReader
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Envelope
from andina.contract.topics import DEAD_LETTER, DELIVERIES, TopicRegistry
from tests.conftest import Keys, ServiceSettingsFactory

FAST = {
    "ack_deadline_flash": 1.5,
    "ack_deadline_urgent": 30,
    "ack_deadline_routine": 60,
    "request_deadline_urgent": 30,
    "request_deadline_normal": 2.0,
    "timer_poll_seconds": 0.2,
}


@pytest.fixture
def alerts_settings(service_settings: ServiceSettingsFactory) -> Settings:
    return service_settings(Settings).model_copy(update=FAST)


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[None]:
    async with create_app(settings).start_lifespan_context():
        yield


Reader = Callable[..., Any]


@pytest.fixture
def inbox(kafka_bootstrap: str, topics: TopicRegistry, countries: CountryRegistry, keys: Keys) -> Reader:
    """Events on a country's partition of the alerts deliveries (or dead-letter) topic, from offset 0."""

    async def read(country: str, count: int, within: float = 20.0, stream: str = DELIVERIES) -> list[Envelope]:
        topic = topics.topic("alerts", stream)
        async with PartitionReader(kafka_bootstrap, topic, countries.partition_of(country)) as reader:
            records = await reader.read(0, lambda r: len(r) >= count, within=within)
        if stream == DEAD_LETTER:
            return records  # the raw records: their headers carry the reason
        opener = keys.opener(country)
        return [opener.open(r.value) for r in records]

    return read


class ServiceProcess:
    """``python -m andina.alerts`` as its own process: started, killed with SIGKILL, started again."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self.env = {**os.environ, **env, "ANDINA_HTTP_PORT": str(port)}
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None

    def launch(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "andina.alerts"], env=self.env, stderr=subprocess.DEVNULL
        )

    async def start(self, within: float = 60.0) -> None:
        """Launch and wait until /health answers 200 (Kafka and the store reachable)."""
        self.launch()
        async with httpx.AsyncClient() as http:
            for _ in range(int(within / 0.25)):
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get(f"{self.url}/health")).status_code == 200:
                        return
                await asyncio.sleep(0.25)
        raise AssertionError(f"{self.url}/health never answered 200")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def alerts_process(kafka_bootstrap: str, mongo_url: str, keys: Keys, topics: TopicRegistry) -> Iterator[ServiceProcess]:
    env = {
        "ANDINA_KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "ANDINA_MONGO_URL": mongo_url,
        "ANDINA_DATABASE_PREFIX": f"{topics.namespace}_",
        "ANDINA_KEYS_DIR": str(keys.dir),
        "ANDINA_KEY_DIRECTORY": str(keys.directory),
        "ANDINA_TOPIC_NAMESPACE": topics.namespace,
        "ANDINA_TIMER_POLL_SECONDS": "0.2",
    }
    process = ServiceProcess(env, port=18901)
    yield process
    process.stop()
