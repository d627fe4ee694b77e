import base64
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import orjson
import pytest
from nacl.exceptions import CryptoError
from nacl.public import Box

from andina.contract.envelope import Handling, SealedEnvelope, sealed_type, service_source, unsigned_event
from andina.contract.events import customs as customs_types
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.sealing import DeliveryOpener, DeliverySealer, Unopenable
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind

SECRET = {"subject": "Juan Perez Quispe", "passport": "PE-4471-XK"}


@pytest.fixture
def keys_dir(tmp_path: Path) -> Path:
    for name in ("PE", "CO", "alerts"):
        key = SignerKey.generate(name)
        key.save(tmp_path)
        KeyDirectory.publish(
            tmp_path / "directory.json", key, SignerKind.COUNTRY if name.isupper() else SignerKind.SERVICE
        )
    return tmp_path


def directory(keys_dir: Path) -> KeyDirectory:
    return KeyDirectory.load(keys_dir / "directory.json")


def opener(keys_dir: Path, country: str) -> DeliveryOpener:
    return DeliveryOpener.load(keys_dir, country, directory(keys_dir))


def alert_delivered(data: dict[str, Any] = SECRET) -> dict[str, Any]:
    return unsigned_event(
        type=alerts_catalog.ALERT_DELIVERED,
        source=service_source("alerts"),
        origin="PE",
        data=data,
        handling=Handling.H2,
        causationid=uuid4(),
    )


def delivery(keys_dir: Path, recipient: str, attributes: dict[str, Any] | None = None) -> bytes:
    """What the alerts service puts on ``recipient``'s partition of its deliveries topic."""
    service = SignerKey.load(keys_dir, "alerts")
    sealer = DeliverySealer(service, directory(keys_dir))
    return service.sign(sealer.seal(attributes or alert_delivered(), recipient))


def test_the_recipient_opens_its_delivery_with_every_attribute_as_sent(keys_dir: Path) -> None:
    sent = alert_delivered()

    opened = opener(keys_dir, "CO").open_attributes(delivery(keys_dir, "CO", sent))

    assert {name: opened[name] for name in sent} == sent
    assert (opened["signer"], opened["keyid"]) == ("alerts", SignerKey.load(keys_dir, "alerts").key_id)


def test_only_the_sending_service_and_the_recipient_travel_in_clear(keys_dir: Path) -> None:
    sent = alert_delivered()

    wire = delivery(keys_dir, "CO", sent)

    sealed = SealedEnvelope.model_validate_json(wire)
    assert (sealed.type, sealed.source, sealed.signer, sealed.sealedfor) == (
        "andina.alerts.sealed.v1",
        "/services/alerts",
        "alerts",
        "CO",
    )
    for secret in ("Juan", "PE-4471", "alert-delivered", "origin", "handling", sent["id"], sent["causationid"]):
        assert secret.encode() not in wire, secret


def test_a_republished_event_gets_a_fresh_sealed_id_and_opens_to_the_same_event(keys_dir: Path) -> None:
    sent = alert_delivered()

    first, again = delivery(keys_dir, "CO", sent), delivery(keys_dir, "CO", sent)

    assert SealedEnvelope.model_validate_json(first).id != SealedEnvelope.model_validate_json(again).id
    co = opener(keys_dir, "CO")
    assert co.open(first).id == co.open(again).id == UUID(sent["id"])


def test_another_country_reading_the_partition_cannot_open_it(keys_dir: Path) -> None:
    wire = delivery(keys_dir, "CO")

    with pytest.raises(Unopenable, match="sealed for CO, not for PE"):
        opener(keys_dir, "PE").open(wire)


def test_claiming_it_was_sealed_for_oneself_breaks_the_signature(keys_dir: Path) -> None:
    relabelled = {**orjson.loads(delivery(keys_dir, "CO")), "sealedfor": "PE"}

    with pytest.raises(Unopenable, match="bad-signature"):
        opener(keys_dir, "PE").open(orjson.dumps(relabelled))


