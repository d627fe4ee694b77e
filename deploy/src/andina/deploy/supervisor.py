"""The stack's own supervisor: a process of the stack that exits is started again, with back-off.

``andina stack up`` writes the plan (what each process runs, in which environment) and starts
the supervisor last, as one more detached process; ``andina stack down`` stops it first, so
what it stops stays stopped. Twice a second it looks at every process of the plan through
its pid file; one that is gone is started again after a delay that doubles with each restart
in a row (reset once the process stayed up a minute), and each restart is a log line and
``andina_process_restarts_total{process,instance}`` on the supervisor's /metrics, beside
``andina_member_quota{user,quota}``, the members' client quotas as ``stack up`` set them.
"""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
from prometheus_client import CollectorRegistry, start_http_server

from andina.deploy.kafka_quotas import read_quotas
from andina.deploy.processes import Component, Port, running_pid, spawn
from andina.shared.backoff import Backoff
from andina.shared.metrics import Declare

MODULE = "andina.deploy.supervisor"
POLL = 0.5  # seconds between looks at the processes
STABLE = 60.0  # seconds up after which a process's next crash is its first again
BACKOFF = Backoff(initial=1.0, maximum=30.0)

log = logging.getLogger(MODULE)


@dataclass(frozen=True, slots=True)
class Supervised:
    """One process of the plan: its component and how to start it."""

    component: Component
    argv: list[str]
    env: dict[str, str] | None = None
    cwd: str | None = None


def plan_path(state: Path) -> Path:
    return state / "run" / "supervised.json"


def write_plan(state: Path, plan: list[Supervised]) -> Path:
    """The plan, readable by its owner only: the environments hold the services' Kafka passwords."""
    path = plan_path(state)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    path.chmod(0o600)
    path.write_text(json.dumps([asdict(entry) for entry in plan], default=str, indent=1))
    return path


def read_plan(state: Path) -> list[Supervised]:
    plan = []
    for raw in json.loads(plan_path(state).read_text()):
        part = raw["component"]
        component = Component(
            name=part["name"],
            ports=tuple(Port(**port) for port in part["ports"]),
            marker=part["marker"],
            logs=tuple(Path(p) for p in part["logs"]),
            instance=part["instance"],
        )
        plan.append(Supervised(component, raw["argv"], raw["env"], raw["cwd"]))
    return plan


def component(port: int) -> Component:
    return Component(
        name="supervisor",
        ports=(Port(port, "ANDINA_STACK_SUPERVISOR_PORT", "/metrics of its restarts"),),
        marker=MODULE,
    )


def command(state: Path, port: int) -> list[str]:
    return [sys.executable, "-m", MODULE, str(state), str(port)]


def is_ready(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass
class Watch:
    """What the supervisor remembers of one process: restarts in a row, when it may start, its child."""

    crashes: int = 0
    started_at: float = 0.0
    due: float | None = None
    child: subprocess.Popen[bytes] | None = None


@dataclass
class Supervisor:
    state: Path
    plan: list[Supervised]
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)
    watches: dict[str, Watch] = field(default_factory=dict)

    def __post_init__(self) -> None:
        declare = Declare(self.registry)
        self.restarts = declare.counter(
            "andina_process_restarts",
            "Processes of the stack the supervisor started again after they exited",
            ("process", "instance"),
        )
        quota = declare.gauge(
            "andina_member_quota",
            "Each member's client quota as the stack set it on the broker (producer_byte_rate in bytes a second, "
            "request_percentage in percent of one broker thread); Kafka throttles the member above it",
            ("user", "quota"),
        )
        for user, limits in read_quotas(self.state).items():
            for name, value in limits.model_dump().items():
                quota.labels(user=user, quota=name).set(value)
        now = time.monotonic()
        for entry in self.plan:
            self.watches[entry.component.key] = Watch(started_at=now)

    def check(self, now: float) -> None:
        """Start again each process that is gone and whose delay has passed; note the ones newly gone."""
        for entry in self.plan:
            watch = self.watches[entry.component.key]
            if watch.child is not None:
                watch.child.poll()  # collect our child's exit status, or it lingers as a zombie
            if running_pid(self.state, entry.component) is not None:
                if now - watch.started_at > STABLE:
                    watch.crashes = 0
                continue
            if watch.due is None:
                watch.crashes += 1
                watch.due = now + BACKOFF.delay(watch.crashes)
                log.warning(
                    "%s exited; starting it again in %.1f s (restart %d in a row)",
                    entry.component.key,
                    watch.due - now,
                    watch.crashes,
                )
            elif now >= watch.due:
                self._restart(entry, watch, now)

    def _restart(self, entry: Supervised, watch: Watch, now: float) -> None:
        component = entry.component
        watch.due, watch.started_at = None, now
        try:
            watch.child = spawn(
                component, self.state, entry.argv, env=entry.env, cwd=Path(entry.cwd) if entry.cwd else None
            )
        except Exception:  # a failed start is one more crash: try again later
            log.exception("%s could not be started", component.key)
            return
        self.restarts.labels(process=component.name, instance=str(component.instance)).inc()
        log.warning("%s started again (pid %d)", component.key, watch.child.pid)

    def run(self, stopping: threading.Event) -> None:
        while not stopping.wait(POLL):
            self.check(time.monotonic())


def main(state: Path, port: int) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stdout)
    supervisor = Supervisor(state, read_plan(state))
    start_http_server(port, addr="127.0.0.1", registry=supervisor.registry)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    log.info("supervising %s", ", ".join(entry.component.key for entry in supervisor.plan))
    supervisor.run(stopping)
    log.info("stopped; the processes keep running")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
