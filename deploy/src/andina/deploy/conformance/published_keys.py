"""The published test keys every conformance vector is made with. TEST ONLY: their seeds are public.

Each seed is SHA-256 of a fixed label, so anyone can re-derive them; a key made this way
must never sign anything outside the conformance tests.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from typing import Any

import nacl.bindings
import nacl.signing

from andina.shared.signing import KeyDirectory, PublicKey, SignerKey, SignerKind

WARNING = "TEST ONLY: these seeds are published. Never use these keys outside conformance tests."
SIGNERS = {"PE": SignerKind.COUNTRY, "CO": SignerKind.COUNTRY, "alerts": SignerKind.SERVICE}
# The clock the refusal vectors are judged at, and the time the events carry (five minutes before).
NOW = datetime(2026, 11, 23, 3, 45, tzinfo=UTC)
EVENT_TIME = datetime(2026, 11, 23, 3, 40, tzinfo=UTC)


def seed(signer: str) -> bytes:
    return hashlib.sha256(f"andina conformance TEST ONLY key of {signer}".encode()).digest()


def published_key(signer: str) -> SignerKey:
    return SignerKey(signer, nacl.signing.SigningKey(seed(signer)))


def published_directory() -> KeyDirectory:
    """The key directory of the test signers, in memory."""
    keys = {signer: published_key(signer) for signer in SIGNERS}
    return KeyDirectory(
        {
            signer: PublicKey(kind, {keys[signer].key_id: keys[signer].key.verify_key})
            for signer, kind in SIGNERS.items()
        }
    )


def directory_file() -> dict[str, Any]:
    """The same directory as a key directory file (``directory.json``) publishes it."""
    return {
        "signers": {
            signer: {"kind": kind.value, "public_key": published_key(signer).public_key_b64}
            for signer, kind in SIGNERS.items()
        }
    }


def _signer_entry(signer: str) -> dict[str, Any]:
    key = published_key(signer)
    return {
        "kind": SIGNERS[signer].value,
        "seed_hex": seed(signer).hex(),
        "key_file": base64.b64encode(seed(signer)).decode(),
        "public_key": key.public_key_b64,
        "key_id": key.key_id,
        "x25519_secret_hex": bytes(key.key.to_curve25519_private_key()).hex(),
        "x25519_public_hex": bytes(key.key.verify_key.to_curve25519_public_key()).hex(),
    }


def _box_key(secret_of: str, public_of: str) -> dict[str, str]:
    shared = nacl.bindings.crypto_box_beforenm(
        bytes(published_key(public_of).key.verify_key.to_curve25519_public_key()),
        bytes(published_key(secret_of).key.to_curve25519_private_key()),
    )
    return {"secret_of": secret_of, "public_of": public_of, "box_key_hex": shared.hex()}


def keys_document() -> dict[str, Any]:
    return {
        "warning": WARNING,
        "seed_rule": "seed = SHA-256(UTF-8 'andina conformance TEST ONLY key of <signer>')",
        "signers": {signer: _signer_entry(signer) for signer in SIGNERS},
        "directory": directory_file(),
        "box_keys": [_box_key("CO", "alerts"), _box_key("alerts", "CO"), _box_key("PE", "alerts")],
    }
