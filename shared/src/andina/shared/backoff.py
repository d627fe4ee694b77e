"""Waiting out a broker or store that went away: capped exponential back-off, per dependency.

While Kafka or the store is unreachable a service keeps its place: the step that failed
(claiming a batch, writing it, publishing its outputs, firing a timer) is tried again
after a delay that doubles up to a cap of two seconds, so an outage costs an attempt every
two seconds, not a hot loop, and a leader moved elsewhere (a broker lost) is found within two
seconds of the move rather than after the next of ever longer waits; the dependency is reported
down (``andina_dependency_up``, /health) and every retry is counted
(``andina_dependency_retries_total``). Nothing is acknowledged or dropped meanwhile, so the
step resumes where it stopped once the dependency is back.
Errors that do not mean "unreachable" are raised as before.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import structlog
from aiokafka.errors import KafkaError, KafkaTimeoutError
from prometheus_client import CollectorRegistry
from pymongo.errors import ConnectionFailure

from andina.shared.metrics import Declare

log = structlog.get_logger()

KAFKA = "kafka"
STORE = "store"
DEPENDENCIES = (KAFKA, STORE)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Backoff:
    """Delays before successive retries: ``initial`` doubling (``factor``) up to ``maximum``.

    ``jitter`` shortens each delay by up to that fraction, at random, so that services
    restarted together do not retry in step.
    """

    initial: float = 0.5
    maximum: float = 2.0
    factor: float = 2.0
    jitter: float = 0.2

    def delay(self, attempt: int, draw: Callable[[], float] = random.random) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1 for the first failure)."""
        exponent = min(attempt - 1, 64)  # past the cap already; keeps the power finite
        base = min(self.maximum, self.initial * self.factor**exponent)
        return base * (1 - self.jitter * draw())


def unavailable(error: BaseException) -> str | None:
    """The dependency ``error`` says is unreachable (``kafka``, ``store``), or None for any other error."""
    if isinstance(error, ConnectionFailure):  # AutoReconnect, ServerSelectionTimeoutError, NetworkTimeout…
        return STORE
    # aiokafka marks connection and leadership errors retriable; a timed-out send is one too.
    if isinstance(error, KafkaTimeoutError) or (isinstance(error, KafkaError) and error.retriable):
        return KAFKA
    return None


Sleep = Callable[[float], Awaitable[None]]


class DependencyStatus:
    """Which dependencies answer, as the service last saw them, and the retry loop that waits for them."""

    def __init__(
        self,
        service: str,
        registry: CollectorRegistry,
        backoff: Backoff | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        declare = Declare(registry)
        self._service = service
        self._backoff = backoff or Backoff()
        self._sleep = sleep
        self._down: set[str] = set()
        self._up = declare.gauge(
            "andina_dependency_up",
            "1 while the dependency answers, 0 from a failed call until one succeeds",
            ("service", "dependency"),
        )
        self._retries = declare.counter(
            "andina_dependency_retries",
            "Steps tried again because the dependency was unreachable",
            ("service", "dependency"),
        )
        for dependency in DEPENDENCIES:
            self._up.labels(service, dependency).set(1)
            self._retries.labels(service, dependency)

    def mark(self, dependency: str, up: bool) -> None:
        if up:
            self._down.discard(dependency)
        else:
            self._down.add(dependency)
        self._up.labels(self._service, dependency).set(1 if up else 0)

    def is_up(self, dependency: str) -> bool:
        return dependency not in self._down

    async def retry(self, step: str, operation: Callable[[], Awaitable[T]]) -> T:
        """``operation()``'s result, trying again with back-off for as long as a dependency is unreachable."""
        waited: set[str] = set()
        attempt = 0
        while True:
            try:
                result = await operation()
            except Exception as error:
                dependency = unavailable(error)
                if dependency is None:
                    raise
                attempt += 1
                waited.add(dependency)
                self.mark(dependency, False)
                self._retries.labels(self._service, dependency).inc()
                delay = self._backoff.delay(attempt)
                log.warning(
                    "dependency unavailable; retrying",
                    dependency=dependency,
                    step=step,
                    attempt=attempt,
                    delay=round(delay, 2),
                    error=f"{type(error).__name__}: {error}"[:300],
                )
                await self._sleep(delay)
                continue
            for dependency in waited:
                self.mark(dependency, True)
                log.info("dependency back", dependency=dependency, step=step, attempts=attempt + 1)
            return result
