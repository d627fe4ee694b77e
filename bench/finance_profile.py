"""Where finance-trace's time goes: ``python -m bench.finance_profile [--transfers N] [--cprofile N]``.

Replays the first N generated transfers through the real service as ``bench finance`` does
(bench.finance_service), with the wall-clock timers of bench.profile_service around the steps
of the shared consume path and around finance-trace's own steps, the store commands sent per
poll batch, and optionally cProfile's CPU shares and top functions. The CPU profile covers the
whole process: the service, and the bench reading back and opening what it was told. Not a
benchmark: its figures carry the timers' cost.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import pstats
import time

from pymongo import monitoring

from andina.finance_trace.adapters.cases import FindingStore
from andina.finance_trace.adapters.graph_table import SharedFinanceState
from andina.finance_trace.adapters.reports import ReportStore
from andina.finance_trace.domain.patterns.detector import PatternDetector
from andina.finance_trace.handlers import reports
from bench.cpu_shares import cpu_profiler, shares
from bench.finance_data import generate
from bench.finance_service import service_ingest
from bench.profile_service import StoreCommands, Timers, steps_summary, timed_steps

FINANCE_STEPS = (
    (reports, "validate_report", "  validate_report"),
    (SharedFinanceState, "plan", "  FinanceState.plan"),
    (ReportStore, "record", "  ReportStore.record"),
    (SharedFinanceState, "apply", "  FinanceState.apply (graph + changelog notes)"),
    (PatternDetector, "detect", "  PatternDetector.detect"),
    (reports, "finding_told", "  finding_told (policy per finding)"),
    (reports, "notices_told", "  notices_told (policy per notice)"),
    (FindingStore, "record", "  FindingStore.record"),
)


async def profile(transfers: int, cprofile_top: int) -> str:
    timers, commands = Timers(), StoreCommands()
    monitoring.register(commands)
    for owner, name, label in FINANCE_STEPS:
        timers.wrap(owner, name, label)
    profiler = cpu_profiler() if cprofile_top else None
    data = generate(max(transfers * 2, 20_000))
    commands.counting = True
    if profiler:
        profiler.enable()
    cpu, started = time.process_time(), time.perf_counter()
    with timed_steps(timers):
        sample = await service_ingest(data, transfers)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - started
    if profiler:
        profiler.disable()
    timers.restore()
    batches = len(timers.calls["EventProcessor.process (whole batch)"])
    lines = [
        f"finance-trace, {sample.transactions:,} transfers in {sample.reports} reports, "
        f"{sample.per_second:,.0f} transfers/s from the receipts (with timers"
        f"{' and cProfile' if profiler else ''}); {len(sample.findings)} findings",
        "",
        steps_summary(timers, wall, sample.transactions),
        "",
        f"this process's CPU time over the whole run (set-up and read-back included): {cpu:.2f} s in {wall:.2f} s, "
        f"{1e6 * cpu / sample.transactions:,.0f} µs per transfer",
        "",
        f"store commands ({batches:,} poll batches; set-up and start-up load included)",
        commands.per_batch(batches),
    ]
    if profiler:
        lines += ["", shares(profiler, sample.transactions, batches)]
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(cprofile_top)
        lines += ["", out.getvalue()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.finance_profile", description=__doc__)
    parser.add_argument("--transfers", type=int, default=5_000)
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="also print cProfile's top N functions")
    args = parser.parse_args()
    print(asyncio.run(profile(args.transfers, args.cprofile)))


if __name__ == "__main__":
    main()
