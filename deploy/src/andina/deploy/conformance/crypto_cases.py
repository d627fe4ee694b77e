"""Signed events and sealed deliveries made with the published test keys.

Ed25519 signatures are deterministic, and the sealed deliveries use fixed nonces and ids here,
so every byte can be reproduced (a service draws a fresh nonce and id for each one).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import orjson

from andina.contract.envelope import Handling, agency_source, canonical_bytes, service_source, unsigned_event
from andina.contract.events.catalogs.alerts import (
    ACKNOWLEDGEMENT_RECEIVED,
    ALERT_ACKNOWLEDGED,
    ALERT_DELIVERED,
    ALERT_RAISED,
)
from andina.contract.sealing import DeliverySealer
from andina.contract.signing import SignerKey
from andina.deploy.conformance.published_keys import EVENT_TIME, previous_key, published_directory, published_key

ALERT_ID = UUID("0b6c3f7e-5a1d-4c2b-9e8f-7a6d5c4b3a21")
ALERT = {
    "priority": "FLASH",
    "category": "missing-person",
    "title": "Menor desaparecida, posible cruce por Aguas Verdes",
    "facts": "Niña de 9 años, vista por última vez en Tumbes a las 21:10 con un adulto no identificado.",
    "recipients": ["CO"],
    "acknowledge_by": "2026-11-23T03:55:00+00:00",
}


def alert_raised() -> dict[str, Any]:
    return unsigned_event(
        id=ALERT_ID,
        type=ALERT_RAISED,
        source=agency_source("PE", "dirincri"),
        origin="PE",
        data=ALERT,
        handling=Handling.H2,
        time=EVENT_TIME,
    )


def alert_acknowledged() -> dict[str, Any]:
    return unsigned_event(
        id=UUID("5d0c8a43-37b5-4f2e-9a57-cc1f1a3c2b10"),
        type=ALERT_ACKNOWLEDGED,
        source=agency_source("CO", "dijin"),
        origin="CO",
        data={"alert_id": str(ALERT_ID), "by": "Subt. A. Rojas, DIJIN"},
        time=EVENT_TIME,
    )


def alert_delivered() -> dict[str, Any]:
    data = {
        "alert_id": str(ALERT_ID), "origin": "PE", "revision": 1, "status": "open",
        **{k: ALERT[k] for k in ("priority", "category", "title", "facts", "acknowledge_by")},
        "domestic": False, "step": "primary", "contact": "Punto de contacto 24/7 — Policía Nacional de Colombia",
    }  # fmt: skip
    return unsigned_event(
        id=UUID("9a1f3b52-6c7d-4e8f-a0b1-c2d3e4f5a6b7"), type=ALERT_DELIVERED, source=service_source("alerts"),
        origin="PE", data=data, handling=Handling.H2, correlationid=ALERT_ID, causationid=ALERT_ID, time=EVENT_TIME,
    )  # fmt: skip


def acknowledgement_received() -> dict[str, Any]:
    data = {
        "alert_id": str(ALERT_ID), "country": "CO", "by": "Subt. A. Rojas, DIJIN",
        "acknowledged_at": "2026-11-23T03:44:10+00:00", "seconds_after_raise": 250.0,
    }  # fmt: skip
    return unsigned_event(
        id=UUID("c4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70"), type=ACKNOWLEDGEMENT_RECEIVED, source=service_source("alerts"),
        origin="CO", data=data, correlationid=ALERT_ID, causationid=UUID("5d0c8a43-37b5-4f2e-9a57-cc1f1a3c2b10"),
        time=EVENT_TIME,
    )  # fmt: skip


def signed(signer: str, attributes: dict[str, Any]) -> bytes:
    return published_key(signer).sign(attributes)


def _signature_case(name: str, key: SignerKey, attributes: dict[str, Any]) -> dict[str, Any]:
    wire = key.sign(attributes)
    event = orjson.loads(wire)
    canonical = canonical_bytes(event)
    return {
        "name": name,
        "signer": key.signer,
        "key_id": event["keyid"],
        "canonical": canonical.decode(),
        "canonical_hex": canonical.hex(),
        "signature": event["signature"],
        "wire": wire.decode(),
    }


def signatures_document() -> dict[str, Any]:
    return {
        "rule": "signature = base64(Ed25519(seed of signer, canonical form)); keyid = SHA-256(public key)[:8] as hex",
        "cases": [
            _signature_case("PE raises a FLASH alert to CO", published_key("PE"), alert_raised()),
            _signature_case("CO acknowledges it", published_key("CO"), alert_acknowledged()),
            _signature_case("CO signs with its previous key, still accepted", previous_key(), alert_acknowledged()),
        ],
    }


def sealed_delivery(
    recipient: str, attributes: dict[str, Any], nonce: bytes, sealed_id: UUID, before_rotation: bool = False
) -> bytes:
    sealer = DeliverySealer(published_key("alerts"), published_directory(before_rotation))
    return signed("alerts", sealer.seal(attributes, recipient, nonce=nonce, sealed_id=sealed_id))


@dataclass(frozen=True)
class SealedCase:
    """A delivery of the alerts service to ``recipient``, sealed under a fixed nonce and id."""

    name: str
    event: Callable[[], dict[str, Any]]
    recipient: str
    nonce: bytes
    sealed_id: UUID
    before_rotation: bool = False  # sealed for the recipient's previous key, while it was current

    def wire(self) -> bytes:
        return sealed_delivery(self.recipient, self.event(), self.nonce, self.sealed_id, self.before_rotation)

    def vector(self) -> dict[str, Any]:
        wire = self.wire()
        return {
            "name": self.name,
            "sender": "alerts",
            "recipient": self.recipient,
            "nonce_hex": self.nonce.hex(),
            "plaintext": orjson.dumps(self.event()).decode(),
            "box_hex": base64.b64decode(orjson.loads(wire)["data_base64"]).hex(),
            "wire": wire.decode(),
            "opened": self.event(),
        }


SEALED = [
    SealedCase(
        "the alert delivered to CO",
        alert_delivered,
        "CO",
        bytes(range(24)),
        UUID("66fc74e9-a718-4592-b5cb-1f6109a9de06"),
    ),
    SealedCase(
        "CO's acknowledgement delivered to PE",
        acknowledgement_received,
        "PE",
        bytes(range(100, 124)),
        UUID("7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"),
    ),
    SealedCase(
        "sealed for CO's previous key before its rotation",
        alert_delivered,
        "CO",
        bytes(range(200, 224)),
        UUID("0f1e2d3c-4b5a-4968-8776-655443322110"),
        before_rotation=True,
    ),
]


def sealed_document() -> dict[str, Any]:
    return {
        "rule": (
            "data_base64 = base64(nonce(24) || crypto_box(plaintext, nonce, X25519 public of the recipient's "
            "sealkeyid, X25519 secret of the sender)); opened = the plaintext's attributes"
        ),
        "cases": [case.vector() for case in SEALED],
    }
