"""The rules a signature is checked by: RFC 8032's, with no second form of a valid signature
and no key anyone could sign for."""

import base64
from pathlib import Path

import orjson
import pytest
from nacl.signing import VerifyKey

from andina.contract.client import agency_event
from andina.contract.envelope import Handling
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.rejections import Reason, Rejected
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind, signature_holds

# RFC 8032, section 7.1, tests 1 and 2: public key, message, signature.
RFC_8032 = [
    (
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    ),
    (
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    ),
]
# The order of the group Ed25519 signs in: S and S + L are the same scalar.
GROUP_ORDER = 2**252 + 27742317777372353535851937790883648493


@pytest.mark.parametrize(("public", "message", "signature"), RFC_8032)
def test_the_rfc_8032_vectors_hold_and_fail_for_another_message(public: str, message: str, signature: str) -> None:
    key = VerifyKey(bytes.fromhex(public))

    assert signature_holds(key, bytes.fromhex(message), bytes.fromhex(signature))
    assert not signature_holds(key, bytes.fromhex(message) + b"!", bytes.fromhex(signature))


def test_a_second_encoding_of_a_valid_signature_is_refused(tmp_path: Path) -> None:
    key = SignerKey.generate("PE")
    path = tmp_path / "directory.json"
    KeyDirectory.publish(path, key, SignerKind.COUNTRY)
    directory = KeyDirectory.load(path)
    event = orjson.loads(agency_event(key, "policia", alerts_catalog.MESSAGE_SENT, {"s": 1}, Handling.H1).wire)
    directory.verify(event)

    signature = base64.b64decode(event["signature"])
    s = int.from_bytes(signature[32:], "little") + GROUP_ORDER
    event["signature"] = base64.b64encode(signature[:32] + s.to_bytes(32, "little")).decode()

    with pytest.raises(Rejected) as rejected:
        directory.verify(event)
    assert rejected.value.reason is Reason.BAD_SIGNATURE


def test_a_directory_naming_a_key_anyone_could_sign_for_does_not_load(tmp_path: Path) -> None:
    path = tmp_path / "directory.json"
    KeyDirectory.publish(path, SignerKey.generate("PE"), SignerKind.COUNTRY)
    raw = orjson.loads(path.read_bytes())
    identity_point = bytes([1]) + bytes(31)  # of small order: it verifies forged signatures
    raw["signers"]["CO"] = {"kind": "country", "public_key": base64.b64encode(identity_point).decode()}
    path.write_bytes(orjson.dumps(raw))

    with pytest.raises(ValueError, match="a public key of 'CO' is not a valid Ed25519 key"):
        KeyDirectory.load(path)
