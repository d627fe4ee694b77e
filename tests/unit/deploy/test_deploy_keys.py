"""`andina keys generate`: a key per country and per service, kept unless --force."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from andina.contract.countries import CountryRegistry
from andina.contract.envelope import agency_source, unsigned_event
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.events.indicators import OBSERVATORY
from andina.contract.signing import KeyDirectory, SignerKey
from andina.contract.topics import TopicRegistry
from andina.deploy.cli import app
from andina.deploy.keys import generate_keys

COUNTRIES = CountryRegistry.load().codes
SERVICES = TopicRegistry.load().services


def _key_files(keys_dir: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(keys_dir.glob("*.key"))}


def test_generates_a_directory_that_verifies_every_signer(tmp_path: Path) -> None:
    keys_dir, directory = tmp_path / "keys", tmp_path / "keys" / "directory.json"

    result = generate_keys(keys_dir, directory, COUNTRIES, SERVICES)

    assert sorted(result.generated) == sorted([*COUNTRIES, *SERVICES, OBSERVATORY])
    loaded = KeyDirectory.load(directory)
    for signer in [*COUNTRIES, *SERVICES, OBSERVATORY]:
        assert signer in loaded
    event = unsigned_event(type=alerts_catalog.MESSAGE_SENT, source=agency_source("PE", "pnp"), origin="PE", data={})
    loaded.verify(orjson.loads(SignerKey.load(keys_dir, "PE").sign(event)))


def test_without_force_existing_keys_are_kept(tmp_path: Path) -> None:
    keys_dir, directory = tmp_path / "keys", tmp_path / "keys" / "directory.json"
    generate_keys(keys_dir, directory, COUNTRIES, SERVICES)
    before, directory_before = _key_files(keys_dir), directory.read_text()

    again = generate_keys(keys_dir, directory, COUNTRIES, SERVICES)

    assert again.generated == []
    assert not again.directory_written
    assert _key_files(keys_dir) == before
    assert directory.read_text() == directory_before


def test_a_missing_key_is_added_and_the_others_kept(tmp_path: Path) -> None:
    keys_dir, directory = tmp_path / "keys", tmp_path / "keys" / "directory.json"
    generate_keys(keys_dir, directory, COUNTRIES, SERVICES)
    before = _key_files(keys_dir)
    (keys_dir / "CO.key").unlink()

    result = generate_keys(keys_dir, directory, COUNTRIES, SERVICES)

    assert result.generated == ["CO"]
    after = _key_files(keys_dir)
    assert after["CO.key"] != before["CO.key"]
    assert {k: v for k, v in after.items() if k != "CO.key"} == {k: v for k, v in before.items() if k != "CO.key"}
    assert result.directory_written


def test_force_replaces_every_key(tmp_path: Path) -> None:
    keys_dir, directory = tmp_path / "keys", tmp_path / "keys" / "directory.json"
    generate_keys(keys_dir, directory, COUNTRIES, SERVICES)
    before = _key_files(keys_dir)

    generate_keys(keys_dir, directory, COUNTRIES, SERVICES, force=True)

    after = _key_files(keys_dir)
    assert set(after) == set(before)
    assert all(after[name] != before[name] for name in before)
    KeyDirectory.load(directory)


def test_the_command_writes_where_the_environment_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANDINA_KEYS_DIR", str(tmp_path / "k"))
    monkeypatch.setenv("ANDINA_KEY_DIRECTORY", str(tmp_path / "k" / "dir.json"))

    first = CliRunner().invoke(app, ["keys", "generate"])
    second = CliRunner().invoke(app, ["keys", "generate"])

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert "unchanged" in second.output
    KeyDirectory.load(tmp_path / "k" / "dir.json")
