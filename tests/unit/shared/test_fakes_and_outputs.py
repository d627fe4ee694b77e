"""The common fakes behave as the ports they stand for, and outputs are built one way."""

from __future__ import annotations

from uuid import uuid4

from andina.contract.envelope import Handling
from andina.contract.events.messages import DirectedMessage, message_sent_type
from andina.shared.audit_log import AuditEntry, delivered
from andina.shared.ids import derived_event_id
from andina.shared.outputs import Cause, Outbox, strictest
from tests.fakes import FakeAudit, FakeClock, FakeTimers, inbound

MESSAGE_TYPE = message_sent_type("alerts")


def test_outputs_answer_their_cause_with_derived_ids() -> None:
    cause = Cause(uuid4(), uuid4(), "PE", Handling.H1)
    outbox = Outbox("alerts", "andina.alerts.deliveries", "andina.alerts.signals")
    payload = DirectedMessage(subject="Alerta", body="hola", recipients=["CO"])
    outputs = outbox.deliver_each(cause, MESSAGE_TYPE, ["EC", "CO", "EC"], payload, "first")
    assert [o.recipient for o in outputs] == ["CO", "EC"]
    first = outputs[0].attributes
    assert first["id"] == str(derived_event_id(cause.id, MESSAGE_TYPE, "CO", "first"))
    assert (first["origin"], first["handling"], first["causationid"]) == ("PE", "h1", str(cause.id))
    assert first["correlationid"] == str(cause.correlation_id)
    again = outbox.deliver_each(cause, MESSAGE_TYPE, ["CO"], payload, "first")
    assert again[0].attributes["id"] == first["id"]


def test_strictest_handling_wins() -> None:
    assert strictest(Handling.H0, Handling.H3, Handling.H1) == Handling.H3


def test_delivered_entries_name_each_recipient_once_per_output() -> None:
    cause = Cause(uuid4(), uuid4(), "PE", Handling.H2)
    outbox = Outbox("alerts", "deliveries")
    payload = DirectedMessage(subject="Alerta", body="hola", recipients=["CO"])
    outputs = outbox.deliver_each(cause, MESSAGE_TYPE, ["CO", "BO"], payload)
    entries = delivered(outputs, "record/7", "a screening hit", FakeClock()())
    assert [(e.actor, e.subject, e.on_behalf_of) for e in entries] == [
        ("BO", "record/7", "PE"),
        ("CO", "record/7", "PE"),
    ]
    assert entries[0].document()["_id"] == outputs[0].attributes["id"]


async def test_fake_audit_keeps_the_first_entry_of_an_id() -> None:
    audit = FakeAudit()
    at = FakeClock()()
    await audit.append([AuditEntry("e1", at, "screening", "CO", "s1")])
    await audit.append([AuditEntry("e1", at, "screening", "PE", "s1")])
    assert audit.actions() == [("screening", "CO", "s1")]


async def test_fake_timers_forget_what_is_cancelled() -> None:
    timers, clock = FakeTimers(), FakeClock()
    await timers.schedule("a", "reminder", clock(), {})
    await timers.schedule("b", "overdue", clock(), {})
    await timers.cancel("a", "unknown")
    assert list(timers.pending) == ["b"]
    assert timers.cancelled == ["a"]


def test_inbound_is_what_the_gate_hands_a_handler() -> None:
    payload = DirectedMessage(subject="Alerta", body="hola", recipients=["CO"])
    event = inbound(MESSAGE_TYPE, payload, "PE")
    assert event.envelope.origin == "PE"
    assert event.envelope.signer == "PE"
    assert event.envelope.correlationid == event.envelope.id
    assert event.payload is payload
