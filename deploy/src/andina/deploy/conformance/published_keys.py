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

from andina.contract.signing import KeyDirectory, PublicKey, SignerKey, SignerKind

WARNING = "TEST ONLY: these seeds are published. Never use these keys outside conformance tests."
SIGNERS = {"PE": SignerKind.COUNTRY, "CO": SignerKind.COUNTRY, "alerts": SignerKind.SERVICE}
# The clock the refusal vectors are judged at, and the time the events carry (five minutes before).
NOW = datetime(2026, 11, 23, 3, 45, tzinfo=UTC)
EVENT_TIME = datetime(2026, 11, 23, 3, 40, tzinfo=UTC)


# The signer in the middle of a key rotation: its previous key is still accepted.
ROTATED = "CO"
PREVIOUS = " (previous)"


def seed(signer: str, generation: str = "") -> bytes:
    return hashlib.sha256(f"andina conformance TEST ONLY key of {signer}{generation}".encode()).digest()


def published_key(signer: str) -> SignerKey:
    return SignerKey(signer, nacl.signing.SigningKey(seed(signer)))


def previous_key(signer: str = ROTATED) -> SignerKey:
    return SignerKey(signer, nacl.signing.SigningKey(seed(signer, PREVIOUS)))


def accepted_keys(signer: str, before_rotation: bool = False) -> list[SignerKey]:
    """The signer's keys the directory accepts, current first (before the rotation: the previous one only)."""
    if signer != ROTATED:
        return [published_key(signer)]
    return [previous_key()] if before_rotation else [published_key(signer), previous_key()]


def published_directory(before_rotation: bool = False) -> KeyDirectory:
    """The key directory of the test signers, in memory."""
    return KeyDirectory(
        {
            signer: PublicKey(kind, {key.key_id: key.key.verify_key for key in accepted_keys(signer, before_rotation)})
            for signer, kind in SIGNERS.items()
        }
    )


def directory_file() -> dict[str, Any]:
    """The same directory as a key directory file (``directory.json``) publishes it."""
    signers: dict[str, Any] = {}
    for signer, kind in SIGNERS.items():
        current, *previous = accepted_keys(signer)
        signers[signer] = {"kind": kind.value, "public_key": current.public_key_b64}
        if previous:
            signers[signer]["previous_keys"] = [key.public_key_b64 for key in previous]
    return {"signers": signers}


def _key_entry(key: SignerKey) -> dict[str, Any]:
    return {
        "seed_hex": bytes(key.key).hex(),
        "key_file": base64.b64encode(bytes(key.key)).decode(),
        "public_key": key.public_key_b64,
        "key_id": key.key_id,
        "x25519_secret_hex": bytes(key.key.to_curve25519_private_key()).hex(),
        "x25519_public_hex": bytes(key.key.verify_key.to_curve25519_public_key()).hex(),
    }


def _signer_entry(signer: str) -> dict[str, Any]:
    entry = {"kind": SIGNERS[signer].value, **_key_entry(published_key(signer))}
    if signer == ROTATED:
        entry["previous"] = _key_entry(previous_key())
    return entry


def _little_endian(y: int) -> bytes:
    return y.to_bytes(32, "little")


# Public keys a key directory must refuse: with a small-order component anyone can sign for them.
_FIELD = 2**255 - 19
_ORDER_2 = _little_endian(_FIELD - 1)  # y = -1: the point (0, -1)


def refused_public_keys() -> list[dict[str, str]]:
    keys = {
        "the identity (order 1)": _little_endian(1),
        "the point of order 2": _ORDER_2,
        "a valid key plus the point of order 2 (mixed order)": nacl.bindings.crypto_core_ed25519_add(
            bytes(published_key("PE").key.verify_key), _ORDER_2
        ),
        "not on the curve (y = 2)": _little_endian(2),
        "the identity encoded with y = p + 1 (non-canonical)": _little_endian(_FIELD + 1),
    }
    return [{"name": name, "public_key": base64.b64encode(raw).decode()} for name, raw in keys.items()]


def _box_key(secret_of: str, public_of: str) -> dict[str, str]:
    shared = nacl.bindings.crypto_box_beforenm(
        bytes(published_key(public_of).key.verify_key.to_curve25519_public_key()),
        bytes(published_key(secret_of).key.to_curve25519_private_key()),
    )
    return {"secret_of": secret_of, "public_of": public_of, "box_key_hex": shared.hex()}


def keys_document() -> dict[str, Any]:
    return {
        "warning": WARNING,
        "seed_rule": (
            f"seed = SHA-256(UTF-8 'andina conformance TEST ONLY key of <signer>'); "
            f"a previous key: of '<signer>{PREVIOUS}'"
        ),
        "signers": {signer: _signer_entry(signer) for signer in SIGNERS},
        "directory": directory_file(),
        "refused_public_keys": refused_public_keys(),
        "box_keys": [_box_key("CO", "alerts"), _box_key("alerts", "CO"), _box_key("PE", "alerts")],
    }
