"""Records a service must refuse, each with the reason it gives (its dead-letter label).

Judged as the alerts service's gate judges its submissions, at the clock ``now`` with the
size limit stated in the document; sealed deliveries an agency must not open come last.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import orjson

from andina.contract.events.catalogs.alerts import ALERT_RAISED
from andina.contract.events.catalogs.customs import MESSAGE_DELIVERED as CUSTOMS_MESSAGE_DELIVERED
from andina.contract.events.catalogs.customs import MESSAGE_SENT as CUSTOMS_MESSAGE_SENT
from andina.contract.rejections import Reason
from andina.contract.sealing import DeliveryRefusal
from andina.deploy.conformance.crypto_cases import (
    SEALED,
    alert_delivered,
    alert_raised,
    sealed_delivery,
    signed,
)
from andina.deploy.conformance.published_keys import EVENT_TIME, NOW, published_key

MAX_EVENT_BYTES = 4096  # for these vectors; a service's default is 262144


def _with(**changes: Any) -> dict[str, Any]:
    return {**alert_raised(), **changes}


def _tampered(wire: bytes, change: Callable[[dict[str, Any]], None]) -> bytes:
    event = orjson.loads(wire)
    change(event)
    return orjson.dumps(event)


def _raised_by(signer: str, **changes: Any) -> bytes:
    return signed(signer, _with(**changes))


def _set(name: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda event: event.__setitem__(name, value)


def _set_data(name: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda event: event["data"].__setitem__(name, value)


def _signed_pretty(wire: bytes) -> bytes:
    """The event signed over indented JSON instead of its canonical form."""
    event = orjson.loads(wire)
    event.pop("signature")
    pretty = orjson.dumps(event, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
    event["signature"] = base64.b64encode(published_key("PE").key.sign(pretty).signature).decode()
    return orjson.dumps(event)


GOOD = _raised_by("PE")
# (name, record key, record value, the reason)
GATE_CASES: list[tuple[str, str | None, bytes, Reason]] = [
    (
        "larger than the limit",
        "PE",
        _raised_by("PE", data={**alert_raised()["data"], "facts": "x" * 5000}),
        Reason.OVERSIZED,
    ),
    ("truncated JSON", "PE", GOOD[:100], Reason.MALFORMED_JSON),
    ("invalid UTF-8", "PE", GOOD.replace(b"Ni\xc3\xb1a", b"Ni\xf1a"), Reason.MALFORMED_JSON),
    ("a lone surrogate escape", "PE", GOOD.replace(b"Ni\xc3\xb1a", b"Ni\\ud800a"), Reason.MALFORMED_JSON),
    ("not a JSON object", "PE", b"[]", Reason.INVALID_ENVELOPE),
    ("an attribute the envelope does not define", "PE", _raised_by("PE", note="unsigned?"), Reason.INVALID_ENVELOPE),
    ("time without a UTC offset", "PE", _raised_by("PE", time="2026-11-23T03:40:00"), Reason.INVALID_ENVELOPE),
    ("handling code h4", "PE", _raised_by("PE", handling="h4"), Reason.INVALID_ENVELOPE),
    ("no signature", "PE", _tampered(GOOD, lambda e: e.pop("signature")), Reason.INVALID_ENVELOPE),
    (
        "origin not a member",
        "VE",
        _raised_by("PE", origin="VE", source="/countries/VE/agencies/cicpc"),
        Reason.UNKNOWN_COUNTRY,
    ),
    ("record key not the origin", "CO", GOOD, Reason.WRONG_KEY),
    ("no record key", None, GOOD, Reason.WRONG_KEY),
    ("signer not in the directory", "PE", _tampered(GOOD, _set("signer", "EC")), Reason.UNKNOWN_SIGNER),
    ("key id not in the directory", "PE", _tampered(GOOD, _set("keyid", "0123456789abcdef")), Reason.UNKNOWN_SIGNER),
    ("a country signing for another", "CO", _raised_by("PE", origin="CO"), Reason.ORIGIN_MISMATCH),
    (
        "a service signing an agency's event",
        "PE",
        _raised_by("alerts", origin="PE", type=CUSTOMS_MESSAGE_SENT),
        Reason.ORIGIN_MISMATCH,
    ),
    ("data changed after signing", "PE", _tampered(GOOD, _set_data("priority", "ROUTINE")), Reason.BAD_SIGNATURE),
    ("a signature over the pretty-printed event", "PE", _signed_pretty(GOOD), Reason.BAD_SIGNATURE),
    ("older than 72 hours", "PE", _raised_by("PE", time=(EVENT_TIME - timedelta(hours=73)).isoformat()), Reason.STALE),
    ("more than 5 minutes ahead", "PE", _raised_by("PE", time=(NOW + timedelta(minutes=6)).isoformat()), Reason.STALE),
    (
        "a type the service does not accept",
        "PE",
        _raised_by("PE", type="andina.alerts.alert-forgotten.v1"),
        Reason.UNKNOWN_TYPE,
    ),
    (
        "a payload against its schema",
        "PE",
        _raised_by("PE", data={**alert_raised()["data"], "priority": "SOON"}),
        Reason.INVALID_PAYLOAD,
    ),
]

TO_CO = SEALED[0]
DELIVERED = TO_CO.wire()


def _box_flipped(event: dict[str, Any]) -> None:
    box = bytearray(base64.b64decode(event["data_base64"]))
    box[-1] ^= 1
    event["data_base64"] = base64.b64encode(bytes(box)).decode()


def _resigned(wire: bytes, signer: str = "alerts") -> bytes:
    event = {k: v for k, v in orjson.loads(wire).items() if k not in ("signer", "keyid", "signature")}
    return signed(signer, event)


def _foreign_inside() -> bytes:
    return sealed_delivery(
        TO_CO.recipient,
        {**alert_delivered(), "type": CUSTOMS_MESSAGE_DELIVERED},
        TO_CO.nonce,
        TO_CO.sealed_id,
    )


# (name, the country opening, record value, its stable code, a fragment of the Python opener's reason)
SEALED_CASES: list[tuple[str, str, bytes, DeliveryRefusal, str]] = [
    ("sealed for another country", "PE", DELIVERED, DeliveryRefusal.NOT_SEALED_FOR_YOU, "sealed for CO, not for PE"),
    (
        "outer attribute changed",
        "CO",
        _tampered(DELIVERED, _set("sealedfor", "PE")),
        DeliveryRefusal.BAD_SIGNATURE,
        "signature does not verify",
    ),
    (
        "box changed and signed again",
        "CO",
        _resigned(_tampered(DELIVERED, _box_flipped)),
        DeliveryRefusal.UNOPENABLE,
        "does not open",
    ),
    (
        "an event of another service inside",
        "CO",
        _foreign_inside(),
        DeliveryRefusal.FOREIGN_TYPE,
        "not an event of alerts",
    ),
    (
        "signed by a country, not the service",
        "CO",
        _resigned(DELIVERED, "PE"),
        DeliveryRefusal.NOT_A_SERVICE,
        "PE is not a service",
    ),
]


def _value(value: bytes) -> dict[str, str]:
    try:
        return {"value": value.decode()}
    except UnicodeDecodeError:
        return {"value_base64": base64.b64encode(value).decode()}


def refusals_document() -> dict[str, Any]:
    return {
        "now": NOW.isoformat(),
        "max_event_bytes": MAX_EVENT_BYTES,
        "accepts": [ALERT_RAISED],
        "submissions": [
            {"name": name, "record_key": key, **_value(value), "reason": reason.value}
            for name, key, value, reason in GATE_CASES
        ],
        "deliveries": [
            {"name": name, "opened_by": country, **_value(value), "code": code.value, "refusal_contains": why}
            for name, country, value, code, why in SEALED_CASES
        ],
    }
