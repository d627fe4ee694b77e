"""The conformance vectors in docs/conformance/ are current, and the implementation meets every one."""

import base64
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import nacl.bindings
import nacl.signing
import orjson
import pytest
from nacl.public import Box, PrivateKey, PublicKey

from andina.contract.countries import CountryRegistry
from andina.contract.envelope import canonical_bytes
from andina.contract.events.alerts_contract import AlertRaised
from andina.contract.events.catalogs.alerts import ALERT_RAISED
from andina.contract.rejections import Rejected
from andina.contract.sealing import DeliveryOpener, Unopenable
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind
from andina.contract.subject_hash import NetworkKey, account_ref, party_ref, transfer_ref
from andina.contract.topics import CountryPartitioner, TopicRegistry
from andina.deploy.conformance import DOCUMENTS, write_vectors
from andina.shared.gate import Gate

VECTORS = Path(__file__).resolve().parents[3] / "docs" / "conformance"


def vectors(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((VECTORS / name).read_text(encoding="utf-8"))
    return document


KEYS = vectors("keys.json")


def published(signer: str) -> list[dict[str, str]]:
    """The signer's published keys: current first, then a previous one still accepted."""
    entry = KEYS["signers"][signer]
    return [entry, *([entry["previous"]] if "previous" in entry else [])]


def seeded(signer: str) -> list[SignerKey]:
    return [SignerKey(signer, nacl.signing.SigningKey(bytes.fromhex(e["seed_hex"]))) for e in published(signer)]


def published_key(signer: str, key_id: str) -> dict[str, str]:
    return next(entry for entry in published(signer) if entry["key_id"] == key_id)


@pytest.fixture
def directory(tmp_path: Path) -> KeyDirectory:
    """The key directory exactly as keys.json publishes it, read from a file."""
    path = tmp_path / "directory.json"
    path.write_text(json.dumps(KEYS["directory"]))
    return KeyDirectory.load(path)


def value_of(case: dict[str, Any]) -> bytes:
    return base64.b64decode(case["value_base64"]) if "value_base64" in case else case["value"].encode()


def test_the_committed_vectors_are_what_andina_conformance_writes(tmp_path: Path) -> None:
    written = write_vectors(tmp_path)

    assert sorted(path.name for path in written) == sorted(DOCUMENTS)
    for path in written:
        assert (VECTORS / path.name).read_bytes() == path.read_bytes(), (
            f"run `andina conformance` and commit docs/conformance/{path.name}"
        )


@pytest.mark.parametrize("signer", KEYS["signers"])
def test_each_seed_gives_the_published_keys_key_id_and_x25519_keys(signer: str) -> None:
    in_directory = KEYS["directory"]["signers"][signer]

    assert [e["public_key"] for e in published(signer)] == [
        in_directory["public_key"],
        *in_directory.get("previous_keys", []),
    ]
    for entry, key in zip(published(signer), seeded(signer), strict=True):
        assert key.public_key_b64 == entry["public_key"]
        assert key.key_id == entry["key_id"]
        assert base64.b64decode(entry["key_file"]) == bytes(key.key)
        assert bytes(key.key.to_curve25519_private_key()).hex() == entry["x25519_secret_hex"]
        assert bytes(key.key.verify_key.to_curve25519_public_key()).hex() == entry["x25519_public_hex"]


@pytest.mark.parametrize("refused", KEYS["refused_public_keys"], ids=lambda k: k["name"])
def test_each_refused_public_key_is_kept_out_of_the_directory(refused: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "directory.json"
    path.write_text(json.dumps({"signers": {"PE": {"kind": "country", "public_key": refused["public_key"]}}}))

    with pytest.raises(ValueError, match="not a valid Ed25519 key"):
        KeyDirectory.publish_public(tmp_path / "published.json", "PE", refused["public_key"], SignerKind.COUNTRY)
    with pytest.raises(ValueError, match="not a valid Ed25519 key"):
        KeyDirectory.load(path)


@pytest.mark.parametrize("pair", KEYS["box_keys"], ids=lambda p: f"{p['secret_of']}-{p['public_of']}")
def test_each_box_key_is_the_x25519_agreement_of_the_pair(pair: dict[str, str]) -> None:
    secret = bytes.fromhex(KEYS["signers"][pair["secret_of"]]["x25519_secret_hex"])
    public = bytes.fromhex(KEYS["signers"][pair["public_of"]]["x25519_public_hex"])

    assert nacl.bindings.crypto_box_beforenm(public, secret).hex() == pair["box_key_hex"]


@pytest.mark.parametrize("case", vectors("canonical.json")["cases"], ids=lambda c: c["name"])
def test_the_canonical_form_of_each_event_is_the_published_bytes(case: dict[str, str]) -> None:
    canonical = canonical_bytes(orjson.loads(case["received"]))

    assert canonical == bytes.fromhex(case["canonical_hex"]) == case["canonical"].encode()


@pytest.mark.parametrize("case", vectors("signatures.json")["cases"], ids=lambda c: c["name"])
def test_each_signed_event_verifies_and_signs_to_the_same_bytes(case: dict[str, str], directory: KeyDirectory) -> None:
    event = orjson.loads(case["wire"])

    directory.verify(event)
    assert canonical_bytes(event) == bytes.fromhex(case["canonical_hex"])
    signing = nacl.signing.SigningKey(bytes.fromhex(published_key(case["signer"], case["key_id"])["seed_hex"]))
    assert base64.b64decode(case["signature"]) == signing.sign(canonical_bytes(event)).signature
    assert event["keyid"] == case["key_id"]


@pytest.mark.parametrize("case", vectors("sealed.json")["cases"], ids=lambda c: c["name"])
def test_each_sealed_delivery_opens_to_the_published_event(case: dict[str, Any], directory: KeyDirectory) -> None:
    box = bytes.fromhex(case["box_hex"])
    outer = orjson.loads(case["wire"])
    recipient = published_key(case["recipient"], outer["sealkeyid"])
    sender = published_key(case["sender"], outer["keyid"])

    opened = DeliveryOpener(seeded(case["recipient"]), directory).open_attributes(case["wire"].encode())

    assert opened == {
        **case["opened"],
        "signer": case["sender"],
        "keyid": outer["keyid"],
        "signature": outer["signature"],
    }
    assert base64.b64decode(outer["data_base64"]) == box
    assert box[:24].hex() == case["nonce_hex"]
    by_hand = Box(
        PrivateKey(bytes.fromhex(recipient["x25519_secret_hex"])), PublicKey(bytes.fromhex(sender["x25519_public_hex"]))
    )
    assert by_hand.decrypt(box) == case["plaintext"].encode()


def test_each_identifier_hashes_to_the_published_ref() -> None:
    refs = vectors("refs.json")
    key = NetworkKey(refs["network_key"]["key_id"], bytes.fromhex(refs["network_key"]["secret_hex"]))

    for account in refs["accounts"]:
        assert account_ref(key, account["country"], account["bank"], account["number"]) == account["ref"]
    for party in refs["parties"]:
        assert party_ref(key, party["country"], party["id_type"], party["value"]) == party["ref"]
    for transfer in refs["transfers"]:
        assert transfer_ref(key, transfer["end_to_end_reference"]) == transfer["ref"]


def test_each_country_lands_on_its_published_partition_of_every_topic() -> None:
    published = vectors("partitions.json")
    partitioner = CountryPartitioner(CountryRegistry.load())
    topics = TopicRegistry.load()

    for country, partition in published["countries"].items():
        assert partitioner(country.encode(), range(published["partitions_per_topic"])) == partition
    for service, streams in published["topics"].items():
        assert all(topics.topic(service, stream) == name for stream, name in streams.items())
    assert CountryRegistry.load().unattributed_partition == published["unattributed_partition"]


REFUSALS = vectors("refusals.json")


def gate(directory: KeyDirectory) -> Gate:
    """The alerts service's gate as the refusal vectors judge it: their clock and size limit."""
    assert REFUSALS["accepts"] == [ALERT_RAISED]
    now = datetime.fromisoformat(REFUSALS["now"])
    return Gate(
        CountryRegistry.load(), directory, {ALERT_RAISED: AlertRaised}, REFUSALS["max_event_bytes"], clock=lambda: now
    )


@pytest.mark.parametrize("case", REFUSALS["submissions"], ids=lambda c: c["name"])
def test_each_bad_submission_is_refused_with_the_published_reason(
    case: dict[str, Any], directory: KeyDirectory
) -> None:
    key = None if case["record_key"] is None else case["record_key"].encode()

    with pytest.raises(Rejected) as refused:
        gate(directory).admit(key, value_of(case))

    assert refused.value.reason.value == case["reason"]


@pytest.mark.parametrize("case", REFUSALS["deliveries"], ids=lambda c: c["name"])
def test_each_bad_delivery_is_not_opened(case: dict[str, Any], directory: KeyDirectory) -> None:
    opener = DeliveryOpener(seeded(case["opened_by"]), directory)

    with pytest.raises(Unopenable, match=case["refusal_contains"]) as refused:
        opener.open(value_of(case))

    assert refused.value.code == case["code"]


def test_the_good_submission_the_refusals_start_from_is_admitted(directory: KeyDirectory) -> None:
    good = vectors("signatures.json")["cases"][0]

    assert gate(directory).admit(b"PE", good["wire"].encode()).envelope.origin == "PE"
