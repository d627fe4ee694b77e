"""A process of the stack killed with SIGKILL is started again by the stack's supervisor, and counted.

The supervisor runs as `stack up` starts it (its own detached process, reading the plan
from the state folder); the supervised process is a stand-in that only sleeps, so the
test needs neither Kafka nor the store.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from andina.deploy import supervisor
from andina.deploy.fleet import free_port, metric_total
from andina.deploy.processes import Component, Port, log_path, running_pid, spawn, stop
from andina.deploy.supervisor import Supervised

pytestmark = [pytest.mark.faults]

MARKER = "andina-stand-in"
WITHIN = 60.0  # seconds the restart may take, back-off included


@pytest.fixture
def supervised(tmp_path: Path) -> Iterator[tuple[Component, Component]]:
    """A stand-in (instance 2 of "stand-in") and the supervisor watching it; both stopped afterwards."""
    stand_in = Component("stand-in", (Port(free_port(), "", "none"),), MARKER, instance=2)
    watcher = supervisor.component(free_port())
    argv = [sys.executable, "-c", "import time; time.sleep(600)", MARKER]
    supervisor.write_plan(tmp_path, [Supervised(stand_in, argv)])
    spawn(stand_in, tmp_path, argv)
    spawn(watcher, tmp_path, supervisor.command(tmp_path, watcher.port))
    try:
        yield stand_in, watcher
    finally:
        stop(tmp_path, watcher, timeout=10)
        stop(tmp_path, stand_in, timeout=10)


def restarts(port: int) -> float:
    exposition = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    return metric_total(exposition, "andina_process_restarts_total", {"process": "stand-in", "instance": "2"})


def until(condition: Callable[[], bool], within: float = WITHIN) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, f"not within {within:.0f} s"
        time.sleep(0.2)


def test_a_killed_process_is_started_again_with_a_log_line_and_a_counted_restart(
    supervised: tuple[Component, Component], tmp_path: Path
) -> None:
    stand_in, watcher = supervised
    until(lambda: supervisor.is_ready(watcher.port))
    first = running_pid(tmp_path, stand_in)
    assert first is not None
    assert restarts(watcher.port) == 0

    os.killpg(first, signal.SIGKILL)
    until(lambda: running_pid(tmp_path, stand_in) not in (None, first))

    assert restarts(watcher.port) == 1
    assert "stand-in-2 started again" in log_path(tmp_path, "supervisor").read_text()


def test_what_the_stack_stops_after_the_supervisor_stays_stopped(
    supervised: tuple[Component, Component], tmp_path: Path
) -> None:
    stand_in, watcher = supervised
    until(lambda: supervisor.is_ready(watcher.port))

    stop(tmp_path, watcher, timeout=10)  # as `stack down` does, before the rest
    stop(tmp_path, stand_in, timeout=10)
    time.sleep(supervisor.POLL * 4)

    assert running_pid(tmp_path, stand_in) is None
