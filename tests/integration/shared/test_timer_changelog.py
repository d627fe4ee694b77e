"""What a timer's firing changes in a service's shared state reaches the changelog when it fires, not with the
next batch of events: an instance with no more events would leave the other instances' copies stale."""

from __future__ import annotations

from typing import cast

import pytest
from prometheus_client import CollectorRegistry
from pymongo.asynchronous.database import AsyncDatabase

from andina.shared.backoff import DependencyStatus
from andina.shared.changelog import ChangelogWriter
from andina.shared.publishing import EventPublisher, Outgoing
from andina.shared.store import Document, WriteBatch
from andina.shared.timer_loop import TimerLoop
from andina.shared.timers import Timer, Timers
from tests.integration.shared.test_timers import START, Clock, scheduled

pytestmark = pytest.mark.integration


class Changelog:
    """Notes kept until published, as the writer keeps them; what each publication sent."""

    def __init__(self) -> None:
        self.noted: list[str] = []
        self.published: list[list[str]] = []

    async def publish(self) -> None:
        self.published.append(self.noted)
        self.noted = []


class Outputs:
    def __init__(self) -> None:
        self.published: list[list[Outgoing]] = []

    async def publish(self, outputs: list[Outgoing]) -> None:
        self.published.append(outputs)


async def test_what_a_firing_notes_is_published_when_it_fires(db: AsyncDatabase[Document]) -> None:
    timers, changelog, outputs = Timers(db, Clock()), Changelog(), Outputs()
    await scheduled(timers, "recheck/12:00:00", "recheck", START, {})

    async def pairs_late(timer: Timer, unit: WriteBatch) -> list[Outgoing]:
        changelog.noted.append(f"paired by {timer.id}")
        return []

    loop = TimerLoop(
        timers,
        {"recheck": pairs_late},
        cast(EventPublisher, outputs),
        DependencyStatus("customs", CollectorRegistry()),
        changelogs=[cast(ChangelogWriter, changelog)],
    )

    assert await loop.fire_due() == 1
    assert (outputs.published, changelog.published) == ([[]], [["paired by recheck/12:00:00"]])
