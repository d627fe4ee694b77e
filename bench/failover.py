"""``python -m bench failover``: an intel-exchange instance killed under load, and who answers then.

Two instances (``python -m andina.intel_exchange``, own processes, one consumer group) serve a
steady load of screenings and filings from the four members (:mod:`bench.failover_load`).
One is sent SIGKILL; figures: the time from the kill to the survivor's first answer to a
request sent after the kill by a country the killed one served, the requests in flight then,
requests never answered, answered twice (under two ids) or copied (one answer published again
under its id, which a reader's inbox drops), and the changelog lag (an entry's publication by one instance to its
application on the other, from the survivor's ``andina_changelog_lag_seconds``). Beside it, in
the same run, the single-instance case: one instance killed and started again at once, as a
supervisor does. Last, the start-up at ``records`` records: a snapshot and the changelog since,
against a scan of the store (:mod:`bench.failover_start`).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from andina.deploy.fleet import settings_environment
from andina.intel_exchange.settings import Settings
from andina.shared.settings import AndinaSettings
from bench.failover_load import MEMBERS, SERVICE, Load, Traffic
from bench.failover_start import StartFigures, intel_settings, start_report, start_times
from bench.report import Result, ratio, table
from bench.service_path import logs_to_devnull
from bench.stack import BenchStack, add_service_keys, bench_stack, drop_databases

PORTS = (18971, 18972)
ASSIGNED = re.compile(r"partition=(\d+)")


@dataclass(frozen=True)
class Config:
    rate: float  # requests per second, all members together
    before_kill: float  # seconds of load before the kill
    after_kill: float
    records: int  # for the start-up figures


QUICK = Config(rate=20, before_kill=8, after_kill=15, records=10_000)
FULL = Config(rate=50, before_kill=20, after_kill=30, records=100_000)


@dataclass(frozen=True)
class Takeover:
    seconds: float  # from the kill to the first answer to a country the killed instance served
    in_flight: int
    unanswered: int
    answered_twice: int
    copies: int
    requests: int


class Instance:
    """One service process (intel-exchange unless ``module`` says), its log in a file (the partitions it holds
    are read from it)."""

    def __init__(
        self, settings: AndinaSettings, port: int, folder: Path, module: str = "andina.intel_exchange"
    ) -> None:
        self._env = {**os.environ, **settings_environment(settings), "ANDINA_HTTP_PORT": str(port)}
        self.port = port
        self._module = module
        self._log = folder / f"instance-{port}.log"
        self.process = self._launch()

    def _launch(self) -> subprocess.Popen[bytes]:
        with self._log.open("ab") as log:
            command = [sys.executable, "-m", self._module]
            return subprocess.Popen(command, env=self._env, stdout=log, stderr=subprocess.STDOUT)

    def held(self) -> set[int]:
        """The submissions partitions its consumer was last assigned."""
        lines = [
            line for line in self._log.read_text(errors="replace").splitlines() if "assigned to partitions" in line
        ]
        return {int(p) for p in ASSIGNED.findall(lines[-1])} if lines else set()

    def kill_and_restart(self) -> float:
        kill_time = self.kill()
        self.process = self._launch()
        return kill_time

    def kill(self) -> float:
        self.process.send_signal(signal.SIGKILL)
        killed_at = time.time()
        self.process.wait()
        return killed_at

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    async def metrics(self) -> str:
        async with httpx.AsyncClient() as http:
            return (await http.get(f"http://127.0.0.1:{self.port}/metrics")).text


async def until(what: str, check: Callable[[], bool], within: float = 120.0) -> None:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: not after {within:.0f} s")
        await asyncio.sleep(0.5)


def lag_p99_seconds(exposition: str) -> tuple[float, int]:
    """The changelog lag's 99th percentile (the upper bound of its histogram bucket) and the entries counted."""
    buckets = [
        (float(sample.labels["le"]), sample.value)
        for family in text_string_to_metric_families(exposition)
        if family.name == "andina_changelog_lag_seconds"
        for sample in family.samples
        if sample.name.endswith("_bucket")
    ]
    total = max((count for _, count in buckets), default=0.0)
    bound = min((le for le, count in buckets if count >= 0.99 * total), default=float("nan"))
    return bound, int(total)


