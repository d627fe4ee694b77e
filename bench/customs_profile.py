"""Where the customs service's time goes: ``python -m bench.customs_profile [--pairs N] [--cprofile N]``.

The stream of ``bench customs`` (bench/customs_data.py) is written to the submissions topic,
then the customs service consumes it in this process, with the step timers of
bench/profile_service.py around the shared consume path (nothing in shared/ is changed), the
customs declaration handler timed apart (its own CPU time), the store commands it sends per
batch, and optionally cProfile (CPU time by kind of work, and the N functions with the most own
CPU time). Machine-independent figures: CPU time per declaration of this process, the
handler's share of it, store commands per batch. Not a benchmark: its figures carry the timers'
cost.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import functools
import io
import os
import pstats
import time
from typing import Any

from pymongo import monitoring

from andina.contract.events import customs as types
from andina.customs.adapters.reference import load_hs_table, load_rates
from andina.customs.app import create_app
from andina.customs.handlers import HANDLERS
from andina.customs.settings import Settings
from bench.cpu_shares import cpu_profiler, shares
from bench.customs import QUICK, prepare
from bench.customs_baseline import DocumentJoin, Filer
from bench.customs_service import SERVICE, committed
from bench.profile_service import StoreCommands, Timers, steps_summary, timed_steps
from bench.service_path import logs_to_devnull, service_settings
from bench.stack import add_service_keys, bench_stack, drop_databases

HANDLER = "customs declaration_filed (own CPU)"


def _timed_handler(timers: Timers) -> Any:
    """The declaration handler with its CPU time noted (awaits for batched writes take none)."""
    handler = HANDLERS[types.DECLARATION_FILED]
    calls = timers.calls[HANDLER]

    @functools.wraps(handler)
    async def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        outputs = await handler(*args, **kwargs)
        calls.append(time.process_time() - started)  # a refusal is not counted: the stream has none
        return outputs

    return timed


async def profile(pairs: int, cprofile_top: int) -> str:
    config = dataclasses.replace(QUICK, pairs=pairs)
    timers, commands = Timers(), StoreCommands()
    monitoring.register(commands)  # before the service makes its store client
    profiler = cpu_profiler() if cprofile_top else None
    handler = HANDLERS[types.DECLARATION_FILED]
    async with bench_stack() as stack:
        add_service_keys(stack, [SERVICE])
        settings = Settings(**service_settings(stack).model_dump(exclude={"http_port"}))
        try:
            truth = await prepare(stack, config, DocumentJoin(Filer(load_hs_table(), load_rates())))
            HANDLERS[types.DECLARATION_FILED] = _timed_handler(timers)
            with logs_to_devnull(), timed_steps(timers):
                async with create_app(settings).start_lifespan_context():
                    commands.counting = True
                    if profiler:
                        profiler.enable()
                    cpu, wall = time.process_time(), time.perf_counter()
                    await committed(stack, truth.declarations, 0, config.timeout)
                    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                    if profiler:
                        profiler.disable()
                    commands.counting = False
        finally:
            HANDLERS[types.DECLARATION_FILED] = handler
            await drop_databases(stack, [SERVICE])
    declarations = truth.declarations
    batches = len(timers.calls["EventProcessor.process (whole batch)"])
    own = sum(timers.calls[HANDLER])
    lines = [
        f"customs service, {declarations:,} declarations in {batches:,} batches: {wall:.1f} s, "
        f"{declarations / wall:,.0f}/s with timers{' and cProfile' if profiler else ''} "
        f"(load {os.getloadavg()[0]:.1f})",
        f"this process's CPU: {1e6 * cpu / declarations:,.0f} µs per declaration; the declaration handler's own: "
        f"{1e6 * own / declarations:,.0f} µs ({100 * own / cpu:.0f}%); the rest is the shared consume path, "
        "the bus and store clients",
        "",
        steps_summary(timers, wall, declarations),
        "",
        commands.per_batch(batches),
    ]
    if profiler:
        top = io.StringIO()
        pstats.Stats(profiler, stream=top).sort_stats("tottime").print_stats(cprofile_top)
        lines += ["", shares(profiler, declarations, batches), "", top.getvalue()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.customs_profile", description=__doc__)
    parser.add_argument("--pairs", type=int, default=5_000, help="export/import pairs filed (about twice as many)")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="also print cProfile's top N functions")
    args = parser.parse_args()
    print(asyncio.run(profile(args.pairs, args.cprofile)))


if __name__ == "__main__":
    main()
