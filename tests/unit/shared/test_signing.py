from typing import Any

import orjson
import pytest
from cloudevents.core.bindings.kafka import KafkaMessage, from_structured_event

from andina.contract.client import agency_event
from andina.contract.envelope import Envelope, Evaluation, Handling, service_source, unsigned_event
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.events.catalogs import customs as customs_catalog
from andina.contract.rejections import Reason, Rejected
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind

TYPE = alerts_catalog.MESSAGE_SENT


@pytest.fixture(scope="module")
def signers() -> dict[str, SignerKey]:
    return {name: SignerKey.generate(name) for name in ("PE", "CO", "alerts", "customs")}


@pytest.fixture(scope="module")
def directory(signers: dict[str, SignerKey], tmp_path_factory: pytest.TempPathFactory) -> KeyDirectory:
    path = tmp_path_factory.mktemp("keys") / "directory.json"
    for name, key in signers.items():
        KeyDirectory.publish(path, key, SignerKind.COUNTRY if name.isupper() else SignerKind.SERVICE)
    return KeyDirectory.load(path)


def signed(key: SignerKey, **overrides: Any) -> dict[str, Any]:
    wire = agency_event(key, "policia", TYPE, {"subject": "s"}, Handling.H1).wire
    return {**orjson.loads(wire), **overrides}


def test_a_signed_event_verifies_and_is_a_valid_envelope(
    signers: dict[str, SignerKey], directory: KeyDirectory
) -> None:
    event = signed(signers["PE"])

    directory.verify(event)
    envelope = Envelope.model_validate_json(orjson.dumps(event), strict=True)
    assert (envelope.origin, envelope.signer, envelope.handling) == ("PE", "PE", Handling.H1)
    assert envelope.correlationid == envelope.id


def test_verification_does_not_depend_on_key_order_or_whitespace(
    signers: dict[str, SignerKey], directory: KeyDirectory
) -> None:
    event = signed(signers["PE"])
    reordered = orjson.loads(orjson.dumps(dict(reversed(list(event.items()))), option=orjson.OPT_INDENT_2))

    directory.verify(reordered)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"data": {"subject": "changed"}}, Reason.BAD_SIGNATURE),
        ({"handling": "h0"}, Reason.BAD_SIGNATURE),
        ({"signature": "A" * 88}, Reason.BAD_SIGNATURE),
        ({"signature": "not base64!"}, Reason.BAD_SIGNATURE),
        ({"origin": "CO"}, Reason.ORIGIN_MISMATCH),
        ({"signer": "AR"}, Reason.UNKNOWN_SIGNER),
    ],
)
def test_tampered_or_spoofed_events_are_rejected(
    signers: dict[str, SignerKey], directory: KeyDirectory, change: dict[str, Any], reason: Reason
) -> None:
    with pytest.raises(Rejected) as caught:
        directory.verify(signed(signers["PE"], **change))
    assert caught.value.reason is reason


def test_a_country_cannot_sign_as_another(signers: dict[str, SignerKey], directory: KeyDirectory) -> None:
    # CO's key, but the event claims to come from PE.
    attributes = unsigned_event(type=TYPE, source="/countries/PE/agencies/policia", origin="PE", data={})
    with pytest.raises(Rejected) as caught:
        directory.verify(orjson.loads(signers["CO"].sign(attributes)))
    assert caught.value.reason is Reason.ORIGIN_MISMATCH


def test_a_service_signs_only_its_own_event_types(signers: dict[str, SignerKey], directory: KeyDirectory) -> None:
    own = unsigned_event(type=alerts_catalog.MESSAGE_DELIVERED, source=service_source("alerts"), origin="PE", data={})
    other = {**own, "type": customs_catalog.MESSAGE_DELIVERED}

    directory.verify(orjson.loads(signers["alerts"].sign(own)))
    with pytest.raises(Rejected) as caught:
        directory.verify(orjson.loads(signers["alerts"].sign(other)))
    assert caught.value.reason is Reason.ORIGIN_MISMATCH


def test_keys_survive_a_save_and_load(signers: dict[str, SignerKey], tmp_path_factory: pytest.TempPathFactory) -> None:
    keys_dir = tmp_path_factory.mktemp("private")
    signers["PE"].save(keys_dir)

    assert SignerKey.load(keys_dir, "PE").public_key_b64 == signers["PE"].public_key_b64
    assert (keys_dir / "PE.key").stat().st_mode & 0o077 == 0


def test_the_wire_form_is_a_cloudevent_for_the_official_sdk(signers: dict[str, SignerKey]) -> None:
    wire = agency_event(signers["PE"], "policia", TYPE, {"subject": "s"}, Handling.H2).wire

    event = from_structured_event(KafkaMessage(headers={}, key=None, value=wire))

    attributes = event.get_attributes()
    assert attributes["specversion"] == "1.0"
    assert attributes["type"] == TYPE
    assert (attributes["origin"], attributes["handling"], attributes["signer"]) == ("PE", "h2", "PE")
    assert event.get_data() == {"subject": "s"}


def test_evaluation_codes_are_the_4x4_grid() -> None:
    assert str(Evaluation.parse("B2")) == "B2"
    assert Evaluation.parse("X4").source.value == "X"
    for bad in ("D1", "A5", "A", "A12"):
        with pytest.raises(ValueError, match=r"is not a valid|must be a letter"):
            Evaluation.parse(bad)
