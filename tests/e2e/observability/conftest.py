"""The stack's Prometheus, and one run of `andina demo` that its tests read the figures of.

Prometheus is the one at ``ANDINA_STACK_PROMETHEUS_PORT`` (9090), configured by
`andina stack up` with the rules of deploy/prometheus/rules/.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from andina.deploy.settings import StackSettings
from tests.conftest import operator_environment

ANDINA = Path(sys.executable).with_name("andina")
Series = list[dict[str, Any]]


class Prometheus:
    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"

    def query(self, promql: str, at: datetime | None = None) -> Series:
        params: dict[str, str | float] = {"query": promql, **({"time": at.timestamp()} if at else {})}
        answer = httpx.get(f"{self.url}/api/v1/query", params=params, timeout=10).json()
        assert answer["status"] == "success", answer
        result: Series = answer["data"]["result"]
        return result

    def until(self, promql: str, holds: Callable[[Series], bool], within: float = 60.0) -> Series:
        """The query's result once ``holds`` accepts it (a few scrapes and evaluations at most)."""
        deadline = time.monotonic() + within
        result = self.query(promql)
        while not holds(result) and time.monotonic() < deadline:
            time.sleep(1.0)
            result = self.query(promql)
        return result

    def last_scrapes(self) -> dict[str, datetime]:
        targets = httpx.get(f"{self.url}/api/v1/targets", timeout=10).json()["data"]["activeTargets"]
        # Prometheus writes nanoseconds; Python reads up to microseconds.
        return {
            t["labels"]["job"]: datetime.fromisoformat(re.sub(r"(\.\d{6})\d+", r"\1", t["lastScrape"])) for t in targets
        }


def total(result: Series) -> float:
    return sum(float(s["value"][1]) for s in result)


@dataclass(frozen=True)
class DemoWindow:
    started: datetime  # before the demo sent anything
    scraped: datetime  # after Prometheus scraped every service once the demo was over


@pytest.fixture(scope="session")
def prometheus() -> Prometheus:
    server = Prometheus(StackSettings().prometheus_port)
    try:
        ready = httpx.get(f"{server.url}/-/ready", timeout=5).status_code == 200
    except httpx.HTTPError:
        ready = False
    if not ready:
        pytest.fail(f"no Prometheus at {server.url}: start the local stack with `andina stack up`")
    return server


@pytest.fixture(scope="session")
def demo_window(prometheus: Prometheus) -> DemoWindow:
    """Plays `andina demo` once, then waits until Prometheus has scraped its effects."""
    started = datetime.now(UTC)
    env = operator_environment(columns=200)  # as a user runs it
    demo = subprocess.run([ANDINA, "demo"], capture_output=True, text=True, timeout=240, env=env)
    if demo.returncode != 0:
        pytest.fail(f"`andina demo` failed (is the stack up? `andina stack status`):\n{demo.stdout}{demo.stderr}")
    finished = datetime.now(UTC)
    deadline = time.monotonic() + 60
    while min(prometheus.last_scrapes().values()) <= finished and time.monotonic() < deadline:
        time.sleep(1.0)
    return DemoWindow(started, datetime.now(UTC))