def _takeover(traffic: Traffic, killed_at: float, senders: set[str]) -> Takeover:
    first = traffic.first_answer_after(killed_at, senders)
    return Takeover(
        seconds=float("nan") if first is None else first - killed_at,
        in_flight=traffic.in_flight(killed_at, senders),
        unanswered=traffic.unanswered(),
        answered_twice=traffic.answered_twice(),
        copies=traffic.copies(),
        requests=len(traffic.sent),
    )


async def two_instances(
    stack: BenchStack, settings: Settings, config: Config, folder: Path
) -> tuple[Takeover, float, int]:
    instances = [Instance(settings, port, folder) for port in PORTS]
    try:
        await until("both instances hold partitions", lambda: all(i.held() for i in instances))
        async with Load(stack, config.rate) as load:
            await asyncio.sleep(config.before_kill)
            victim, survivor = instances
            served = {c for c in MEMBERS if stack.countries.partition_of(c) in victim.held()}
            killed_at = victim.kill()
            await asyncio.sleep(config.after_kill)
            await load.drain()
            lag, entries = lag_p99_seconds(await survivor.metrics())
        return _takeover(load.traffic, killed_at, served), lag, entries
    finally:
        for instance in instances:
            instance.stop()


async def one_instance_restarted(stack: BenchStack, settings: Settings, config: Config, folder: Path) -> Takeover:
    instance = Instance(settings, PORTS[0], folder)
    try:
        await until("the instance holds partitions", lambda: bool(instance.held()))
        async with Load(stack, config.rate) as load:
            await asyncio.sleep(config.before_kill)
            killed_at = instance.kill_and_restart()
            await asyncio.sleep(config.after_kill)
            await load.drain()
        return _takeover(load.traffic, killed_at, set(MEMBERS))
    finally:
        instance.stop()


async def run(quick: bool) -> tuple[str, Result]:
    config = QUICK if quick else FULL
    async with bench_stack() as stack:
        add_service_keys(stack, [SERVICE])
        settings = intel_settings(stack)
        try:
            with tempfile.TemporaryDirectory(prefix="andina-failover-") as folder:
                pair, lag, entries = await two_instances(stack, settings, config, Path(folder))
                single = await one_instance_restarted(stack, settings, config, Path(folder))
            await drop_databases(stack, [SERVICE])
            with logs_to_devnull():
                start = await start_times(stack, settings, config.records)
        finally:
            await drop_databases(stack, [SERVICE])
    return _report(quick, config, pair, single, lag, entries, start)


def _report(
    quick: bool, config: Config, pair: Takeover, single: Takeover, lag: float, entries: int, start: StartFigures
) -> tuple[str, Result]:
    start_text, starts = start_report(start)
    rows = [
        [name, f"{t.seconds:.1f}", t.in_flight, t.unanswered, t.answered_twice, t.copies, t.requests]
        for name, t in (("two instances, one killed", pair), ("one instance, killed and restarted", single))
    ]
    text = "\n".join(
        [
            f"bench failover ({'quick' if quick else 'full'}): intel-exchange under {config.rate:.0f} requests/s"
            f" (a quarter filings), SIGKILL after {config.before_kill:.0f} s",
            "",
            table(
                ["case", "kill to first answer s", "in flight", "unanswered", "answered twice", "copies", "requests"],
                rows,
            ),
            "",
            f"changelog lag p99 on the survivor: <= {lag:.3f} s ({entries:,} entries)",
            "",
            start_text,
        ]
    )
    result = Result(
        name="failover",
        mode="quick" if quick else "full",
        params={"rate": config.rate, "before_kill_s": config.before_kill, "records": config.records},
        figures={
            "takeover_seconds": pair.seconds,
            "in_flight_at_kill": float(pair.in_flight),
            "unanswered": float(pair.unanswered),
            "answered_twice": float(pair.answered_twice),
            "copies": float(pair.copies),
            "changelog_lag_p99_seconds": lag,
            **starts.figures,
        },
        baseline={"restart_seconds": single.seconds, "restart_unanswered": float(single.unanswered), **starts.baseline},
        ratio={"takeover_vs_restart": ratio(pair.seconds, single.seconds), **starts.ratio},
        ceilings={"takeover_seconds": 10.0, "changelog_lag_p99_seconds": 1.0, "unanswered": 0.0},
        checks={**starts.checks, "lag_entries": entries},
    )
    return text, result
