"""An integrator learns what the network would say of an event before sending it:
`andina validate <file>` asks the running service, or with none running its gate; `POST /validate` on a
service gives the gate's own verdict and runs its handlers' rules on the content."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from typer.testing import CliRunner

from andina.alerts.app import create_app
from andina.alerts.settings import Settings
from andina.contract.client import agency_event
from andina.contract.countries import CountryRegistry
from andina.contract.events.catalogs.alerts import ALERT_RAISED, MESSAGE_SENT
from andina.contract.events.catalogs.finance_trace import REPORT_SUBMITTED as REPORT
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind
from andina.deploy.cli import app
from andina.deploy.demo_finance_trace import account, transfer_report
from andina.deploy.settings import StackSettings
from andina.finance_trace.app import create_app as create_finance
from andina.finance_trace.settings import Settings as FinanceSettings
from andina.shared.settings import AndinaSettings


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def answering(body: bytes) -> Iterator[int]:
    """A stand-in for a running service's HTTP port: every POST gets ``body``; its port."""

    class Answer(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


DEFAULT_LIMIT: int = AndinaSettings.model_fields["max_event_bytes"].default
PE_ACCOUNT, CO_ACCOUNT = account("PE", "191-55-01"), account("CO", "0550-55-88")
MESSAGE = {"subject": "Vehículo robado", "body": "Placa ABC-123 cruzó hacia Tumbes", "recipients": ["CO"]}


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    keys_dir = tmp_path_factory.mktemp("keys")
    for country in CountryRegistry.load().every_code:
        key = SignerKey.generate(country)
        key.save(keys_dir)
        KeyDirectory.publish(keys_dir / "directory.json", key, SignerKind.COUNTRY)
    for service in ("alerts", "finance-trace"):
        key = SignerKey.generate(service)
        key.save(keys_dir)
        KeyDirectory.publish(keys_dir / "directory.json", key, SignerKind.SERVICE)
    return keys_dir


def signed(keys: Path, data: dict[str, Any] = MESSAGE, event_type: str = MESSAGE_SENT) -> bytes:
    return agency_event(SignerKey.load(keys, "PE"), "dirincri", event_type, data).wire


def cases(keys: Path) -> dict[str, tuple[bytes, str | None]]:
    """Event bytes and record key -> the verdict's first words."""
    valid = signed(keys)
    return {
        "accepted": (valid, None),
        "bad-signature: signature does not verify for 'PE'": (valid.replace(b"ABC-123", b"XYZ-999"), None),
        "invalid-payload: subject": (signed(keys, {k: v for k, v in MESSAGE.items() if k != "subject"}), None),
        "wrong-key: record key 'CO' is not the origin 'PE'": (valid, "CO"),
        "malformed-json": (valid[:-3], None),
        "oversized": (valid + b" " * DEFAULT_LIMIT, None),
    }


def test_andina_validate_prints_the_gates_verdict(keys: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANDINA_KEY_DIRECTORY", str(keys / "directory.json"))
    monkeypatch.setenv(StackSettings.service_port_env("alerts"), str(unused_port()))  # alerts is not running
    for expected, (value, record_key) in cases(keys).items():
        event = tmp_path / "event.json"
        event.write_bytes(value)

        result = CliRunner().invoke(
            app, ["validate", str(event), *(["--record-key", record_key] if record_key else [])]
        )

        assert result.output.startswith(expected), result.output
        assert result.exit_code == (0 if expected == "accepted" else 1)


def test_andina_validate_asks_the_running_service_and_prints_its_verdict(
    keys: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = {"verdict": "accepted", "reason": None, "detail": "", "refused": [{"ref": "t:PE-1", "reason": "self"}]}
    with answering(orjson.dumps(answer)) as port:
        monkeypatch.setenv(StackSettings.service_port_env("alerts"), str(port))
        event = tmp_path / "event.json"
        event.write_bytes(cases(keys)["accepted"][0])

        result = CliRunner().invoke(app, ["validate", str(event)])

    assert result.output.splitlines() == ["accepted", "  refused part: {'ref': 't:PE-1', 'reason': 'self'}"]
    assert result.exit_code == 0


async def test_a_service_answers_post_validate_with_the_same_verdict(keys: Path) -> None:
    settings = Settings(keys_dir=keys, key_directory=keys / "directory.json", topic_namespace="andina")
    transport = httpx.ASGITransport(app=create_app(settings))  # no lifespan: nothing connects
    async with httpx.AsyncClient(transport=transport, base_url="http://alerts") as http:
        for expected, (value, record_key) in cases(keys).items():
            answer = await http.post("/validate", content=value, params={"key": record_key} if record_key else {})

            assert answer.status_code == 200
            verdict = orjson.loads(answer.content)
            assert verdict["verdict"].startswith(expected)
            assert verdict["reason"] == (None if expected == "accepted" else expected.split(":")[0])


async def test_post_validate_runs_the_services_rules_on_the_content(keys: Path) -> None:
    """Beyond the gate: what the service's handler refuses, and the parts of a report it would refuse."""
    report = transfer_report(PE_ACCOUNT, CO_ACCOUNT, "2500", "USD", datetime.now(UTC) - timedelta(hours=3), "a")
    to_itself = {**report["transactions"][0], "reference": "TX-2", "to_account": PE_ACCOUNT, "transfer_ref": None}
    report["transactions"].append(to_itself)
    alert = {
        "priority": "FLASH",
        "category": "vehicle",
        "title": "Camioneta",
        "facts": "PBA-1234",
        "recipients": ["PE"],
    }
    settings: dict[str, Any] = {"keys_dir": keys, "key_directory": keys / "directory.json", "topic_namespace": "andina"}
    apps = {"alerts": create_app(Settings(**settings)), "finance-trace": create_finance(FinanceSettings(**settings))}

    answers = {}
    for service, event in [
        ("alerts", signed(keys, alert, ALERT_RAISED)),
        ("finance-trace", signed(keys, report, REPORT)),
    ]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=apps[service]), base_url="http://a") as http:
            answers[service] = orjson.loads((await http.post("/validate", content=event)).content)

    assert answers["alerts"] == {
        "verdict": "invalid-payload: an alert needs a recipient other than its origin",
        "reason": "invalid-payload",
        "detail": "an alert needs a recipient other than its origin",
        "refused": [],
    }
    assert answers["finance-trace"]["verdict"] == "accepted"
    assert [(r["position"], r["reference"], r["rule"]) for r in answers["finance-trace"]["refused"]] == [
        (1, "TX-2", "self-transfer")
    ]
