"""Canonical forms: an event as received -> the exact bytes its signature covers.

The verifier parses the received JSON and serialises it again: keys sorted by Unicode code
point, no whitespace, strings in UTF-8 with only the characters JSON requires escaped
(``\\b \\t \\n \\f \\r`` short, the other controls as ``\\u00xx``), integers as written, and
``signature`` left out. The float cases show what a verifier computes for a number with a
fraction or an exponent; a sender keeps decimals in strings and never signs a float.
"""

from __future__ import annotations

from typing import Any

import orjson

from andina.contract.envelope import canonical_bytes

# (name, what it shows, the event's JSON text as it arrives)
CASES: list[tuple[str, str, str]] = [
    (
        "order-and-whitespace",
        "keys sorted at every depth, arrays keep their order, whitespace dropped, signature left out",
        '{\n  "type": "andina.alerts.alert-raised.v1",\n  "specversion": "1.0",\n'
        '  "data": {"title": "t", "recipients": ["EC", "CO"], "facts": "f"},\n'
        '  "signature": "not covered",\n  "id": "0b6c3f7e-5a1d-4c2b-9e8f-7a6d5c4b3a21"\n}',
    ),
    (
        "escapes",
        "quote, backslash and controls escaped (short forms where JSON has them); '/' and DEL as themselves",
        r'{"data": {"text": "q\" b\\ s\/ \b\t\n\f\r \u0000\u0001\u000b\u001f \u007f end"}}',
    ),
    (
        "non-ascii",
        "escaped non-ASCII becomes raw UTF-8: 2-byte, 3-byte (U+2028, U+FEFF) and a non-BMP character (U+1F600)",
        r'{"data": {"text": "Ni\u00f1a de 9 a\u00f1os \u2028\ufeff \ud83d\ude00", "raw": "Policía 😀"}}',
    ),
    (
        "key-order-by-code-point",
        "keys compare by Unicode code point (= UTF-8 bytes): U+E000 before U+1F600, unlike UTF-16 order",
        '{"data": {"\U0001f600": 1, "\ue000": 2, "z": 3, "Z": 4, "\u00e9": 5, "a\\u0000": 6, "a": 7}}',
    ),
    (
        "nulls-and-booleans",
        "null, true and false kept as they are; a null attribute is still covered",
        '{"causationid": null, "data": {"domestic": false, "urgent": true, "note": null, "empty": {}, "list": []}}',
    ),
    (
        "integers",
        "integers as decimal digits, -0 as 0, up to the 64-bit range (signed minimum, unsigned maximum)",
        '{"data": {"zero": 0, "negative_zero": -0, "small": -42, "beyond_double": 9007199254740993,'
        ' "min": -9223372036854775808, "max": 18446744073709551615}}',
    ),
    (
        "floats-as-a-verifier-sees-them",
        "what a verifier computes for floats (shortest round-trip digits, '.0' kept, exponent with sign); "
        "never sign one: keep decimals in strings",
        '{"data": {"one": 1.0, "hundred": 1E2, "tenth": 0.1, "big": 1e16, "tiny": 1e-7, "negative_zero": -0.0}}',
    ),
    (
        "integers-beyond-64-bits",
        "an integer outside the 64-bit ranges is read as a float by a verifier: never sign one",
        '{"data": {"big": 18446744073709551616, "small": -9223372036854775809}}',
    ),
    (
        "duplicate-keys",
        "a key given twice counts once, with its last value: send each key once",
        '{"data": {"priority": "ROUTINE", "priority": "FLASH"}}',
    ),
]
# What a sender must not sign: the verifier's form of these numbers is no standard's.
UNSIGNABLE = {"floats-as-a-verifier-sees-them", "integers-beyond-64-bits"}


def canonical_document() -> dict[str, Any]:
    cases = []
    for name, shows, received in CASES:
        canonical = canonical_bytes(orjson.loads(received))
        cases.append(
            {
                "name": name,
                "shows": shows,
                "received": received,
                "signable": name not in UNSIGNABLE,
                "canonical": canonical.decode(),
                "canonical_hex": canonical.hex(),
            }
        )
    return {
        "rule": "parse the event, drop 'signature', serialise: keys sorted by code point, no whitespace, UTF-8",
        "cases": cases,
    }