def test_the_ciphertext_does_not_open_with_another_countrys_key(keys_dir: Path) -> None:
    sealed = SealedEnvelope.model_validate_json(delivery(keys_dir, "CO"))
    service = SignerKey.load(keys_dir, "alerts").key.verify_key.to_curve25519_public_key()
    pe_box = Box(SignerKey.load(keys_dir, "PE").key.to_curve25519_private_key(), service)

    with pytest.raises(CryptoError):
        pe_box.decrypt(base64.b64decode(sealed.data_base64))


def test_what_was_sealed_before_a_rotation_still_opens_after_it(keys_dir: Path) -> None:
    before = delivery(keys_dir, "CO")
    old = SignerKey.load(keys_dir, "CO")
    new = SignerKey.generate("CO")
    KeyDirectory.publish(keys_dir / "directory.json", new, SignerKind.COUNTRY, keep_previous=True)
    old.save_as_previous(keys_dir)
    new.save(keys_dir)
    after = delivery(keys_dir, "CO")

    co = opener(keys_dir, "CO")

    assert SealedEnvelope.model_validate_json(after).sealkeyid == new.key_id
    assert co.open(before).data == co.open(after).data == SECRET


def test_an_opener_holding_only_the_old_key_reloads_the_rotated_one(keys_dir: Path) -> None:
    co = opener(keys_dir, "CO")
    new = SignerKey.generate("CO")
    KeyDirectory.publish(keys_dir / "directory.json", new, SignerKind.COUNTRY, keep_previous=True)
    SignerKey.load(keys_dir, "CO").save_as_previous(keys_dir)
    new.save(keys_dir)

    assert co.open(delivery(keys_dir, "CO")).data == SECRET


def test_tampered_ciphertext_is_refused(keys_dir: Path) -> None:
    event = orjson.loads(delivery(keys_dir, "CO"))
    raw = bytearray(base64.b64decode(event["data_base64"]))
    raw[-1] ^= 1
    event["data_base64"] = base64.b64encode(raw).decode()

    with pytest.raises(Unopenable):
        opener(keys_dir, "CO").open(orjson.dumps(event))


def test_a_clear_event_is_not_a_delivery(keys_dir: Path) -> None:
    service = SignerKey.load(keys_dir, "alerts")
    clear = service.sign(
        unsigned_event(type=alerts_catalog.ALERT_DELIVERED, source=service_source("alerts"), origin="PE", data={})
    )

    with pytest.raises(Unopenable, match="not a sealed delivery"):
        opener(keys_dir, "CO").open(clear)


def test_a_service_will_not_start_while_a_member_has_no_key_to_seal_for(keys_dir: Path) -> None:
    DeliverySealer.check_recipients(["PE", "CO"], directory(keys_dir))

    with pytest.raises(ValueError, match="no key in the key directory for AR, BR"):
        DeliverySealer.check_recipients(["PE", "BR", "AR"], directory(keys_dir))


def test_a_service_cannot_pass_off_another_services_event_inside_its_own_seal(keys_dir: Path) -> None:
    service = SignerKey.load(keys_dir, "alerts")
    customs_event = {**alert_delivered(), "type": customs_types.RISK_HIT, "source": service_source("customs")}
    sealed = DeliverySealer(service, directory(keys_dir)).seal(customs_event, "CO")
    relabelled = service.sign({**sealed, "type": sealed_type("alerts"), "source": service_source("alerts")})

    with pytest.raises(Unopenable, match="not an event of alerts"):
        opener(keys_dir, "CO").open(relabelled)


def test_the_sealed_event_names_the_service_even_when_the_event_inside_names_an_agency(keys_dir: Path) -> None:
    relayed = {**alert_delivered(), "source": "/countries/PE/agencies/dirincri"}

    wire = delivery(keys_dir, "CO", relayed)

    assert SealedEnvelope.model_validate_json(wire).source == "/services/alerts"
    assert b"dirincri" not in wire
    assert opener(keys_dir, "CO").open(wire).source == "/countries/PE/agencies/dirincri"
