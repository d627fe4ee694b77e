"""Detached processes with pid files, port checks, readiness waits and clean stops.

Every component is started in its own session with no terminal and its output in a log
file, so that the launcher (or a CI job) can exit while the stack keeps running, and so
that nothing the stack prints ties up the caller's terminal.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path


class StackError(Exception):
    """An expected failure, reported to the user as a message without a traceback."""


@dataclass(frozen=True, slots=True)
class Port:
    number: int
    env_var: str
    purpose: str
    hint: str = ""  # who else typically holds this port


@dataclass(frozen=True, slots=True)
class Component:
    """One long-running process of the stack: instance ``instance`` (from 1) of the program ``name``."""

    name: str
    ports: tuple[Port, ...]
    marker: str  # an argument of its command line, to tell it from an unrelated process that reused the pid
    logs: tuple[Path, ...] = field(default=())
    instance: int = 1

    @property
    def port(self) -> int:
        return self.ports[0].number

    @property
    def key(self) -> str:
        """Unique in the stack, and the name of its pid and log files: ``alerts``, ``alerts-2``, ``kafka-3``."""
        return self.name if self.instance == 1 else f"{self.name}-{self.instance}"


def pid_path(state: Path, name: str) -> Path:
    return state / "run" / f"{name}.pid"


def log_path(state: Path, name: str) -> Path:
    return state / "logs" / f"{name}.log"


def _cmdline(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    if any(line.startswith("State:") and "Z" in line.split()[1] for line in status.splitlines()):
        return None  # a zombie has finished, whatever its entry says
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def is_ours(pid: int, marker: str) -> bool:
    argv = _cmdline(pid)
    return argv is not None and any(marker == arg or arg.endswith("/" + marker) for arg in argv)


def _pid_record(state: Path, component: Component) -> tuple[int, tuple[int, ...]] | None:
    """The pid file holds the pid and, on its second line, the ports it was started with."""
    try:
        lines = pid_path(state, component.key).read_text().split()
        return int(lines[0]), tuple(int(p) for p in lines[1].split(",")) if len(lines) > 1 else ()
    except (OSError, ValueError, IndexError):
        return None


def running_pid(state: Path, component: Component) -> int | None:
    """The pid of our running instance, or None (a stale pid file is removed)."""
    record = _pid_record(state, component)
    if record is None:
        return None
    if is_ours(record[0], component.marker):
        return record[0]
    pid_path(state, component.key).unlink(missing_ok=True)
    return None


def recorded_ports(state: Path, component: Component) -> tuple[int, ...]:
    record = _pid_record(state, component)
    return record[1] if record is not None else ()


def check_same_ports(state: Path, component: Component) -> None:
    """Our running instance must listen where the settings now say, or we would talk to someone else."""
    record = _pid_record(state, component)
    wanted = tuple(p.number for p in component.ports)
    if record is not None and record[1] and record[1] != wanted:
        running = ", ".join(str(p) for p in record[1])
        raise StackError(
            f"{component.key} of this stack ({state}) is running on port {running}, not on "
            f"{', '.join(str(p) for p in wanted)} as now configured: run `andina stack down` and start "
            "again, or use the same ANDINA_STACK_* settings as when it was started"
        )


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """True when something listens on the port or the port cannot be bound."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        if probe.connect_ex((host, port)) == 0:
            return True
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return True
            raise
    return False


def check_ports_free(component: Component) -> None:
    for port in component.ports:
        if port_in_use(port.number):
            raise StackError(
                f"port {port.number} ({component.key} {port.purpose}) is already in use by a process "
                f"that is not part of this stack. Stop that process, or choose another port: "
                f"{port.env_var}=<free port>{port.hint}"
            )


def spawn(
    component: Component,
    state: Path,
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start detached: own session, no stdin, output appended to the component's log."""
    log = log_path(state, component.key)
    log.parent.mkdir(parents=True, exist_ok=True)
    pid_file = pid_path(state, component.key)
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        out.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} starting: {' '.join(argv)}\n".encode())
        out.flush()
        try:
            process = subprocess.Popen(
                list(argv),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env=dict(env) if env is not None else None,
                cwd=cwd,
            )
        except OSError as exc:
            raise StackError(f"cannot start {component.key} ({argv[0]}): {exc}") from None
    pid_file.write_text(f"{process.pid}\n{','.join(str(p.number) for p in component.ports)}\n")
    # Popen returns as the exec happens, a moment before the kernel shows the new command
    # line; wait for it so that the pid is recognised as ours from now on.
    deadline = time.monotonic() + 2
    while not _cmdline(process.pid) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    return process


def tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join(text.splitlines()[-lines:])


def failure_report(component: Component, state: Path, why: str) -> StackError:
    parts = [f"{component.key} {why}."]
    for log in (log_path(state, component.key), *component.logs):
        parts.append(f"--- last lines of {log} ---\n{tail(log)}")
    return StackError("\n".join(parts))


def wait_ready(
    component: Component,
    state: Path,
    ready: Callable[[], bool],
    timeout: float,
    process: subprocess.Popen[bytes] | None = None,
) -> None:
    """Poll ``ready`` until it is true; fail early when the process has exited."""
    deadline = time.monotonic() + timeout
    while True:
        if ready():
            return
        if process is not None and process.poll() is not None:
            raise failure_report(component, state, f"exited with code {process.returncode} before becoming ready")
        if process is None and running_pid(state, component) is None:
            raise failure_report(component, state, "stopped before becoming ready")
        if time.monotonic() > deadline:
            raise failure_report(component, state, f"did not become ready within {timeout:.0f} s")
        time.sleep(0.5)


def _signal(pid: int, sig: signal.Signals) -> None:
    # Started with start_new_session, so the pid leads its own group: signal the whole group.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)


def stop(state: Path, component: Component, timeout: float = 30.0) -> int | None:
    """SIGTERM, wait, SIGKILL after ``timeout``; returns the pid that was stopped, if any."""
    pid = running_pid(state, component)
    if pid is not None:
        _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while is_ours(pid, component.marker) and time.monotonic() < deadline:
            _reap(pid)
            time.sleep(0.2)
        if is_ours(pid, component.marker):
            _signal(pid, signal.SIGKILL)
            while is_ours(pid, component.marker):
                _reap(pid)
                time.sleep(0.1)
    pid_path(state, component.key).unlink(missing_ok=True)
    return pid


def stop_together(state: Path, components: Sequence[Component], timeout: float = 30.0) -> list[int | None]:
    """As :func:`stop`, for several at once: members of a quorum shut down cleanly only while
    enough of their peers still answer."""
    if not components:
        return []
    with ThreadPoolExecutor(len(components)) as pool:
        return list(pool.map(lambda component: stop(state, component, timeout), components))


def _reap(pid: int) -> None:
    """Collect the exit status when the process is our own child (started in this run)."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)
