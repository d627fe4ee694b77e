"""`andina keys publish`: a member that keeps its private key in its own systems sends the public
half; a valid one enters the directory, a weak or garbled one changes nothing."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from andina.deploy.cli import app
from andina.shared.envelope import agency_source, unsigned_event
from andina.shared.rejections import Reason, Rejected
from andina.shared.signing import KeyDirectory, SignerKey


@pytest.fixture
def keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setenv("ANDINA_KEYS_DIR", str(tmp_path / "keys"))
    monkeypatch.setenv("ANDINA_KEY_DIRECTORY", str(tmp_path / "keys" / "directory.json"))
    generated = CliRunner().invoke(app, ["keys", "generate"])
    assert generated.exit_code == 0, generated.output
    return tmp_path / "keys", tmp_path / "keys" / "directory.json"


def _signed_by(key: SignerKey) -> dict[str, Any]:
    event = unsigned_event(
        type="andina.alerts.message-sent.v1", source=agency_source("PE", "pnp"), origin="PE", data={}
    )
    parsed: dict[str, Any] = orjson.loads(key.sign(event))
    return parsed


def _publish(*args: str) -> Any:
    return CliRunner().invoke(app, ["keys", "publish", *args])


def test_a_key_a_member_sent_verifies_its_events_beside_the_old_key_while_that_is_kept(
    keys: tuple[Path, Path],
) -> None:
    keys_dir, directory = keys
    verifier = KeyDirectory.load(directory)  # loaded before, as by a running service
    old = SignerKey.load(keys_dir, "PE")
    own = SignerKey.generate("PE")  # made in PE's systems: only its public half reaches the operator

    result = _publish("PE", f" {own.public_key_b64}\n", "--keep-previous")  # as pasted from a message

    assert result.exit_code == 0, result.output
    assert own.key_id in result.output
    assert orjson.loads(directory.read_bytes())["signers"]["PE"]["public_key"] == own.public_key_b64
    verifier.verify(_signed_by(own))
    verifier.verify(_signed_by(old))


def test_without_keep_previous_the_replaced_key_is_refused_at_once(keys: tuple[Path, Path]) -> None:
    keys_dir, directory = keys
    old = SignerKey.load(keys_dir, "PE")
    own = SignerKey.generate("PE")

    assert _publish("PE", own.public_key_b64).exit_code == 0

    verifier = KeyDirectory.load(directory)
    verifier.verify(_signed_by(own))
    with pytest.raises(Rejected) as refused:
        verifier.verify(_signed_by(old))
    assert refused.value.reason is Reason.UNKNOWN_SIGNER


@pytest.mark.parametrize(
    ("public_key", "why"),
    [
        (base64.b64encode(bytes([1]) + bytes(31)).decode(), "not a valid Ed25519 key"),  # small order
        (base64.b64encode(bytes(31)).decode(), "not a valid Ed25519 key"),  # too short
        ("not base64!", "base64"),
    ],
    ids=["small-order", "31-bytes", "garbled"],
)
def test_a_weak_or_garbled_key_is_refused_and_the_directory_left_as_it_was(
    keys: tuple[Path, Path], public_key: str, why: str
) -> None:
    _, directory = keys
    before = directory.read_bytes()

    result = _publish("PE", public_key)

    said = " ".join(result.output.split())  # as printed, wrapped to the terminal's width
    assert result.exit_code == 1
    assert "PE's key not published" in said
    assert why in said
    assert "Traceback" not in said
    assert directory.read_bytes() == before


def test_a_signer_that_is_neither_member_nor_service_is_refused(keys: tuple[Path, Path]) -> None:
    _, directory = keys
    before = directory.read_bytes()

    result = _publish("XX", SignerKey.generate("XX").public_key_b64)

    assert result.exit_code == 1
    assert "country registry" in " ".join(result.output.split())
    assert directory.read_bytes() == before
