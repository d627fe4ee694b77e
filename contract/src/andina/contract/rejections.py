"""Why an inbound message was refused. Each reason is a dead-letter label and a metric label."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from andina.contract.envelope import Envelope


class Reason(StrEnum):
    UNDECODABLE_BATCH = "undecodable-batch"
    OVERSIZED = "oversized"
    MALFORMED_JSON = "malformed-json"
    INVALID_ENVELOPE = "invalid-envelope"
    UNKNOWN_COUNTRY = "unknown-country"
    WRONG_KEY = "wrong-key"
    UNKNOWN_SIGNER = "unknown-signer"
    BAD_SIGNATURE = "bad-signature"
    ORIGIN_MISMATCH = "origin-mismatch"
    UNKNOWN_TYPE = "unknown-type"
    INVALID_PAYLOAD = "invalid-payload"
    UNAUTHORIZED = "unauthorized"
    NOT_FOUND = "not-found"
    DUPLICATE = "duplicate"
    STALE = "stale"
    HANDLER_FAILED = "handler-failed"


class Rejected(Exception):
    """An inbound message that must go to the dead-letter topic, with its reason."""

    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail


class RejectedAuthenticated(Rejected):
    """Refused after its signature was verified: its sender is known and is told why."""

    def __init__(self, reason: Reason, detail: str, envelope: Envelope) -> None:
        super().__init__(reason, detail)
        self.envelope = envelope
