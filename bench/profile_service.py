"""Where the time goes in the service path (c): ``python -m bench.profile_service [--quick] [--raises] [--cprofile N]``.

Runs only the alerts service over the benchmark's input (messages, or with ``--raises`` FLASH
alerts to 4 recipients, which the service stores with their escalation timers), with wall-clock
timers around the steps of ``andina.shared.processing.EventProcessor`` (wrapped from outside,
nothing in shared/ is changed), the store commands it sends per batch (a PyMongo command
listener), and optionally cProfile (which slows everything down) to print the N functions with
the most own CPU time and the CPU time by kind of work (bench/cpu_shares.py: verification,
sealing, JSON, pydantic, ...). Not a benchmark: its figures carry the timers' cost.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pymongo import monitoring

import andina.shared.processing as processing
from andina.contract.signing import SignerKey
from andina.shared.gate import Gate
from andina.shared.publishing import EventPublisher
from andina.shared.store import Inbox, WriteBatch
from bench.alerts import MEMBERS, flash_alert
from bench.bus import FULL, QUICK, Config
from bench.cpu_shares import cpu_profiler, shares, top_functions
from bench.outputs import RelayStalledError, wait_for_outputs
from bench.report import table
from bench.service_path import logs_to_devnull, service_app
from bench.stack import BenchStack, bench_stack, produce, signed_submissions

WRITTEN = ("documents", "updates", "deletes")  # where insert, update and delete commands carry their writes
PROCESS = "EventProcessor.process (whole batch)"
HANDLE_ONCE = "EventProcessor._handle_once (handler+metrics+log)"
RAISE_RECIPIENTS = 4
RAISES_SHARE = 5  # an alert costs several messages' work: a fifth as many keep the run as short


class Timers:
    def __init__(self) -> None:
        self.calls: dict[str, list[float]] = defaultdict(list)
        self._undo: list[tuple[Any, str, Any]] = []

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)
        calls = self.calls[label]
        if asyncio.iscoroutinefunction(original):

            @functools.wraps(original)
            async def timed_async(*args: Any, **kwargs: Any) -> Any:
                started = time.perf_counter()
                try:
                    return await original(*args, **kwargs)
                finally:
                    calls.append(time.perf_counter() - started)

            setattr(owner, name, timed_async)
        else:

            @functools.wraps(original)
            def timed(*args: Any, **kwargs: Any) -> Any:
                started = time.perf_counter()
                try:
                    return original(*args, **kwargs)
                finally:
                    calls.append(time.perf_counter() - started)

            setattr(owner, name, timed)
        self._undo.append((owner, name, original))

    def restore(self) -> None:
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)


class _TimedLog:
    """Stands in for ``andina.shared.processing.log`` to time the per-event log lines."""

    def __init__(self, log: Any, timers: Timers) -> None:
        self._log = log
        self._calls = timers.calls["structlog log line (processing.log)"]

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._log, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self._calls.append(time.perf_counter() - started)

        return timed


@contextmanager
def timed_steps(timers: Timers) -> Iterator[None]:
    from faststream.kafka import KafkaBroker

    timers.wrap(processing.EventProcessor, "process", PROCESS)
    timers.wrap(Gate, "admit", "Gate.admit")
    timers.wrap(Inbox, "claim", "Inbox.claim (store insert_many)")
    timers.wrap(processing.EventProcessor, "_handle_once", HANDLE_ONCE)
    timers.wrap(WriteBatch, "flush", "WriteBatch.flush (the handlers' writes)")
    timers.wrap(EventPublisher, "publish", "EventPublisher.publish (whole batch)")
    timers.wrap(KafkaBroker, "publish_batch", "  KafkaBroker.publish_batch (FastStream, per recipient)")
    timers.wrap(SignerKey, "sign", "  SignerKey.sign")
    timers.wrap(Inbox, "finish", "Inbox.finish (store insert_many)")
    log = processing.log
    processing.log = _TimedLog(log, timers)
    try:
        yield
    finally:
        processing.log = log
        timers.restore()


class StoreCommands(monitoring.CommandListener):
    """Counts the commands sent to the store, by command and collection, while ``counting``, and how long
    the store took to answer them (its wait, whichever of the service's tasks waited)."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()
        self.documents: Counter[tuple[str, str]] = Counter()  # written: inserted, updated or deleted
        self.seconds: defaultdict[tuple[str, str], float] = defaultdict(float)
        self._started: dict[int, tuple[str, str]] = {}
        self.counting = False

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if self.counting:
            target = event.command.get(event.command_name)
            command = (event.command_name, target if isinstance(target, str) else "")
            self.counts[command] += 1
            self.documents[command] += sum(len(event.command.get(field, ())) for field in WRITTEN)
            self._started[event.request_id] = command

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        self._answered(event.request_id, event.duration_micros)

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        self._answered(event.request_id, event.duration_micros)

    def _answered(self, request_id: int, micros: int) -> None:
        if (command := self._started.pop(request_id, None)) is not None:
            self.seconds[command] += micros / 1e6

    def per_batch(self, batches: int) -> str:
        per = max(1, batches)
        rows: list[list[object]] = [
            [
                command,
                collection,
                count,
                count / per,
                self.documents[command, collection] / per,
                1e3 * self.seconds[command, collection] / per,
            ]
            for (command, collection), count in self.counts.most_common()
        ]
        total = self.counts.total()
        store_ms = 1e3 * sum(self.seconds.values()) / per
        rows.append(["all", "", total, total / per, self.documents.total() / per, store_ms])
        columns = ["store command", "collection", "sent", "per batch", "documents per batch", "store ms per batch"]
        return table(columns, rows)


def steps_summary(timers: Timers, stage_seconds: float, events: int) -> str:
    rows: list[list[object]] = []
    for label, calls in timers.calls.items():
        total = sum(calls)
        head, tail = calls[: max(1, len(calls) // 10)], calls[-max(1, len(calls) // 10) :]
        rows.append(
            [
                label,
                len(calls),
                total,
                100 * total / stage_seconds,
                1e6 * total / events,
                1e3 * sum(head) / len(head) if head else 0.0,
                1e3 * sum(tail) / len(tail) if tail else 0.0,
            ]
        )
    return table(["step", "calls", "total s", "% stage", "µs/event", "first 10% ms/call", "last 10% ms/call"], rows)


def _raises(stack: BenchStack, count: int) -> list[tuple[str, bytes]]:
    return [(origin, event.wire) for origin, event in (flash_alert(stack, i) for i in range(count))]


async def profile(config: Config, cprofile_top: int, log_level: str, raises: bool, save: str = "") -> str:
    timers = Timers()
    commands = StoreCommands()
    monitoring.register(commands)  # before the service makes its store client
    profiler = cpu_profiler() if cprofile_top else None
    total = config.total // RAISES_SHARE if raises else config.total
    async with bench_stack(MEMBERS if raises else None) as stack:
        events = _raises(stack, total) if raises else signed_submissions(stack, total)
        outputs = total * (RAISE_RECIPIENTS if raises else 1)
        await produce(stack, stack.submissions, events)
        with logs_to_devnull():
            app = service_app(stack, log_level)
            with timed_steps(timers):
                async with app.start_lifespan_context():
                    commands.counting = True
                    if profiler:
                        profiler.enable()
                    cpu = time.process_time()
                    stalled = ""
                    try:
                        stage = await wait_for_outputs(
                            stack.bootstrap, stack.deliveries, stack.topics.partitions, outputs, config.stage_timeout
                        )
                    except RelayStalledError as error:  # a loaded machine: what was handled still says its costs
                        stage, stalled = config.stage_timeout, f" (stopped early: {error})"
                    cpu = time.process_time() - cpu
                    if profiler:
                        profiler.disable()
                    commands.counting = False
    batches = len(timers.calls[PROCESS])
    handled = len(timers.calls[HANDLE_ONCE])
    lines = [
        f"service path (c), {handled:,} of {total:,} {'FLASH alerts' if raises else 'messages'} including warm-up, "
        f"{stage:.2f} s, {handled / stage:,.0f} events/s with timers{' and cProfile' if profiler else ''}"
        f"; service log level {log_level}{stalled}",
        "",
        steps_summary(timers, stage, handled),
        "",
        f"this process's CPU time over the stage: {cpu:.2f} s in {stage:.2f} s, {100 * cpu / stage:.0f}% of one core "
        "(the service and the reader of its outputs; one Python thread can use at most 100%)",
        "",
        f"store commands while the events were handled ({batches:,} batches, "
        f"{handled / max(1, batches):,.1f} events each on average)",
        commands.per_batch(batches),
    ]
    if profiler:
        lines += ["", shares(profiler, handled, batches)]
        if save:
            profiler.dump_stats(save)
        lines += ["", top_functions(profiler, cprofile_top)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_service", description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--raises", action="store_true", help="FLASH alerts (stored, with timers) instead of messages")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="also print cProfile's top N functions")
    parser.add_argument("--save", default="", metavar="PATH", help="with --cprofile, also write the profile for pstats")
    parser.add_argument("--log-level", default="INFO", help="the service's log level (DEBUG logs a line per event)")
    args = parser.parse_args()
    config = QUICK if args.quick else FULL
    print(asyncio.run(profile(config, args.cprofile, args.log_level, args.raises, args.save)))


if __name__ == "__main__":
    main()
