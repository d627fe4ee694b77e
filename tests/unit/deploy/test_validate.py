"""An integrator learns what the network would say of an event before sending it:
`andina validate <file>` and `POST /validate` on a service give the gate's own verdict."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from typer.testing import CliRunner

from andina.alerts.app import create_app
from andina.alerts.settings import Settings
from andina.deploy.cli import app
from andina.shared.client import agency_event
from andina.shared.countries import CountryRegistry
from andina.shared.events.catalogs.alerts import MESSAGE_SENT
from andina.shared.settings import AndinaSettings
from andina.shared.signing import KeyDirectory, SignerKey, SignerKind

DEFAULT_LIMIT: int = AndinaSettings.model_fields["max_event_bytes"].default
MESSAGE = {"subject": "Vehículo robado", "body": "Placa ABC-123 cruzó hacia Tumbes", "recipients": ["CO"]}


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    keys_dir = tmp_path_factory.mktemp("keys")
    for country in CountryRegistry.load().every_code:
        key = SignerKey.generate(country)
        key.save(keys_dir)
        KeyDirectory.publish(keys_dir / "directory.json", key, SignerKind.COUNTRY)
    alerts = SignerKey.generate("alerts")
    alerts.save(keys_dir)
    KeyDirectory.publish(keys_dir / "directory.json", alerts, SignerKind.SERVICE)
    return keys_dir


def signed(keys: Path, data: dict[str, Any] = MESSAGE) -> bytes:
    return agency_event(SignerKey.load(keys, "PE"), "dirincri", MESSAGE_SENT, data).wire


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
    for expected, (value, record_key) in cases(keys).items():
        event = tmp_path / "event.json"
        event.write_bytes(value)

        result = CliRunner().invoke(
            app, ["validate", str(event), *(["--record-key", record_key] if record_key else [])]
        )

        assert result.output.startswith(expected), result.output
        assert result.exit_code == (0 if expected == "accepted" else 1)


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
