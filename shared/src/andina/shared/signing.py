"""Ed25519 keys of the signers and the public-key directory.

A signer is a member country (its agencies' systems sign with the country key) or a
service of the network (which signs the events it emits). The directory is a JSON
file of public keys; private keys are one file per signer, never in the directory.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import nacl.exceptions
import nacl.signing
import orjson

from andina.shared.envelope import canonical_bytes
from andina.shared.rejections import Reason, Rejected


class SignerKind(StrEnum):
    COUNTRY = "country"
    SERVICE = "service"


@dataclass(frozen=True, slots=True)
class SignerKey:
    """A signer's private key."""

    signer: str
    key: nacl.signing.SigningKey

    @classmethod
    def generate(cls, signer: str) -> SignerKey:
        return cls(signer, nacl.signing.SigningKey.generate())

    @classmethod
    def load(cls, keys_dir: Path, signer: str) -> SignerKey:
        path = keys_dir / f"{signer}.key"
        if not path.exists():
            raise FileNotFoundError(f"no private key for {signer!r} at {path}: run `andina keys generate`")
        return cls(signer, nacl.signing.SigningKey(base64.b64decode(path.read_text().strip())))

    def save(self, keys_dir: Path) -> Path:
        keys_dir.mkdir(parents=True, exist_ok=True)
        path = keys_dir / f"{self.signer}.key"
        path.write_text(base64.b64encode(bytes(self.key)).decode() + "\n")
        path.chmod(0o600)
        return path

    @property
    def public_key_b64(self) -> str:
        return base64.b64encode(bytes(self.key.verify_key)).decode()

    def sign(self, attributes: dict[str, Any]) -> bytes:
        """Sign the event attributes and return its wire bytes (structured JSON)."""
        attributes = {**attributes, "signer": self.signer}
        signature = self.key.sign(canonical_bytes(attributes)).signature
        attributes["signature"] = base64.b64encode(signature).decode()
        return orjson.dumps(attributes)


@dataclass(frozen=True, slots=True)
class PublicKey:
    kind: SignerKind
    key: nacl.signing.VerifyKey


class KeyDirectory:
    """The public keys of every signer, as published to all members."""

    def __init__(self, keys: dict[str, PublicKey]) -> None:
        self._keys = keys

    @classmethod
    def load(cls, path: Path) -> KeyDirectory:
        if not path.exists():
            raise FileNotFoundError(f"no key directory at {path}: run `andina keys generate`")
        raw = json.loads(path.read_text())
        return cls(
            {
                signer: PublicKey(
                    SignerKind(entry["kind"]),
                    nacl.signing.VerifyKey(base64.b64decode(entry["public_key"])),
                )
                for signer, entry in raw["signers"].items()
            }
        )

    @staticmethod
    def publish(path: Path, key: SignerKey, kind: SignerKind) -> None:
        """Add or replace ``key``'s public half in the directory file at ``path``."""
        raw = json.loads(path.read_text()) if path.exists() else {"signers": {}}
        raw["signers"][key.signer] = {"kind": kind.value, "public_key": key.public_key_b64}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(raw, indent=2, sort_keys=True) + "\n")

    def __contains__(self, signer: object) -> bool:
        return signer in self._keys

    def verify(self, attributes: dict[str, Any]) -> None:
        """Check the signature and that the signer may speak for this event.

        A country signs only as itself (``origin``); a service signs only its own types.
        Raises :class:`Rejected` otherwise.
        """
        signer = attributes.get("signer")
        entry = self._keys.get(signer) if isinstance(signer, str) else None
        if entry is None:
            raise Rejected(Reason.UNKNOWN_SIGNER, f"signer {signer!r} is not in the key directory")
        if entry.kind is SignerKind.COUNTRY and attributes.get("origin") != signer:
            raise Rejected(
                Reason.ORIGIN_MISMATCH,
                f"origin {attributes.get('origin')!r} is not the signing country {signer!r}",
            )
        if entry.kind is SignerKind.SERVICE and not str(attributes.get("type", "")).startswith(f"andina.{signer}."):
            raise Rejected(Reason.ORIGIN_MISMATCH, f"service {signer!r} may not sign {attributes.get('type')!r}")
        try:
            signature = base64.b64decode(attributes["signature"], validate=True)
            entry.key.verify(canonical_bytes(attributes), signature)
        except (nacl.exceptions.BadSignatureError, ValueError, KeyError, TypeError) as exc:
            raise Rejected(Reason.BAD_SIGNATURE, f"signature does not verify for {signer!r}") from exc
