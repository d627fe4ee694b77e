from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from pydantic import BaseModel

from andina.contract.client import agency_event
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Handling, service_source, unsigned_event
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.events.messages import DirectedMessage
from andina.contract.events.returns import PROGRAMME, CaseWithdrawn
from andina.contract.events.signals import AlertRequested, alert_requested_type
from andina.contract.rejections import Reason, Rejected, RejectedAuthenticated
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind
from andina.shared.gate import MAX_CLOCK_SKEW, MAX_EVENT_AGE, Gate, Inbound, PartlyRefused

TYPE = alerts_catalog.MESSAGE_SENT
MESSAGE = {"subject": "Vehículo robado", "body": "Placa ABC-123 cruzó hacia Tumbes", "recipients": ["CO"]}


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, SignerKey], Path]:
    # VE signs validly but is not a member of the network; CL is a member of the returns programme only.
    signers = {c: SignerKey.generate(c) for c in ("PE", "CO", "VE", "CL")}
    path = tmp_path_factory.mktemp("keys") / "directory.json"
    for key in signers.values():
        KeyDirectory.publish(path, key, SignerKind.COUNTRY)
    return signers, path


@pytest.fixture(scope="module")
def gate(keys: tuple[dict[str, SignerKey], Path]) -> Gate:
    return Gate(CountryRegistry.load(), KeyDirectory.load(keys[1]), {TYPE: DirectedMessage}, max_event_bytes=4096)


def wire(signer: SignerKey, data: dict[str, Any] = MESSAGE, event_type: str = TYPE) -> bytes:
    return agency_event(signer, "policia", event_type, data, Handling.H1).wire


RETURN = alerts_catalog.RETURN_CASE_WITHDRAWN


def programme_gate(keys: tuple[dict[str, SignerKey], Path]) -> Gate:
    catalog: dict[str, type[BaseModel]] = {TYPE: DirectedMessage, RETURN: CaseWithdrawn}
    return Gate(CountryRegistry.load(), KeyDirectory.load(keys[1]), catalog, 4096, programmes={RETURN: PROGRAMME})


def rejection_of(gate: Gate, key: bytes | None, value: bytes) -> Reason:
    with pytest.raises(Rejected) as caught:
        gate.admit(key, value)
    return caught.value.reason


def test_a_valid_event_is_admitted_with_its_typed_payload(gate: Gate, keys: tuple[dict[str, SignerKey], Path]) -> None:
    inbound = gate.admit(b"PE", wire(keys[0]["PE"]))

    assert inbound.envelope.origin == "PE"
    assert isinstance(inbound.payload, DirectedMessage)
    assert inbound.payload.recipients == ["CO"]


def test_each_kind_of_bad_input_gets_its_own_reason(gate: Gate, keys: tuple[dict[str, SignerKey], Path]) -> None:
    pe = keys[0]["PE"]
    valid = orjson.loads(wire(pe))
    without_time = orjson.dumps({k: v for k, v in valid.items() if k != "time"})
    cases = {
        Reason.OVERSIZED: (b"PE", wire(pe, {**MESSAGE, "body": "x" * 5000})),
        Reason.MALFORMED_JSON: (b"PE", wire(pe)[:-7]),
        Reason.INVALID_ENVELOPE: (b"PE", without_time),
        Reason.UNKNOWN_COUNTRY: (b"VE", wire(keys[0]["VE"])),
        Reason.WRONG_KEY: (b"CO", wire(pe)),
        Reason.BAD_SIGNATURE: (b"PE", orjson.dumps({**valid, "data": {**MESSAGE, "recipients": ["EC"]}})),
        Reason.UNKNOWN_TYPE: (b"PE", wire(pe, event_type="andina.alerts.gossip.v1")),
        Reason.INVALID_PAYLOAD: (b"PE", wire(pe, {"subject": "no body, no recipients"})),
    }

    assert {reason: rejection_of(gate, *record) for reason, record in cases.items()} == {r: r for r in cases}


def test_a_service_s_signal_is_keyed_by_the_country_it_concerns_not_by_the_filing_s_origin(
    tmp_path: Path,
) -> None:
    # A finding completed by CO's report concerns PE: finance-trace asks the 24/7 network on PE's key.
    service = SignerKey.generate("finance-trace")
    path = tmp_path / "directory.json"
    KeyDirectory.publish(path, service, SignerKind.SERVICE)
    signal_type = alert_requested_type("finance-trace")
    gate = Gate(CountryRegistry.load(), KeyDirectory.load(path), {signal_type: AlertRequested}, max_event_bytes=4096)
    data: dict[str, Any] = {"signal": "pattern", "severity": "high", "category": "other", "summary": "Fan-in"}
    data |= {"country": "PE", "recipients": ["PE"], "reference": "f-1"}
    signal = service.sign(
        unsigned_event(type=signal_type, source=service_source("finance-trace"), origin="CO", data=data)
    )

    assert gate.admit(b"PE", signal).envelope.origin == "CO"
    assert rejection_of(gate, b"XX", signal) is Reason.WRONG_KEY
    assert rejection_of(gate, None, signal) is Reason.WRONG_KEY


