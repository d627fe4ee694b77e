"""Alerts through their handlers: who receives what, acknowledgements, escalation on missed deadlines."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from andina.alerts.domain.escalation import EscalationPolicy
from andina.alerts.handlers import alerts
from andina.contract.envelope import Handling
from andina.contract.events.alerts_contract import AlertAcknowledged, AlertClosed, AlertRaised, AlertUpdated
from andina.contract.events.catalogs.alerts import (
    ACKNOWLEDGEMENT_RECEIVED,
    ALERT_ACKNOWLEDGED,
    ALERT_CLOSED,
    ALERT_DELIVERED,
    ALERT_ESCALATED,
    ALERT_RAISED,
    ALERT_UPDATED,
    DELIVERY_FAILED,
)
from andina.contract.events.signals import AlertRequested, alert_requested_type
from andina.contract.rejections import Reason
from andina.shared.publishing import Outgoing
from andina.shared.timers import Timer
from tests.fakes import FakeTimers, delivered_to, inbound
from tests.unit.alerts.fakes import ESCALATION, Fakes, refusal

SCREENING_HIT = alert_requested_type("intel-exchange")


def minutes_later(start: datetime, minutes: int) -> str:
    """A time as deliveries carry it."""
    return (start + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def raised(**fields: Any) -> AlertRaised:
    payload = {"priority": "FLASH", "category": "vehicle", "title": "Camioneta robada", "facts": "Placa PBA-1234"}
    return AlertRaised.model_validate({**payload, "recipients": ["CO", "EC"], **fields})


async def raise_alert(fakes: Fakes, origin: str = "PE", **fields: Any) -> UUID:
    """Raise an alert from ``origin``; its id (the raising event's)."""
    event = inbound(ALERT_RAISED, raised(**fields), origin, handling=Handling.H1)
    await alerts.alert_raised(event, fakes.ports)
    return event.envelope.id


async def acknowledge(fakes: Fakes, alert_id: UUID, country: str) -> list[Outgoing]:
    ack = AlertAcknowledged(alert_id=alert_id, by="Sgto. Rojas")
    return await alerts.alert_acknowledged(inbound(ALERT_ACKNOWLEDGED, ack, country), fakes.ports)


async def test_a_raised_alert_goes_to_each_recipient_naming_its_contact_point_and_deadline() -> None:
    fakes = Fakes()
    event = inbound(ALERT_RAISED, raised(recipients=["CO", "EC", "PE"]), "PE", handling=Handling.H1)
    outputs = await alerts.alert_raised(event, fakes.ports)
    deliveries = delivered_to(outputs, ALERT_DELIVERED)
    assert sorted(deliveries) == ["CO", "EC"]  # never back to its origin
    deadline = minutes_later(fakes.clock.now, 15)
    assert deliveries["EC"]["contact"] == "Punto de contacto 24/7 — INTERPOL Quito — Policía Nacional del Ecuador"
    assert {(d["step"], d["revision"], d["status"], d["acknowledge_by"]) for d in deliveries.values()} == {
        ("primary", 1, "open", deadline)
    }
    assert {(o.attributes["origin"], o.attributes["handling"]) for o in outputs} == {("PE", "h1")}
    assert {o.attributes["correlationid"] for o in outputs} == {str(event.envelope.correlationid)}
    assert [t.due_at for t in fakes.timers.of_kind(alerts.ESCALATION).values()] == [
        fakes.clock.now + timedelta(minutes=15)
    ]
    assert fakes.counted("andina_alerts_raised_total", origin="PE", priority="FLASH", category="vehicle") == 1


async def test_a_refused_raise_names_its_reason_and_leaves_nothing_behind() -> None:
    fakes = Fakes()
    only_itself = inbound(ALERT_RAISED, raised(recipients=["PE"]), "PE")
    assert await refusal(alerts.alert_raised(only_itself, fakes.ports)) is Reason.INVALID_PAYLOAD
    to_everyone_h3 = inbound(ALERT_RAISED, raised(recipients="all"), "PE", handling=Handling.H3)
    assert await refusal(alerts.alert_raised(to_everyone_h3, fakes.ports)) is Reason.UNAUTHORIZED
    in_the_past = raised(acknowledge_by=fakes.clock.now - timedelta(minutes=1))
    assert await refusal(alerts.alert_raised(inbound(ALERT_RAISED, in_the_past, "PE"), fakes.ports)) is (
        Reason.INVALID_PAYLOAD
    )
    assert (fakes.alerts.by_id, fakes.timers.pending) == ({}, {})


async def test_a_domestic_alert_informs_every_other_member_and_expects_no_acknowledgement() -> None:
    fakes = Fakes()
    outputs = await alerts.alert_raised(inbound(ALERT_RAISED, raised(domestic=True), "BO"), fakes.ports)
    deliveries = delivered_to(outputs, ALERT_DELIVERED)
    assert sorted(deliveries) == ["CO", "EC", "PE"]
    assert {d["acknowledge_by"] for d in deliveries.values()} == {None}
    assert fakes.timers.pending == {}


async def test_a_second_raise_with_the_same_key_updates_the_open_alert_and_after_closing_starts_a_new_one() -> None:
    fakes = Fakes()
    first = await raise_alert(fakes, dedup_key="placa-PBA-1234")
    again = inbound(ALERT_RAISED, raised(dedup_key="placa-PBA-1234", facts="Vista en Tumbes"), "PE")
    deliveries = delivered_to(await alerts.alert_raised(again, fakes.ports), ALERT_DELIVERED)
    assert {(d["alert_id"], d["revision"], d["facts"]) for d in deliveries.values()} == {
        (str(first), 2, "Vista en Tumbes")
    }
    assert list(fakes.alerts.by_id) == [first]
    await alerts.alert_closed(inbound(ALERT_CLOSED, AlertClosed(alert_id=first, reason="hallada"), "PE"), fakes.ports)
    await raise_alert(fakes, dedup_key="placa-PBA-1234")
    assert len(fakes.alerts.by_id) == 2


async def test_only_the_origin_updates_and_each_update_reaches_every_recipient() -> None:
    fakes = Fakes()
    alert_id = await raise_alert(fakes)
    update = AlertUpdated(alert_id=alert_id, facts="Cruzó por Desaguadero", priority="URGENT")
    assert await refusal(alerts.alert_updated(inbound(ALERT_UPDATED, update, "CO"), fakes.ports)) is Reason.UNAUTHORIZED
    unknown = AlertUpdated(alert_id=uuid4(), facts="?")
    assert await refusal(alerts.alert_updated(inbound(ALERT_UPDATED, unknown, "PE"), fakes.ports)) is Reason.NOT_FOUND
    outputs = await alerts.alert_updated(inbound(ALERT_UPDATED, update, "PE"), fakes.ports)
    deliveries = delivered_to(outputs, ALERT_DELIVERED)
    assert {(c, d["revision"], d["priority"], d["facts"]) for c, d in deliveries.items()} == {
        ("CO", 2, "URGENT", "Cruzó por Desaguadero"),
        ("EC", 2, "URGENT", "Cruzó por Desaguadero"),
    }


async def test_closing_tells_every_recipient_stops_the_escalation_and_ends_further_changes() -> None:
    fakes = Fakes()
    alert_id = await raise_alert(fakes)
    close = inbound(ALERT_CLOSED, AlertClosed(alert_id=alert_id, reason="recuperada"), "PE")
    deliveries = delivered_to(await alerts.alert_closed(close, fakes.ports), ALERT_DELIVERED)
    assert {(d["status"], d["acknowledge_by"]) for d in deliveries.values()} == {("closed", None)}
    assert sorted(deliveries) == ["CO", "EC"]
    assert (fakes.timers.pending, len(fakes.timers.cancelled)) == ({}, 1)
    later = inbound(ALERT_UPDATED, AlertUpdated(alert_id=alert_id, facts="x"), "PE")
    assert await refusal(alerts.alert_updated(later, fakes.ports)) is Reason.INVALID_PAYLOAD
    assert await refusal(acknowledge(fakes, alert_id, "CO")) is Reason.INVALID_PAYLOAD


async def test_an_acknowledgement_goes_to_the_origin_once_per_recipient() -> None:
    fakes = Fakes()
    alert_id = await raise_alert(fakes)
    fakes.clock.advance(timedelta(minutes=4))
    notice = delivered_to(await acknowledge(fakes, alert_id, "CO"), ACKNOWLEDGEMENT_RECEIVED)
    assert list(notice) == ["PE"]
    assert (notice["PE"]["country"], notice["PE"]["by"], notice["PE"]["seconds_after_raise"]) == (
        "CO",
        "Sgto. Rojas",
        240.0,
    )
    assert await refusal(acknowledge(fakes, alert_id, "CO")) is Reason.DUPLICATE
    assert await refusal(acknowledge(fakes, alert_id, "BO")) is Reason.UNAUTHORIZED
    assert fakes.counted("andina_alerts_acknowledgement_seconds_sum", priority="FLASH") == 240.0


async def test_a_signal_raises_an_alert_in_the_name_of_the_country_concerned_when_a_rule_says_so() -> None:
    fakes = Fakes()
    hit = AlertRequested(
        signal="screening-hit",
        severity="critical",
        category="wanted-person",
        summary="Coincidencia con requisitoria",
        facts={"document": "DNI 40123456"},
        country="PE",
        recipients=["BO"],
        reference="hit-77",
    )
    event = inbound(SCREENING_HIT, hit, "PE")
    deliveries = delivered_to(await alerts.alert_requested(event, fakes.ports), ALERT_DELIVERED)
    assert list(deliveries) == ["BO"]
    assert (deliveries["BO"]["origin"], deliveries["BO"]["priority"]) == ("PE", "FLASH")
    assert deliveries["BO"]["facts"] == "Coincidencia con requisitoria\ndocument: DNI 40123456"
    await alerts.alert_requested(event, fakes.ports)  # the same finding again: the open alert's next revision
    assert [a.revision for a in fakes.alerts.by_id.values()] == [2]
    low = AlertRequested.model_validate({**hit.model_dump(), "severity": "low", "reference": "hit-78"})
    assert await alerts.alert_requested(inbound(SCREENING_HIT, low, "PE"), fakes.ports) == []
    labels = {"service": "intel-exchange", "signal": "screening-hit"}
    assert fakes.counted("andina_alerts_signals_total", **labels, raised="false") == 1


async def test_a_missed_deadline_escalates_to_the_alternate_then_the_coordinator_then_tells_the_origin() -> None:
    fakes = Fakes()
    raised_at = fakes.clock.now
    alert_id = await raise_alert(fakes)
    await acknowledge(fakes, alert_id, "CO")
    steps = []
    while fakes.timers.pending:
        [timer_id] = fakes.timers.pending
        steps.append(await fakes.fire(timer_id))
    alternate, coordinator, failed = steps
    # Each step waits one FLASH deadline (15 minutes), and each delivery says until when.
    to_alternate, to_coordinator = delivered_to(alternate, ALERT_ESCALATED), delivered_to(coordinator, ALERT_ESCALATED)
    assert (list(to_alternate), to_alternate["EC"]["step"]) == (["EC"], "alternate")
    assert to_alternate["EC"]["contact"] == "ECU 911 — Sala de crisis — Policía Nacional del Ecuador"
    assert to_alternate["EC"]["acknowledge_by"] == minutes_later(raised_at, 30)
    assert (to_coordinator["EC"]["step"], to_coordinator["EC"]["acknowledge_by"]) == (
        "coordinator",
        minutes_later(raised_at, 45),
    )
    notice = delivered_to(failed, DELIVERY_FAILED)
    assert (list(notice), notice["PE"]["country"], notice["PE"]["cycle"]) == (["PE"], "EC", 1)
    assert notice["PE"]["steps"] == ["primary", "alternate", "coordinator"]
    assert fakes.counted("andina_alerts_deadlines_missed_total", recipient="EC", priority="FLASH") == 1
    assert fakes.counted("andina_alerts_deadlines_missed_total", recipient="CO", priority="FLASH") == 0


async def test_a_raise_handled_again_after_its_first_deadline_fired_does_not_escalate_twice() -> None:
    # After a crash before the commit, the new process's timer loop may fire the first step before its
    # consumer gets the raise again.
    fakes = Fakes()
    event = inbound(ALERT_RAISED, raised(recipients=["EC"]), "PE", handling=Handling.H1)
    await alerts.alert_raised(event, fakes.ports)
    [first] = fakes.timers.pending
    alternate = delivered_to(await fakes.fire(first), ALERT_ESCALATED)
    [following] = fakes.timers.pending

    handled_again = replace(event, handled_before=True)
    again = delivered_to(await alerts.alert_raised(handled_again, fakes.ports), ALERT_DELIVERED)

    assert (alternate["EC"]["step"], again["EC"]["step"]) == ("alternate", "primary")
    assert list(fakes.timers.pending) == [following]


def taken(timers: FakeTimers, timer_id: str) -> Timer:
    """The pending timer ``timer_id``, claimed by the timer loop."""
    scheduled = timers.pending.pop(timer_id)
    return Timer(timer_id, scheduled.kind, scheduled.due_at, scheduled.data, slot="unit")


async def fired_first_deadline(fakes: Fakes) -> tuple[Timer, list[Outgoing]]:
    """An alert raised to EC and its first deadline fired: the timer and what it published."""
    await alerts.alert_raised(inbound(ALERT_RAISED, raised(recipients=["EC"]), "PE"), fakes.ports)
    timer = taken(fakes.timers, next(iter(fakes.timers.pending)))
    fakes.clock.now = timer.due_at
    return timer, await alerts.escalate(timer, fakes.ports)


def ids_and_data(outputs: list[Outgoing]) -> list[tuple[Any, Any]]:
    return [(o.attributes["id"], o.attributes["data"]) for o in outputs]


async def test_a_deadline_fired_again_after_a_crash_says_the_same_escalation_under_the_same_id() -> None:
    # The first firing's writes (the next step's timer) were stored and its outputs published, then the
    # process died before the timer was done: another instance fires it again, later.
    fakes = Fakes()
    timer, once = await fired_first_deadline(fakes)
    [following] = fakes.timers.pending
    fakes.clock.now = timer.due_at + timedelta(seconds=40)

    again = await alerts.escalate(timer, fakes.ports)

    assert ids_and_data(again) == ids_and_data(once)
    assert list(fakes.timers.pending) == [following]


async def test_a_deadline_fired_again_after_the_next_step_fired_still_says_the_same_escalation() -> None:
    # Its lease ran out while the next step, due meanwhile, fired and was done: that step's timer is gone.
    fakes = Fakes()
    timer, once = await fired_first_deadline(fakes)
    next_step = taken(fakes.timers, next(iter(fakes.timers.pending)))
    fakes.clock.now = next_step.due_at
    await alerts.escalate(next_step, fakes.ports)
    fakes.clock.now += timedelta(seconds=15)

    again = await alerts.escalate(timer, fakes.ports)

    assert ids_and_data(again) == ids_and_data(once)


async def test_escalation_repeats_as_many_rounds_as_configured() -> None:
    fakes = Fakes(escalation=EscalationPolicy(ESCALATION.deadlines, rounds=2))
    await raise_alert(fakes, recipients=["EC"])
    fired = []
    while fakes.timers.pending:
        [timer_id] = fakes.timers.pending
        fired.append(await fakes.fire(timer_id))
    assert len(fired) == 6
    assert [delivered_to(o, DELIVERY_FAILED)["PE"]["cycle"] for o in (fired[2], fired[5])] == [1, 2]


async def test_an_acknowledged_alert_does_not_escalate() -> None:
    fakes = Fakes()
    alert_id = await raise_alert(fakes)
    await acknowledge(fakes, alert_id, "CO")
    await acknowledge(fakes, alert_id, "EC")
    [timer_id] = fakes.timers.pending
    assert await fakes.fire(timer_id) == []
    assert fakes.timers.pending == {}
