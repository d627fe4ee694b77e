"""Where the time goes in the service path (c): ``python -m bench.profile_service [--quick] [--cprofile N]``.

Runs only the alerts service over the benchmark's input, with wall-clock timers around
the steps of ``andina.shared.processing.EventProcessor`` (wrapped from outside, nothing in
shared/ is changed), and optionally cProfile (which slows everything down) to print the
N functions with the most own CPU time and the CPU time by kind of work (bench/cpu_shares.py:
verification, sealing, JSON, pydantic, ...). Not a benchmark: its figures carry the timers' cost.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import io
import pstats
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import andina.shared.processing as processing
from andina.shared.gate import Gate
from andina.shared.publishing import EventPublisher
from andina.shared.signing import SignerKey
from andina.shared.store import Inbox
from bench.bus import FULL, QUICK, Config
from bench.cpu_shares import cpu_profiler, shares
from bench.outputs import wait_for_outputs
from bench.report import table
from bench.service_path import logs_to_devnull, service_app
from bench.stack import bench_stack, produce, signed_submissions


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

    timers.wrap(processing.EventProcessor, "process", "EventProcessor.process (whole batch)")
    timers.wrap(Gate, "admit", "Gate.admit")
    timers.wrap(Inbox, "claim", "Inbox.claim (store insert_many)")
    timers.wrap(processing.EventProcessor, "_handle_once", "EventProcessor._handle_once (handler+metrics+log)")
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


def _summary(timers: Timers, stage_seconds: float, events: int) -> str:
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


async def profile(config: Config, cprofile_top: int, log_level: str) -> str:
    timers = Timers()
    profiler = cpu_profiler() if cprofile_top else None
    async with bench_stack() as stack:
        await produce(stack, stack.submissions, signed_submissions(stack, config.total))
        with logs_to_devnull():
            app = service_app(stack, log_level)
            with timed_steps(timers):
                async with app.start_lifespan_context():
                    if profiler:
                        profiler.enable()
                    cpu = time.process_time()
                    stage = await wait_for_outputs(
                        stack.bootstrap, stack.deliveries, stack.topics.partitions, config.total, config.stage_timeout
                    )
                    cpu = time.process_time() - cpu
                    if profiler:
                        profiler.disable()
    lines = [
        f"service path (c), {config.total:,} events including warm-up, {stage:.2f} s, "
        f"{config.total / stage:,.0f} events/s with timers{' and cProfile' if profiler else ''}"
        f"; service log level {log_level}",
        "",
        _summary(timers, stage, config.total),
        "",
        f"this process's CPU time over the stage: {cpu:.2f} s in {stage:.2f} s, {100 * cpu / stage:.0f}% of one core "
        "(the service and the reader of its outputs; one Python thread can use at most 100%)",
    ]
    if profiler:
        batches = len(timers.calls["EventProcessor.process (whole batch)"])
        lines += ["", shares(profiler, config.total, batches)]
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(cprofile_top)
        lines += ["", out.getvalue()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_service", description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="also print cProfile's top N functions")
    parser.add_argument("--log-level", default="INFO", help="the service's log level (DEBUG logs a line per event)")
    args = parser.parse_args()
    print(asyncio.run(profile(QUICK if args.quick else FULL, args.cprofile, args.log_level)))


if __name__ == "__main__":
    main()
