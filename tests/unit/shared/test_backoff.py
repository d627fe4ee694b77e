"""The back-off policy and the retry loop that waits out an unreachable broker or store."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from aiokafka.errors import (
    KafkaConnectionError,
    KafkaTimeoutError,
    MessageSizeTooLargeError,
    NotLeaderForPartitionError,
)
from prometheus_client import CollectorRegistry
from pymongo.errors import AutoReconnect, DuplicateKeyError, ServerSelectionTimeoutError

from andina.shared.backoff import KAFKA, STORE, Backoff, DependencyStatus, unavailable

NO_JITTER = Backoff(initial=0.5, maximum=8.0, factor=2.0, jitter=0.0)


def test_delays_double_from_the_initial_one_up_to_the_cap() -> None:
    assert [NO_JITTER.delay(n) for n in range(1, 8)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_the_cap_holds_after_very_many_attempts() -> None:
    assert NO_JITTER.delay(10_000) == 8.0


def test_jitter_shortens_a_delay_by_at_most_its_fraction() -> None:
    policy = Backoff(initial=1.0, maximum=1.0, jitter=0.25)
    assert policy.delay(1, draw=lambda: 0.0) == 1.0
    assert policy.delay(1, draw=lambda: 0.999) == pytest.approx(0.75, abs=0.001)


@pytest.mark.parametrize(
    ("error", "dependency"),
    [
        (AutoReconnect("connection closed"), STORE),
        (ServerSelectionTimeoutError("no servers"), STORE),
        (KafkaConnectionError("connection refused"), KAFKA),
        (KafkaTimeoutError(), KAFKA),
        (NotLeaderForPartitionError(), KAFKA),
        (DuplicateKeyError("E11000"), None),
        (MessageSizeTooLargeError(), None),
        (ValueError("a bug"), None),
    ],
)
def test_only_unreachable_dependencies_are_waited_out(error: Exception, dependency: str | None) -> None:
    assert unavailable(error) == dependency


class Recorder:
    """Stands in for asyncio.sleep: records each delay and the ``andina_dependency_up`` gauges meanwhile."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.delays: list[float] = []
        self.up_while_waiting: list[dict[str, float | None]] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.up_while_waiting.append({d: sample(self.registry, "andina_dependency_up", d) for d in (KAFKA, STORE)})


def sample(registry: CollectorRegistry, name: str, dependency: str) -> float | None:
    return registry.get_sample_value(name, {"service": "alerts", "dependency": dependency})


def failing(*outcomes: Exception | str) -> Callable[[], Awaitable[str]]:
    """A step that raises or returns each outcome in turn."""
    pending = list(outcomes)

    async def step() -> str:
        outcome = pending.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return step


async def test_a_step_is_retried_with_growing_delays_until_the_store_answers() -> None:
    registry = CollectorRegistry()
    sleep = Recorder(registry)
    status = DependencyStatus("alerts", registry, NO_JITTER, sleep=sleep)
    down = AutoReconnect("connection refused")

    assert await status.retry("claim", failing(down, down, down, "claimed")) == "claimed"
    assert sleep.delays == [0.5, 1.0, 2.0]
    assert sleep.up_while_waiting == [{KAFKA: 1, STORE: 0}] * 3
    assert status.is_up(STORE)
    assert sample(registry, "andina_dependency_up", STORE) == 1
    assert sample(registry, "andina_dependency_retries_total", STORE) == 3
    assert sample(registry, "andina_dependency_retries_total", KAFKA) == 0


async def test_the_broker_is_reported_down_while_a_publish_waits_for_it() -> None:
    registry = CollectorRegistry()
    sleep = Recorder(registry)
    status = DependencyStatus("alerts", registry, NO_JITTER, sleep=sleep)

    assert await status.retry("publish", failing(KafkaConnectionError("refused"), "published")) == "published"
    assert sleep.up_while_waiting == [{KAFKA: 0, STORE: 1}]
    assert status.is_up(KAFKA)
    assert sample(registry, "andina_dependency_retries_total", KAFKA) == 1


async def test_other_errors_are_raised_at_once_without_waiting() -> None:
    registry = CollectorRegistry()
    sleep = Recorder(registry)
    status = DependencyStatus("alerts", registry, NO_JITTER, sleep=sleep)

    async def broken() -> None:
        raise ValueError("a bug, not an outage")

    with pytest.raises(ValueError, match="a bug"):
        await status.retry("handle", broken)
    assert sleep.delays == []
    assert status.is_up(STORE)
    assert status.is_up(KAFKA)
