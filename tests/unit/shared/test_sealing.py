import base64
from pathlib import Path
from typing import Any
from uuid import uuid4

import orjson
import pytest
from nacl.exceptions import CryptoError
from nacl.public import Box

from andina.shared.envelope import Handling, SealedEnvelope, service_source, unsigned_event
from andina.shared.sealing import DeliveryOpener, DeliverySealer, Unopenable
from andina.shared.signing import KeyDirectory, SignerKey, SignerKind

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


def delivery(keys_dir: Path, recipient: str, data: dict[str, Any] = SECRET) -> bytes:
    """What the alerts service puts on ``recipient``'s partition of its deliveries topic."""
    service = SignerKey.load(keys_dir, "alerts")
    attributes = unsigned_event(
        type="andina.alerts.alert-delivered.v1",
        source=service_source("alerts"),
        origin="PE",
        data=data,
        handling=Handling.H2,
        causationid=uuid4(),
    )
    return service.sign(DeliverySealer(service, directory(keys_dir)).seal(attributes, recipient))


def test_the_recipient_opens_its_delivery_with_every_attribute_as_sent(keys_dir: Path) -> None:
    wire = delivery(keys_dir, "CO")

    opened = opener(keys_dir, "CO").open(wire)

    assert opened.data == SECRET
    sealed = SealedEnvelope.model_validate_json(wire)
    assert (opened.id, opened.type, opened.origin, opened.causationid) == (
        sealed.id,
        sealed.type,
        "PE",
        sealed.causationid,
    )


def test_the_data_never_travels_in_clear(keys_dir: Path) -> None:
    wire = delivery(keys_dir, "CO")

    assert b"Juan" not in wire
    assert b"PE-4471" not in wire
    assert "data" not in orjson.loads(wire)


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
        unsigned_event(type="andina.alerts.alert-delivered.v1", source=service_source("alerts"), origin="PE", data={})
    )

    with pytest.raises(Unopenable, match="not a sealed delivery"):
        opener(keys_dir, "CO").open(clear)


def test_a_service_will_not_start_while_a_member_has_no_key_to_seal_for(keys_dir: Path) -> None:
    DeliverySealer.check_recipients(["PE", "CO"], directory(keys_dir))

    with pytest.raises(ValueError, match="no key in the key directory for AR, BR"):
        DeliverySealer.check_recipients(["PE", "BR", "AR"], directory(keys_dir))
