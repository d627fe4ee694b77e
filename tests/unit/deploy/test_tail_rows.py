"""How a sealed delivery reads in `andina tail`: opened on a host holding the recipient's key,
and otherwise nothing but its sealed form."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from andina.contract.envelope import Handling, service_source, unsigned_event
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.fetching import UNDECODABLE_HEADER
from andina.contract.sealing import DeliveryOpener, DeliverySealer
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind
from andina.deploy.tail import event_row


@pytest.fixture
def keys_dir(tmp_path: Path) -> Path:
    for name, kind in (("CO", SignerKind.COUNTRY), ("EC", SignerKind.COUNTRY), ("alerts", SignerKind.SERVICE)):
        key = SignerKey.generate(name)
        key.save(tmp_path)
        KeyDirectory.publish(tmp_path / "directory.json", key, kind)
    return tmp_path


def sealed_record(keys_dir: Path, event: dict[str, object]) -> SimpleNamespace:
    service = SignerKey.load(keys_dir, "alerts")
    sealer = DeliverySealer(service, KeyDirectory.load(keys_dir / "directory.json"))
    return SimpleNamespace(value=service.sign(sealer.seal(event, "CO")), offset=7, timestamp=1_795_000_000_000)


def opener(keys_dir: Path, country: str) -> DeliveryOpener:
    return DeliveryOpener.load(keys_dir, country, KeyDirectory.load(keys_dir / "directory.json"))


EVENT = unsigned_event(
    type=alerts_catalog.ALERT_DELIVERED,
    source=service_source("alerts"),
    origin="PE",
    data={"title": "Camioneta robada"},
    handling=Handling.H1,
)


def test_the_recipients_host_sees_the_event_as_sent(keys_dir: Path) -> None:
    row = event_row(sealed_record(keys_dir, EVENT), opener(keys_dir, "CO"))

    assert row[2:] == [alerts_catalog.ALERT_DELIVERED, EVENT["id"], "PE", "title=Camioneta robada"]


def test_without_the_key_only_the_sealed_form_shows(keys_dir: Path) -> None:
    row = event_row(sealed_record(keys_dir, EVENT))

    assert row[2] == "andina.alerts.sealed.v1"
    assert row[3] != EVENT["id"]
    assert row[4:] == ["", "[dim](sealed for CO)[/dim]"]


def test_another_countrys_key_says_why_it_does_not_open(keys_dir: Path) -> None:
    row = event_row(sealed_record(keys_dir, EVENT), opener(keys_dir, "EC"))

    assert (row[2], row[5]) == (
        "andina.alerts.sealed.v1",
        "[red]does not open[/red]: not-sealed-for-you: sealed for CO, not for EC",
    )


def test_a_batch_the_client_could_not_read_is_shown_with_its_reason() -> None:
    record = SimpleNamespace(
        value=b"\x00\x01", offset=40, timestamp=1_795_000_000_000, headers=[(UNDECODABLE_HEADER, b"CRC mismatch")]
    )

    assert event_row(record)[1:] == ["40", "[red]undecodable batch[/red]", "", "", "CRC mismatch"]
