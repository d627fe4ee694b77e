"""Ed25519 keys of the signers and the public-key directory.

A signer is a member country (its agencies' systems sign with the country key) or a
service of the network (which signs the events it emits). The directory is a JSON
file of public keys; private keys are one file per signer, never in the directory.

Keys rotate without downtime: every signature names its key (``keyid``, derived from the
public key), the directory lists a signer's current key and the previous ones still
accepted, and a running verifier re-reads the directory file when it changes, at once
when an event names a key it has not seen. Rotation publishes the new key before the
signer uses it; retiring drops the previous keys once nothing signed with them is in flight.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import ed25519_zebra
import nacl.bindings
import nacl.signing
import orjson
import structlog

from andina.contract.envelope import canonical_bytes
from andina.contract.rejections import Reason, Rejected

log = structlog.get_logger(__name__)


# Under the keys folder: private keys replaced by a rotation, named <signer>.<key id>.key.
PREVIOUS_KEYS = "previous"


class SignerKind(StrEnum):
    COUNTRY = "country"
    SERVICE = "service"


def key_id(key: nacl.signing.VerifyKey) -> str:
    """A short public name of a key, the same wherever it is computed."""
    return hashlib.sha256(bytes(key)).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class SignerKey:
    """A signer's private key."""

    signer: str
    key: nacl.signing.SigningKey
    key_id: str = field(init=False, repr=False, compare=False)  # named on every event signed: hashed once

    def __post_init__(self) -> None:
        object.__setattr__(self, "key_id", key_id(self.key.verify_key))

    @classmethod
    def generate(cls, signer: str) -> SignerKey:
        return cls(signer, nacl.signing.SigningKey.generate())

    @classmethod
    def load(cls, keys_dir: Path, signer: str) -> SignerKey:
        path = keys_dir / f"{signer}.key"
        if not path.exists():
            raise FileNotFoundError(f"no private key for {signer!r} at {path}: run `andina keys generate`")
        return cls(signer, _read_private(path))

    @classmethod
    def load_all(cls, keys_dir: Path, signer: str) -> list[SignerKey]:
        """The signer's current key, then the previous ones kept by rotations (newest first)."""
        previous = sorted((keys_dir / PREVIOUS_KEYS).glob(f"{signer}.*.key"), key=lambda p: -p.stat().st_mtime_ns)
        return [cls.load(keys_dir, signer)] + [cls(signer, _read_private(path)) for path in previous]

    def save(self, keys_dir: Path) -> Path:
        """Write the key file whole (a signer reading it meanwhile sees the old key or the new one)."""
        return self._write(keys_dir / f"{self.signer}.key")

    def save_as_previous(self, keys_dir: Path) -> Path:
        """Keep a replaced key: deliveries sealed for it before the rotation still open with it."""
        return self._write(keys_dir / PREVIOUS_KEYS / f"{self.signer}.{self.key_id}.key")

    def _write(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(path.name + ".tmp")
        staging.write_text(base64.b64encode(bytes(self.key)).decode() + "\n")
        staging.chmod(0o600)
        os.replace(staging, path)
        return path

    @property
    def public_key_b64(self) -> str:
        return base64.b64encode(bytes(self.key.verify_key)).decode()

    def sign(self, attributes: dict[str, Any]) -> bytes:
        """Sign the event attributes and return its wire bytes (structured JSON)."""
        attributes = {**attributes, "signer": self.signer, "keyid": self.key_id}
        signature = self.key.sign(canonical_bytes(attributes)).signature
        attributes["signature"] = base64.b64encode(signature).decode()
        return orjson.dumps(attributes)


def _read_private(path: Path) -> nacl.signing.SigningKey:
    return nacl.signing.SigningKey(base64.b64decode(path.read_text().strip()))


@dataclass(frozen=True, slots=True)
class PublicKey:
    """A signer's accepted keys by key id: the current one and any previous ones not yet retired."""

    kind: SignerKind
    keys: Mapping[str, nacl.signing.VerifyKey]


def _public_key(signer: str, entry: dict[str, Any]) -> PublicKey:
    encoded = [entry["public_key"], *entry.get("previous_keys", [])]
    keys = [_verify_key(signer, base64.b64decode(k)) for k in encoded]
    return PublicKey(SignerKind(entry["kind"]), {key_id(k): k for k in keys})


def _verify_key(signer: str, raw: bytes) -> nacl.signing.VerifyKey:
    # Signatures are checked under ZIP-215's rules (see `signature_holds`), which accept small-order
    # keys, and anyone can sign for one of those: libsodium's point check keeps them out.
    if len(raw) != 32 or not nacl.bindings.crypto_core_ed25519_is_valid_point(raw):
        raise ValueError(f"a public key of {signer!r} is not a valid Ed25519 key")
    return nacl.signing.VerifyKey(raw)


def signature_holds(key: nacl.signing.VerifyKey, signed: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is ``key``'s over ``signed``.

    ed25519-zebra (Rust, curve25519-dalek) verifies 1.2-1.5 times as fast as libsodium
    here, which is what lets one core admit the 15,000 envelopes a second the bus needs
    (`python -m bench bus` measures both); keys are generated and events signed by PyNaCl.
    """
    return bool(ed25519_zebra.ed_verify(signature, signed, bytes(key)))


def _read(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise FileNotFoundError(f"no key directory at {path}: run `andina keys generate`")
    raw: dict[str, Any] = json.loads(path.read_text())
    return raw


def _write_whole(path: Path, raw: dict[str, Any]) -> None:
    """Replace the file in one step: a verifier re-reading it never sees half a directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(path.name + ".tmp")
    staging.write_text(json.dumps(raw, indent=2, sort_keys=True) + "\n")
    os.replace(staging, path)


class KeyDirectory:
    """The public keys of every signer, as published to all members."""

    # A retired key stops being accepted within this many seconds without any restart.
    RECHECK_SECONDS = 5.0

    def __init__(self, keys: dict[str, PublicKey], path: Path | None = None) -> None:
        self._keys = keys
        self._path = path
        self._version = self._file_version()
        self._checked_at = time.monotonic()

    @classmethod
    def load(cls, path: Path) -> KeyDirectory:
        raw = _read(path)
        return cls({signer: _public_key(signer, entry) for signer, entry in raw["signers"].items()}, path)

    def _file_version(self) -> tuple[int, int, int] | None:
        if self._path is None:
            return None
        try:
            stat = self._path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_ino, stat.st_size

    def refresh(self) -> None:
        """Re-read the directory file if it changed (a rotation or a retirement was published)."""
        self._checked_at = time.monotonic()
        version = self._file_version()
        if self._path is None or version is None or version == self._version:
            return
        try:
            fresh = KeyDirectory.load(self._path)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            # A directory published broken must not stop every consumer: keep the keys we have.
            log.error("key directory unreadable, keeping the previous keys", path=str(self._path), error=str(exc))
            return
        self._keys, self._version = fresh._keys, version

    @staticmethod
    def publish(path: Path, key: SignerKey, kind: SignerKind, *, keep_previous: bool = False) -> None:
        """Make ``key``'s public half the signer's current key (see :meth:`publish_public`)."""
        KeyDirectory.publish_public(path, key.signer, key.public_key_b64, kind, keep_previous=keep_previous)

    @staticmethod
    def publish_public(
        path: Path, signer: str, public_key_b64: str, kind: SignerKind, *, keep_previous: bool = False
    ) -> str:
        """Make ``public_key_b64`` the signer's current key in the directory file at ``path``; returns its key id.

        With ``keep_previous`` the keys it replaces stay accepted (a rotation in progress). A key
        that is not base64 or not a valid Ed25519 key raises ValueError, and nothing is written.
        """
        verify_key = _verify_key(signer, base64.b64decode(public_key_b64.strip(), validate=True))
        public_key_b64 = base64.b64encode(bytes(verify_key)).decode()  # one spelling per key
        raw = _read(path) if path.exists() else {"signers": {}}
        entry: dict[str, Any] = {"kind": kind.value, "public_key": public_key_b64}
        old = raw["signers"].get(signer)
        if keep_previous and old is not None:
            previous = [old["public_key"], *old.get("previous_keys", [])]
            entry["previous_keys"] = [k for k in dict.fromkeys(previous) if k != public_key_b64]
        raw["signers"][signer] = entry
        _write_whole(path, raw)
        return key_id(verify_key)

    @staticmethod
    def retire_previous(path: Path, signer: str) -> int:
        """Stop accepting ``signer``'s previous keys; returns how many were dropped."""
        raw = _read(path)
        entry = raw["signers"].get(signer)
        if entry is None:
            raise KeyError(f"{signer!r} is not in the key directory {path}")
        dropped = len(entry.pop("previous_keys", []))
        _write_whole(path, raw)
        return dropped

    def __contains__(self, signer: object) -> bool:
        return signer in self._keys

    def kind_of(self, signer: str) -> SignerKind:
        return self._keys[signer].kind

    def key_ids(self, signer: str) -> set[str]:
        return set(self._keys[signer].keys)

    def _refresh_if_due(self) -> None:
        if time.monotonic() - self._checked_at > self.RECHECK_SECONDS:
            self.refresh()

    def current_key(self, signer: str) -> tuple[str, nacl.signing.VerifyKey]:
        """The key id and public key ``signer`` uses now (the directory names it first)."""
        self._refresh_if_due()
        entry = self._keys.get(signer)
        if entry is None:
            raise KeyError(f"{signer!r} is not in the key directory")
        return next(iter(entry.keys.items()))

    def accepted_key(self, signer: str, keyid: str | None) -> nacl.signing.VerifyKey:
        """The accepted public key ``keyid`` of ``signer`` (its current one when ``keyid`` is None)."""
        _, keys = self._lookup(signer, keyid)
        if not keys:
            raise KeyError(f"key {keyid!r} of {signer!r} is not (or no longer) in the key directory")
        return keys[0]

    def _accepted(self, signer: object, keyid: object) -> tuple[PublicKey | None, list[nacl.signing.VerifyKey]]:
        entry = self._keys.get(signer) if isinstance(signer, str) else None
        if entry is None:
            return None, []
        if keyid is None:  # a signer that does not name its key: any of its accepted keys
            return entry, list(entry.keys.values())
        key = entry.keys.get(keyid) if isinstance(keyid, str) else None
        return entry, [] if key is None else [key]

    def _lookup(self, signer: object, keyid: object) -> tuple[PublicKey | None, list[nacl.signing.VerifyKey]]:
        self._refresh_if_due()
        entry, keys = self._accepted(signer, keyid)
        if not keys:  # perhaps a key published since the last read
            self.refresh()
            entry, keys = self._accepted(signer, keyid)
        return entry, keys

    def verify(self, attributes: dict[str, Any]) -> None:
        """Check the signature and that the signer may speak for this event.

        A country signs only as itself (``origin``); a service signs only its own types.
        Raises :class:`Rejected` otherwise.
        """
        signer, keyid = attributes.get("signer"), attributes.get("keyid")
        entry, keys = self._lookup(signer, keyid)
        if entry is None:
            raise Rejected(Reason.UNKNOWN_SIGNER, f"signer {signer!r} is not in the key directory")
        if not keys:
            raise Rejected(Reason.UNKNOWN_SIGNER, f"key {keyid!r} of {signer!r} is not (or no longer) accepted")
        if entry.kind is SignerKind.COUNTRY and attributes.get("origin") != signer:
            raise Rejected(
                Reason.ORIGIN_MISMATCH,
                f"origin {attributes.get('origin')!r} is not the signing country {signer!r}",
            )
        if entry.kind is SignerKind.SERVICE and not str(attributes.get("type", "")).startswith(f"andina.{signer}."):
            raise Rejected(Reason.ORIGIN_MISMATCH, f"service {signer!r} may not sign {attributes.get('type')!r}")
        try:
            signature = base64.b64decode(attributes["signature"], validate=True)
            signed = canonical_bytes(attributes)
        except (ValueError, KeyError, TypeError) as exc:
            raise Rejected(Reason.BAD_SIGNATURE, f"signature of {signer!r} is not base64") from exc
        if any(signature_holds(key, signed, signature) for key in keys):
            return
        raise Rejected(Reason.BAD_SIGNATURE, f"signature does not verify for {signer!r}")
