"""Port checks, pid files and stopping: what lets `stack up` run twice and fail clearly."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from andina.deploy.processes import (
    Component,
    Port,
    StackError,
    check_ports_free,
    check_same_ports,
    pid_path,
    port_in_use,
    running_pid,
    spawn,
    stop,
)

MARKER = "andina-deploy-unit-test-marker"


@pytest.fixture
def listening() -> Iterator[int]:
    """A port some other program listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_a_port_in_use_is_a_clear_error_naming_the_port_and_the_variable(listening: int) -> None:
    kafka = Component("kafka", (Port(listening, "ANDINA_STACK_KAFKA_PORT", "client listener"),), "kafka.Kafka")

    assert port_in_use(listening)
    with pytest.raises(StackError) as error:
        check_ports_free(kafka)

    message = str(error.value)
    assert f"port {listening}" in message
    assert "ANDINA_STACK_KAFKA_PORT" in message
    assert "kafka" in message


def test_a_free_port_passes() -> None:
    port = _free_port()

    assert not port_in_use(port)
    check_ports_free(Component("ferretdb", (Port(port, "ANDINA_STACK_MONGO_PORT", "wire"),), "andina-ferretdb"))


def test_a_stale_pid_file_is_not_running_and_is_removed(tmp_path: Path) -> None:
    component = Component("kafka", (Port(1, "X", "y"),), "kafka.Kafka")
    path = pid_path(tmp_path, "kafka")
    path.parent.mkdir(parents=True)
    path.write_text("999999999\n1\n")

    assert running_pid(tmp_path, component) is None
    assert not path.exists()


def test_a_started_process_is_found_by_pid_and_stopped(tmp_path: Path) -> None:
    port = _free_port()
    component = Component("sleeper", (Port(port, "ANDINA_STACK_X_PORT", "nothing"),), MARKER)
    argv = [sys.executable, "-c", "import time; time.sleep(60)", MARKER]

    process = spawn(component, tmp_path, argv)
    try:
        assert running_pid(tmp_path, component) == process.pid
        check_same_ports(tmp_path, component)
        moved = Component("sleeper", (Port(port + 1, "ANDINA_STACK_X_PORT", "nothing"),), MARKER)
        with pytest.raises(StackError, match="andina stack down"):
            check_same_ports(tmp_path, moved)
    finally:
        stopped = stop(tmp_path, component, timeout=5)
        if process.poll() is None:  # never leave the sleeper behind, even when the test fails
            process.kill()
    assert stopped == process.pid
    assert process.wait(timeout=5) is not None
    assert running_pid(tmp_path, component) is None
    assert not pid_path(tmp_path, "sleeper").exists()
    assert stop(tmp_path, component) is None
