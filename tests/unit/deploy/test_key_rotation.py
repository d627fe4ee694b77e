"""`andina keys rotate` / `retire` / `publish`: a signer changes key while verifiers keep running,
nothing refused; a key a member made in its own systems enters the directory only if valid."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from andina.contract.envelope import agency_source, unsigned_event
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.rejections import Reason, Rejected
from andina.contract.signing import KeyDirectory, SignerKey
from andina.deploy.cli import app
from andina.deploy.keys import generate_keys, retire_keys, rotate_key
from andina.deploy.processes import StackError


def _signed_by(key: SignerKey) -> dict[str, Any]:
    event = unsigned_event(type=alerts_catalog.MESSAGE_SENT, source=agency_source("PE", "pnp"), origin="PE", data={})
    parsed: dict[str, Any] = orjson.loads(key.sign(event))
    return parsed


def _reason(directory: KeyDirectory, event: dict[str, Any]) -> Reason:
    with pytest.raises(Rejected) as caught:
        directory.verify(event)
    return caught.value.reason


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    keys_dir = tmp_path / "keys"
    generate_keys(keys_dir, keys_dir / "directory.json", ("PE", "CO"), ("alerts",))
    return keys_dir, keys_dir / "directory.json"


def test_a_running_verifier_accepts_old_and_new_keys_during_a_rotation_and_only_the_new_after_retiring(
    keys: tuple[Path, Path],
) -> None:
    keys_dir, path = keys
    verifier = KeyDirectory.load(path)  # loaded once, as by a running service
    verifier.RECHECK_SECONDS = 0.0  # see a retirement at once instead of within seconds
    before = SignerKey.load(keys_dir, "PE")

    old_id, new_id = rotate_key(keys_dir, path, "PE")
    after = SignerKey.load(keys_dir, "PE")

    assert (old_id, new_id) == (before.key_id, after.key_id)
    assert old_id != new_id
    verifier.verify(_signed_by(after))
    verifier.verify(_signed_by(before))
    assert retire_keys(path, "PE") == 1
    verifier.verify(_signed_by(after))
    assert _reason(verifier, _signed_by(before)) is Reason.UNKNOWN_SIGNER


def test_a_new_key_is_accepted_by_a_verifier_loaded_before_it_was_published(keys: tuple[Path, Path]) -> None:
    keys_dir, path = keys
    verifier = KeyDirectory.load(path)  # the default recheck interval: the unknown key id itself triggers a re-read

    rotate_key(keys_dir, path, "PE")

    verifier.verify(_signed_by(SignerKey.load(keys_dir, "PE")))


def test_the_key_id_is_signed_so_it_cannot_be_swapped_for_another_accepted_key(keys: tuple[Path, Path]) -> None:
    keys_dir, path = keys
    before = SignerKey.load(keys_dir, "PE")
    rotate_key(keys_dir, path, "PE")
    event = _signed_by(SignerKey.load(keys_dir, "PE"))

    assert _reason(KeyDirectory.load(path), {**event, "keyid": before.key_id}) is Reason.BAD_SIGNATURE


def test_rotating_twice_keeps_every_unretired_key_and_other_signers_untouched(keys: tuple[Path, Path]) -> None:
    keys_dir, path = keys
    co_before = KeyDirectory.load(path).key_ids("CO")

    first, _ = rotate_key(keys_dir, path, "PE")
    second, third = rotate_key(keys_dir, path, "PE")

    assert KeyDirectory.load(path).key_ids("PE") == {first, second, third}
    assert KeyDirectory.load(path).key_ids("CO") == co_before


def test_an_unknown_signer_cannot_be_rotated_or_retired(keys: tuple[Path, Path]) -> None:
    keys_dir, path = keys
    SignerKey.generate("EC").save(keys_dir)  # a key file but never published

    with pytest.raises(StackError):
        rotate_key(keys_dir, path, "EC")
    with pytest.raises(StackError):
        retire_keys(path, "EC")


def test_a_directory_published_broken_leaves_a_running_verifier_with_the_keys_it_had(keys: tuple[Path, Path]) -> None:
    keys_dir, path = keys
    verifier = KeyDirectory.load(path)
    verifier.RECHECK_SECONDS = 0.0

    path.write_text('{"signers": {"PE": ')  # half a file, as a bad hand edit would leave it

    verifier.verify(_signed_by(SignerKey.load(keys_dir, "PE")))


@pytest.fixture
def cli_keys(keys: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The same keys, where the `andina` command finds them."""
    monkeypatch.setenv("ANDINA_KEYS_DIR", str(keys[0]))
    monkeypatch.setenv("ANDINA_KEY_DIRECTORY", str(keys[1]))
    return keys


def _publish(*args: str) -> Any:
    return CliRunner().invoke(app, ["keys", "publish", *args])


def test_a_key_a_member_sent_verifies_its_events_beside_the_old_key_while_that_is_kept(
    cli_keys: tuple[Path, Path],
) -> None:
    keys_dir, directory = cli_keys
    verifier = KeyDirectory.load(directory)  # loaded before, as by a running service
    old = SignerKey.load(keys_dir, "PE")
    own = SignerKey.generate("PE")  # made in PE's systems: only its public half reaches the operator

    result = _publish("PE", f" {own.public_key_b64}\n", "--keep-previous")  # as pasted from a message

    assert result.exit_code == 0, result.output
    assert own.key_id in result.output
    assert orjson.loads(directory.read_bytes())["signers"]["PE"]["public_key"] == own.public_key_b64
    verifier.verify(_signed_by(own))
    verifier.verify(_signed_by(old))


def test_without_keep_previous_the_replaced_key_is_refused_at_once(cli_keys: tuple[Path, Path]) -> None:
    keys_dir, directory = cli_keys
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
    cli_keys: tuple[Path, Path], public_key: str, why: str
) -> None:
    _, directory = cli_keys
    before = directory.read_bytes()

    result = _publish("PE", public_key)

    said = " ".join(result.output.split())  # as printed, wrapped to the terminal's width
    assert result.exit_code == 1
    assert "PE's key not published" in said
    assert why in said
    assert "Traceback" not in said
    assert directory.read_bytes() == before


def test_a_signer_that_is_neither_member_nor_service_is_refused(cli_keys: tuple[Path, Path]) -> None:
    _, directory = cli_keys
    before = directory.read_bytes()

    result = _publish("XX", SignerKey.generate("XX").public_key_b64)

    assert result.exit_code == 1
    assert "country registry" in " ".join(result.output.split())
    assert directory.read_bytes() == before
