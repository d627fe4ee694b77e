"""Delivered events sealed for the recipient country.

Kafka's ACLs stop at the topic: a member allowed to read a deliveries topic could fetch every
country's partition of it. So a service seals each event it delivers, whole, for the country
whose partition gets it, with NaCl's box (X25519, XSalsa20-Poly1305), using X25519 keys derived
from the Ed25519 keys already in the key directory: no other key to distribute or rotate. The
service seals, then signs the sealed event; the recipient checks the signature, then opens the
event with its private key. Another country reading that partition learns only that the service
sent the recipient something, and when: not what type of event, from which country, in which
conversation, nor its data. The sealed event's id is fresh on every publish, so it cannot be
matched to the ids of events that country received itself.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import nacl.exceptions
import orjson
from nacl.public import Box, PrivateKey
from pydantic import ValidationError

from andina.contract.envelope import Envelope, SealedEnvelope, sealed_type, service_source
from andina.contract.rejections import Rejected
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind
from andina.contract.topics import DELIVERIES


class DeliveryRefusal(StrEnum):
    """Why a record of a country's partition is no delivery for it: stable codes to log and test
    against, in any language (docs/integrating.md, step 7; docs/conformance/refusals.json)."""

    NOT_A_SERVICE = "not-a-service"  # its signer is not a service of the key directory
    BAD_SIGNATURE = "bad-signature"  # the outer signature does not verify
    NOT_SEALED_FOR_YOU = "not-sealed-for-you"
    UNOPENABLE = "unopenable"  # no sealed delivery, or its box does not open under the keys
    FOREIGN_TYPE = "foreign-type"  # the event inside is not one of the signing service's


class Unopenable(ValueError):
    """A delivery that this recipient cannot (or must not) open: its ``code`` and why."""

    def __init__(self, code: DeliveryRefusal, detail: str) -> None:
        super().__init__(f"{code.value}: {detail}")
        self.code = code


class DeliverySealer:
    """Seals events for a recipient country's current key (a service's side)."""

    @staticmethod
    def check_recipients(countries: Iterable[str], directory: KeyDirectory) -> None:
        """Refuse to start while a member has no key to seal for: its deliveries could not go out."""
        missing = sorted(c for c in countries if c not in directory)
        if missing:
            raise ValueError(f"no key in the key directory for {', '.join(missing)}: run `andina keys generate`")

    def __init__(self, key: SignerKey, directory: KeyDirectory) -> None:
        self._private = key.key.to_curve25519_private_key()
        self._service = key.signer  # a service's key is named after the service
        self._directory = directory
        # One box per recipient key: the X25519 shared secret is computed once, not per event.
        self._boxes: dict[str, Box] = {}

    def seal(
        self, attributes: dict[str, Any], recipient: str, *, nonce: bytes | None = None, sealed_id: UUID | None = None
    ) -> dict[str, Any]:
        """The unsigned sealed event that carries the event ``attributes``, for ``recipient`` only.

        ``nonce`` and ``sealed_id`` are fresh random ones unless given: only the published
        conformance vectors fix them, so that their bytes can be reproduced.
        """
        keyid, public = self._directory.current_key(recipient)
        box = self._boxes.get(keyid)
        if box is None:
            box = self._boxes[keyid] = Box(self._private, public.to_curve25519_public_key())
        return {
            "specversion": "1.0",
            "id": str(sealed_id or uuid4()),
            "source": service_source(self._service),  # never the event's own source, which could name an agency
            "type": sealed_type(self._service),
            "data_base64": base64.b64encode(box.encrypt(orjson.dumps(attributes), nonce)).decode(),
            "sealedfor": recipient,
            "sealkeyid": keyid,
        }


class DeliveryOpener:
    """Checks and opens the deliveries on one country's partition (an agency system's side).

    ``keys``: the country's private keys by age, current first; a previous key opens what was
    sealed for it before a rotation.
    """

    def __init__(self, keys: Sequence[SignerKey], directory: KeyDirectory, keys_dir: Path | None = None) -> None:
        self.country = keys[0].signer
        self._directory = directory
        self._keys_dir = keys_dir
        self._privates = _privates(keys)
        self._boxes: dict[tuple[str, str, str | None], Box] = {}

    @classmethod
    def load(cls, keys_dir: Path, country: str, directory: KeyDirectory) -> DeliveryOpener:
        return cls(SignerKey.load_all(keys_dir, country), directory, keys_dir)

    def open(self, value: bytes) -> Envelope:
        """The delivered event, opened; raises :class:`Unopenable` otherwise."""
        try:
            return Envelope.model_validate(self.open_attributes(value))
        except ValidationError as exc:
            raise Unopenable(DeliveryRefusal.UNOPENABLE, f"the sealed event is not a valid event: {exc}") from exc

    def open_attributes(self, value: bytes) -> dict[str, Any]:
        """The delivered event's JSON attributes, opened (checked as :meth:`open` does).

        ``signer``, ``keyid`` and ``signature`` are those of the sealed event that carried it.
        """
        try:
            sealed = SealedEnvelope.model_validate_json(value, strict=True)
            attributes: dict[str, Any] = orjson.loads(value)
        except (ValidationError, orjson.JSONDecodeError) as exc:
            raise Unopenable(DeliveryRefusal.UNOPENABLE, f"not a sealed delivery: {exc}") from exc
        if sealed.signer not in self._directory or self._directory.kind_of(sealed.signer) is not SignerKind.SERVICE:
            raise Unopenable(DeliveryRefusal.NOT_A_SERVICE, f"{sealed.signer} is not a service of the key directory")
        try:
            self._directory.verify(attributes)
        except Rejected as exc:
            raise Unopenable(DeliveryRefusal.BAD_SIGNATURE, f"{exc.reason.value}: {exc.detail}") from exc
        if sealed.sealedfor != self.country:
            raise Unopenable(
                DeliveryRefusal.NOT_SEALED_FOR_YOU, f"sealed for {sealed.sealedfor}, not for {self.country}"
            )
        try:
            event = orjson.loads(self._box(sealed).decrypt(base64.b64decode(sealed.data_base64, validate=True)))
        except (nacl.exceptions.CryptoError, ValueError) as exc:
            raise Unopenable(
                DeliveryRefusal.UNOPENABLE, f"it does not open with {self.country}'s key {sealed.sealkeyid}"
            ) from exc
        if not isinstance(event, dict) or not str(event.get("type")).startswith(f"andina.{sealed.service}."):
            raise Unopenable(DeliveryRefusal.FOREIGN_TYPE, f"the sealed event is not an event of {sealed.service}")
        return {**event, "signer": sealed.signer, "keyid": sealed.keyid, "signature": sealed.signature}

    def decoder_for(self, stream: str) -> Callable[[bytes], dict[str, Any]]:
        """How this country reads a record of ``stream``: deliveries opened, other streams as plain JSON."""
        return self.open_attributes if stream == DELIVERIES else _json_object

    def _box(self, sealed: SealedEnvelope) -> Box:
        cache_key = (sealed.sealkeyid, sealed.signer, sealed.keyid)
        box = self._boxes.get(cache_key)
        if box is None:
            private = self._private(sealed.sealkeyid)
            sender = self._directory.accepted_key(sealed.signer, sealed.keyid)
            box = self._boxes[cache_key] = Box(private, sender.to_curve25519_public_key())
        return box

    def _private(self, keyid: str) -> PrivateKey:
        if keyid not in self._privates and self._keys_dir is not None:  # rotated since we loaded
            self._privates = _privates(SignerKey.load_all(self._keys_dir, self.country))
        private = self._privates.get(keyid)
        if private is None:
            raise Unopenable(
                DeliveryRefusal.UNOPENABLE, f"sealed for {self.country}'s key {keyid}, which this opener does not hold"
            )
        return private


def _json_object(value: bytes) -> dict[str, Any]:
    return dict(orjson.loads(value))


def _privates(keys: Sequence[SignerKey]) -> dict[str, PrivateKey]:
    return {key.key_id: key.key.to_curve25519_private_key() for key in keys}