def test_a_json_value_that_is_not_an_object_is_an_invalid_envelope(gate: Gate) -> None:
    assert rejection_of(gate, b"PE", b"[1, 2, 3]") is Reason.INVALID_ENVELOPE


def test_unknown_attributes_cannot_ride_along(gate: Gate, keys: tuple[dict[str, SignerKey], Path]) -> None:
    smuggled = orjson.dumps({**orjson.loads(wire(keys[0]["PE"])), "routing": "BO"})

    assert rejection_of(gate, b"PE", smuggled) is Reason.INVALID_ENVELOPE


def test_the_reason_says_what_failed(gate: Gate, keys: tuple[dict[str, SignerKey], Path]) -> None:
    with pytest.raises(Rejected, match="recipients"):
        gate.admit(b"PE", wire(keys[0]["PE"], {"subject": "s", "body": "b"}))


def test_an_event_older_than_the_replay_window_or_from_the_future_is_refused_and_its_sender_told(
    keys: tuple[dict[str, SignerKey], Path],
) -> None:
    sent_at = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    event = agency_event(keys[0]["PE"], "policia", TYPE, MESSAGE, Handling.H1, time=sent_at).wire

    def gate_at(now: datetime) -> Gate:
        directory = KeyDirectory.load(keys[1])
        return Gate(CountryRegistry.load(), directory, {TYPE: DirectedMessage}, 4096, clock=lambda: now)

    assert gate_at(sent_at + MAX_EVENT_AGE - timedelta(seconds=1)).admit(b"PE", event).envelope.origin == "PE"
    assert gate_at(sent_at - MAX_CLOCK_SKEW + timedelta(seconds=1)).admit(b"PE", event).envelope.origin == "PE"
    for now in (sent_at + MAX_EVENT_AGE + timedelta(seconds=1), sent_at - MAX_CLOCK_SKEW - timedelta(seconds=1)):
        with pytest.raises(RejectedAuthenticated) as caught:
            gate_at(now).admit(b"PE", event)
        assert caught.value.reason is Reason.STALE
        assert caught.value.envelope.origin == "PE"
    with pytest.raises(RejectedAuthenticated, match="older than 72 h"):  # the window in words, not 3 days, 0:00:00
        gate_at(sent_at + MAX_EVENT_AGE + timedelta(seconds=1)).admit(b"PE", event)


def test_a_programme_only_member_is_admitted_for_its_programme_and_refused_anything_else(
    keys: tuple[dict[str, SignerKey], Path],
) -> None:
    gate, cl, pe = programme_gate(keys), keys[0]["CL"], keys[0]["PE"]
    withdrawal = {"case_id": "8f14e45f-ceea-467a-9d8b-1f8a2b3c4d5e", "ground": "sin consentimiento"}

    assert gate.admit(b"CL", wire(cl, withdrawal, RETURN)).envelope.origin == "CL"
    assert gate.admit(b"PE", wire(pe, withdrawal, RETURN)).envelope.origin == "PE"  # full members take part too
    with pytest.raises(RejectedAuthenticated, match="CL is a member of a programme only") as refused:
        gate.admit(b"CL", wire(cl))
    assert refused.value.reason is Reason.UNAUTHORIZED
    assert refused.value.envelope.origin == "CL"  # authenticated: CL is told why


def test_the_dry_run_runs_a_types_content_check_once_the_gate_admits_the_event(
    gate: Gate, keys: tuple[dict[str, SignerKey], Path]
) -> None:
    """A check's refusal is the verdict; the parts it would refuse come with ``accepted``; a record the
    gate refuses never reaches the check."""
    checked: list[str] = []

    def no_subject_but_one(event: Inbound[Any]) -> PartlyRefused:
        checked.append(event.payload.subject)
        if event.payload.subject != "Vehículo robado":
            raise Rejected(Reason.INVALID_PAYLOAD, "only stolen vehicles")
        return PartlyRefused([DirectedMessage(subject="refused", body="part", recipients=["CO"])])

    checks = {TYPE: no_subject_but_one}
    signer = keys[0]["PE"]

    refused = gate.verdict(b"PE", wire(signer, {**MESSAGE, "subject": "Otro"}), checks)
    partly = gate.verdict(b"PE", wire(signer), checks)
    wrong_key = gate.verdict(b"CO", wire(signer, {**MESSAGE, "subject": "Tercero"}), checks)

    assert str(refused) == "invalid-payload: only stolen vehicles"
    assert (partly.accepted, [p.model_dump()["subject"] for p in partly.refused]) == (True, ["refused"])
    assert (wrong_key.reason, checked) == (Reason.WRONG_KEY, ["Otro", "Vehículo robado"])
