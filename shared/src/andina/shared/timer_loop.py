"""The loop that fires due timers (the store's :class:`~andina.shared.timers.Timers`) in a service process."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Mapping, Sequence

import structlog
from pymongo.errors import PyMongoError

from andina.shared.backoff import DependencyStatus
from andina.shared.changelog import ChangelogWriter
from andina.shared.publishing import EventPublisher, Outgoing
from andina.shared.timers import RENEW_EVERY, BoundTimerHandler, Timer, Timers
from andina.shared.unit_of_work import write_batch

log = structlog.get_logger()


async def _fire(handler: BoundTimerHandler, timer: Timer) -> list[Outgoing]:
    async with write_batch() as unit:  # the handler's writes, sent together before its outputs are published
        return await handler(timer, unit)


class TimerLoop:
    """Fires due timers until stopped; one instance per service process.

    Each step of firing a timer waits out an unreachable store or broker (``dependencies``),
    so a timer that fell due during an outage fires once it is over, not after its lease.
    """

    def __init__(
        self,
        timers: Timers,
        handlers: Mapping[str, BoundTimerHandler],
        publisher: EventPublisher,
        dependencies: DependencyStatus,
        poll_seconds: float = 1.0,
        changelogs: Sequence[ChangelogWriter] = (),
    ) -> None:
        self._timers = timers
        self._changelogs = changelogs
        self._handlers = handlers
        self._publisher = publisher
        self._dependencies = dependencies
        self._poll_seconds = poll_seconds
        self._task: asyncio.Task[None] | None = None

    async def fire_due(self) -> int:
        """Fire every timer due now; return how many fired."""
        fired = 0
        if self._timers.nothing_due():
            return fired
        retry = self._dependencies.retry
        while (timer := await retry("claim timer", self._timers.claim_due)) is not None:
            with structlog.contextvars.bound_contextvars(timer=timer.id, kind=timer.kind):
                handler = self._handlers.get(timer.kind)
                if handler is None:
                    log.error("timer of unknown kind dropped")
                else:
                    async with self._leased(timer):
                        outputs = await retry("fire timer", functools.partial(_fire, handler, timer))
                        await retry("publish timer outputs", functools.partial(self._publisher.publish, outputs))
                        for changelog in self._changelogs:  # what the firing changed reaches the other instances now
                            await retry("changelog", changelog.publish)
                    log.info("timer fired", due_at=timer.due_at.isoformat())
            await retry("finish timer", functools.partial(self._timers.done, timer))
            fired += 1
        return fired

    @contextlib.asynccontextmanager
    async def _leased(self, timer: Timer) -> AsyncIterator[None]:
        """Renews ``timer``'s lease every ``RENEW_EVERY`` while the block runs (outside its write batch)."""

        async def renew() -> None:
            while True:
                await asyncio.sleep(RENEW_EVERY.total_seconds())
                with contextlib.suppress(PyMongoError):  # the store is down: the firing waits it out too
                    await self._timers.renew(timer)

        renewing = asyncio.create_task(renew(), name=f"andina-lease-{timer.id}")
        try:
            yield
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing

    async def _run(self) -> None:
        while True:
            try:
                await self.fire_due()
            except Exception:  # not an outage (those are waited out): log it, keep the loop
                log.exception("timer loop failed; retrying")
            await asyncio.sleep(self._poll_seconds)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="andina-timers")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
