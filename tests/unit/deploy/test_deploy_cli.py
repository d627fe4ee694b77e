"""The launcher's settings and its clear failures (no servers are started here)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from andina.deploy.cli import app
from andina.deploy.kafka_tls import certificate_end, ensure_broker_tls
from andina.deploy.settings import StackSettings, endpoints

PORT_VARIABLES = [
    "ANDINA_STACK_KAFKA_PORT",
    "ANDINA_STACK_KAFKA_CONTROLLER_PORT",
    "ANDINA_STACK_KAFKA_TLS_PORT",
    "ANDINA_STACK_MONGO_PORT",
    "ANDINA_STACK_PROMETHEUS_PORT",
    "ANDINA_STACK_ALERTS_PORT",
    "ANDINA_STACK_INTEL_EXCHANGE_PORT",
    "ANDINA_STACK_CUSTOMS_PORT",
    "ANDINA_STACK_FINANCE_TRACE_PORT",
]


@pytest.fixture
def ports() -> Iterator[list[socket.socket]]:
    """One bound, listening socket per stack port: every port is held by 'someone else'."""
    sockets = []
    for _ in PORT_VARIABLES:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        sockets.append(sock)
    yield sockets
    for sock in sockets:
        sock.close()


def test_stack_up_on_a_busy_port_says_which_and_how_to_change_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ports: list[socket.socket]
) -> None:
    monkeypatch.setenv("ANDINA_STACK_STATE_DIR", str(tmp_path / "state"))
    for variable, sock in zip(PORT_VARIABLES, ports, strict=True):
        monkeypatch.setenv(variable, str(sock.getsockname()[1]))
    kafka_port = ports[0].getsockname()[1]

    result = CliRunner().invoke(app, ["stack", "up"])

    assert result.exit_code == 1
    assert f"port {kafka_port}" in result.output
    assert "ANDINA_STACK_KAFKA_PORT" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "state" / "run").exists()  # nothing was started


def test_stack_down_when_nothing_runs_is_harmless(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANDINA_STACK_STATE_DIR", str(tmp_path))

    result = CliRunner().invoke(app, ["stack", "down"])

    assert result.exit_code == 0, result.output
    assert "not running" in result.output


def test_endpoints_default_to_the_stack_and_yield_to_explicit_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("ANDINA_KAFKA_BOOTSTRAP_SERVERS", "ANDINA_MONGO_URL", "ANDINA_KEYS_DIR", "ANDINA_KEY_DIRECTORY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANDINA_STACK_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("ANDINA_STACK_KAFKA_PORT", "29092")

    ends = endpoints(StackSettings())
    assert ends.bootstrap_servers == "127.0.0.1:29092"
    assert ends.keys_dir == tmp_path / "keys"
    assert ends.key_directory == tmp_path / "keys" / "directory.json"

    monkeypatch.setenv("ANDINA_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
    monkeypatch.setenv("ANDINA_KEYS_DIR", str(tmp_path / "elsewhere"))
    ends = endpoints(StackSettings())
    assert ends.bootstrap_servers == "kafka:9092"
    assert ends.key_directory == tmp_path / "elsewhere" / "directory.json"


def test_every_command_has_help() -> None:
    for command in (["--help"], ["stack", "up", "--help"], ["topics", "list", "--help"], ["demo", "--help"]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 0, result.output
        assert "Usage" in result.output


def test_stack_status_tells_integrators_where_agencies_connect_and_what_they_trust(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANDINA_STACK_STATE_DIR", str(tmp_path))
    settings = StackSettings()
    tls, _ = ensure_broker_tls(settings.kafka_tls_dir)
    end = certificate_end(settings.kafka_tls_dir)
    assert end is not None

    result = CliRunner().invoke(app, ["stack", "status"])

    assert result.exit_code == 1  # nothing of this stack runs
    said = "".join(result.output.split())  # the console wraps long lines
    expected = f"SASL_SSL on 127.0.0.1:{settings.kafka_tls_port}, trusting {tls.ca_file}"
    assert "".join(expected.split()) in said
    assert f"certificateends{end:%Y-%m-%d}" in said
