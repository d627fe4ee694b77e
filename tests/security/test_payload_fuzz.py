"""Every payload decoder of every service, fuzzed through the gate: a mutated payload is either
still valid for its model or refused as `invalid-payload`; nothing else escapes, nothing crashes.

Each case starts from the model's published example (a valid payload) and changes one thing:
a field replaced by any JSON value, a field dropped, or an unknown field added.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from andina.contract.client import agency_event
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Handling
from andina.contract.events.catalogs.alerts import ACCEPTS as ALERTS
from andina.contract.events.catalogs.customs import ACCEPTS as CUSTOMS
from andina.contract.events.catalogs.finance_trace import ACCEPTS as FINANCE_TRACE
from andina.contract.events.catalogs.intel_exchange import ACCEPTS as INTEL_EXCHANGE
from andina.contract.rejections import Reason
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind
from andina.shared.gate import Gate
from tests.security.test_gate_fuzz import json_values, outcome

PE = SignerKey.generate("PE")
CATALOG: dict[str, type[BaseModel]] = {**ALERTS, **INTEL_EXCHANGE, **CUSTOMS, **FINANCE_TRACE}


def published_example(model: type[BaseModel]) -> dict[str, Any]:
    extra = model.model_config.get("json_schema_extra")
    assert isinstance(extra, dict), f"{model.__name__} publishes no example"
    examples = extra["examples"]
    assert isinstance(examples, list)
    first = examples[0]
    assert isinstance(first, dict)
    return first


@pytest.fixture(scope="module")
def gate(tmp_path_factory: pytest.TempPathFactory) -> Gate:
    path: Path = tmp_path_factory.mktemp("keys") / "directory.json"
    KeyDirectory.publish(path, PE, SignerKind.COUNTRY)
    return Gate(CountryRegistry.load(), KeyDirectory.load(path), CATALOG, max_event_bytes=262_144)


@st.composite
def mutated(draw: st.DrawFn, example: dict[str, Any]) -> dict[str, Any]:
    field = draw(st.sampled_from(sorted(example)))
    change = draw(st.sampled_from(["replace", "drop", "add"]))
    if change == "drop":
        return {k: v for k, v in example.items() if k != field}
    if change == "add":
        return {**example, draw(st.text(min_size=1, max_size=12).filter(lambda k: k not in example)): draw(json_values)}
    return {**example, field: draw(json_values)}


def test_every_accepted_type_publishes_a_valid_example(gate: Gate) -> None:
    for event_type, model in CATALOG.items():
        wire = agency_event(PE, "policia", event_type, published_example(model), Handling.H1).wire
        assert isinstance(gate.admit(b"PE", wire).payload, model), event_type


@pytest.mark.parametrize("event_type", sorted(CATALOG))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_mutated_payload_is_valid_for_its_model_or_refused_as_invalid_payload(
    gate: Gate, event_type: str, data: st.DataObject
) -> None:
    model = CATALOG[event_type]
    payload = data.draw(mutated(published_example(model)))
    wire = agency_event(PE, "policia", event_type, payload, Handling.H1).wire

    reason = outcome(gate, b"PE", wire)

    assert reason in (None, Reason.INVALID_PAYLOAD)
    if reason is None:
        model.model_validate_json(orjson.dumps(payload), strict=True)
