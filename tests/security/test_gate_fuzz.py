"""Hostile input never crashes the gate: every record is admitted or refused with a reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from andina.contract.client import agency_event
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Handling
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.events.messages import DirectedMessage
from andina.contract.rejections import Reason, Rejected
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind
from andina.shared.gate import Gate

TYPE = alerts_catalog.MESSAGE_SENT
PE = SignerKey.generate("PE")

# What a JSON encoder can produce (64-bit integers); larger ones are tried as raw bytes below.
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=30,
)


@pytest.fixture(scope="module")
def gate(tmp_path_factory: pytest.TempPathFactory) -> Gate:
    path: Path = tmp_path_factory.mktemp("keys") / "directory.json"
    KeyDirectory.publish(path, PE, SignerKind.COUNTRY)
    return Gate(CountryRegistry.load(), KeyDirectory.load(path), {TYPE: DirectedMessage}, max_event_bytes=65_536)


def outcome(gate: Gate, key: bytes | None, value: bytes) -> Reason | None:
    """None when admitted, else the reason; any other exception fails the test."""
    try:
        gate.admit(key, value)
    except Rejected as rejection:
        return rejection.reason
    return None


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.none() | st.binary(max_size=4), value=st.binary(max_size=2_000))
def test_arbitrary_bytes_are_refused_with_a_reason(gate: Gate, key: bytes | None, value: bytes) -> None:
    assert outcome(gate, key, value) is not None


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    attribute=st.sampled_from(["id", "source", "type", "time", "origin", "handling", "data", "signer", "extra"]),
    value=json_values,
)
def test_any_attribute_replaced_by_any_json_is_refused_or_still_valid(gate: Gate, attribute: str, value: Any) -> None:
    event = orjson.loads(agency_event(PE, "policia", TYPE, {"subject": "s", "body": "b", "recipients": ["CO"]}).wire)

    reason = outcome(gate, b"PE", orjson.dumps({**event, attribute: value}))

    assert reason is not None or event.get(attribute) == value


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.dictionaries(
        st.sampled_from(["subject", "body", "recipients", "reference", "evaluation", "x"]), json_values
    )
)
def test_any_signed_payload_is_admitted_only_when_it_is_a_valid_message(gate: Gate, data: dict[str, Any]) -> None:
    wire = agency_event(PE, "policia", TYPE, data, Handling.H1).wire

    reason = outcome(gate, b"PE", wire)

    assert reason in (None, Reason.INVALID_PAYLOAD)
    if reason is None:
        DirectedMessage.model_validate(data)


def test_integers_beyond_64_bits_are_refused_not_a_crash(gate: Gate) -> None:
    wire = agency_event(PE, "policia", TYPE, {"subject": "s", "body": "b", "recipients": ["CO"]}).wire
    huge = wire.replace(b'"subject":"s"', b'"subject":123456789012345678901234567890')

    assert outcome(gate, b"PE", huge) is not None


def test_deeply_nested_json_is_malformed_not_a_crash(gate: Gate) -> None:
    nested = b"[" * 5_000 + b"]" * 5_000

    assert outcome(gate, b"PE", nested) in (Reason.MALFORMED_JSON, Reason.INVALID_ENVELOPE)
