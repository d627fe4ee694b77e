"""Return cases through their handlers: each step to both countries of the case (and audited), each
country of transit its leg only, reminders and escalations, personal data removed after retention."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

from andina.alerts.handlers import returns
from andina.contract.envelope import Handling
from andina.contract.events.catalogs import alerts as catalog
from andina.contract.events.returns import OPENED, ReturnCaseOpened
from andina.contract.rejections import Reason
from andina.shared.publishing import Outgoing
from tests.fakes import delivered_to, inbound
from tests.unit.alerts.fakes import RETURN_DEADLINES, Fakes, refusal

RECEPTION = {"receiving_agency": "MIMP", "placement": "shelter", "follow_up_agency": "MIMP UPE"}
SUBJECT = "return-case/{}"


async def open_case(fakes: Fakes, handling: Handling = Handling.H3, **fields: Any) -> UUID:
    """EC (destination) opens the return of a victim from PE; the case's id (the opening event's)."""
    opened = ReturnCaseOpened.model_validate({**OPENED, **fields})
    event = inbound(catalog.RETURN_CASE_OPENED, opened, "EC", handling=handling)
    await returns.return_case_opened(event, fakes.ports)
    return event.envelope.id


async def step(fakes: Fakes, event_type: str, country: str, **payload: Any) -> list[Outgoing]:
    """``country`` takes a step of the case (every event about a case is h3)."""
    return await fakes.handle(event_type, country, handling=Handling.H3, **payload)


def travel_through(fakes: Fakes, country: str) -> dict[str, Any]:
    now = fakes.clock.now
    leg = {"country": country, "enters_at": now + timedelta(hours=30), "leaves_at": now + timedelta(hours=40)}
    return {
        "departs_at": now + timedelta(hours=24),
        "arrives_at": now + timedelta(hours=48),
        "route": [{**leg, "border_posts": "Rumichaca / Ipiales"}],
        "escort": "DINAPEN",
        "travel_document": "salvoconducto 114",
    }


async def received_case(fakes: Fakes) -> UUID:
    """A case through travel (across CO) up to the victim received in PE."""
    case_id = await open_case(fakes)
    await step(
        fakes, catalog.RETURN_RECEPTION_PROPOSED, "PE", case_id=case_id, identity_verified=True, reception=RECEPTION
    )
    await step(fakes, catalog.RETURN_TRAVEL_PLANNED, "EC", case_id=case_id, travel=travel_through(fakes, "CO"))
    await step(fakes, catalog.RETURN_TRAVEL_AGREED, "PE", case_id=case_id)
    fakes.clock.advance(timedelta(days=2))
    await step(fakes, catalog.RETURN_HANDOVER_CONFIRMED, "EC", case_id=case_id, at=fakes.clock.now - timedelta(hours=1))
    await step(fakes, catalog.RETURN_RECEPTION_CONFIRMED, "PE", case_id=case_id, at=fakes.clock.now)
    return case_id


async def test_an_opened_case_goes_to_both_countries_each_delivery_audited_and_its_first_step_timed() -> None:
    fakes = Fakes()
    case_id = await open_case(fakes)
    [opening] = [o for o in fakes.audit.by_id.values() if o.actor == "PE"]
    assert fakes.audit.actions() == [
        ("delivered", "EC", SUBJECT.format(case_id)),
        ("delivered", "PE", SUBJECT.format(case_id)),
    ]
    assert (opening.on_behalf_of, opening.event_type, opening.why) == ("EC", catalog.RETURN_CASE_UPDATE, returns.WHY)
    now, days = fakes.clock.now, timedelta(days=7)
    assert {i.rsplit("/", 1)[-1]: (t.kind, t.due_at) for i, t in fakes.timers.pending.items()} == {
        "reminder": (returns.REMINDER, now + days * RETURN_DEADLINES.reminder_at),
        "0": (returns.ESCALATION, now + days),
        "1": (returns.ESCALATION, now + 2 * days),
    }
    assert fakes.counted("andina_returns_opened_total", corridor="EC-PE", age_group="adult") == 1


async def test_a_case_is_refused_unless_h3_with_consent_and_nothing_is_kept_or_audited() -> None:
    fakes = Fakes()
    assert await refusal(open_case(fakes, handling=Handling.H2)) is Reason.INVALID_PAYLOAD
    assert await refusal(open_case(fakes, consent_given=False)) is Reason.INVALID_PAYLOAD
    assert await refusal(open_case(fakes, age_group="minor")) is Reason.INVALID_PAYLOAD  # no guardian named
    assert (fakes.returns.by_id, fakes.audit.by_id, fakes.timers.pending) == ({}, {}, {})


async def test_each_step_is_its_country_s_and_the_next_step_s_timers_replace_the_last() -> None:
    fakes = Fakes()
    case_id = await open_case(fakes)
    proposal = {"case_id": case_id, "identity_verified": True, "reception": RECEPTION}
    assert await refusal(step(fakes, catalog.RETURN_RECEPTION_PROPOSED, "EC", **proposal)) is Reason.UNAUTHORIZED
    assert await refusal(step(fakes, catalog.RETURN_TRAVEL_AGREED, "PE", case_id=case_id)) is Reason.INVALID_PAYLOAD
    gone = {**proposal, "case_id": uuid4()}
    assert await refusal(step(fakes, catalog.RETURN_RECEPTION_PROPOSED, "PE", **gone)) is Reason.NOT_FOUND
    updates = delivered_to(
        await step(fakes, catalog.RETURN_RECEPTION_PROPOSED, "PE", **proposal), catalog.RETURN_CASE_UPDATE
    )
    assert {c: u["status"] for c, u in updates.items()} == {"EC": "reception-proposed", "PE": "reception-proposed"}
    assert {i.split("/")[2] for i in fakes.timers.pending} == {"travel-planned"}
    assert {i.split("/")[2] for i in fakes.timers.cancelled} == {"reception-proposed"}


async def test_each_country_of_transit_gets_its_own_leg_and_nothing_of_the_victim() -> None:
    fakes = Fakes()
    case_id = await open_case(fakes)
    await step(
        fakes, catalog.RETURN_RECEPTION_PROPOSED, "PE", case_id=case_id, identity_verified=True, reception=RECEPTION
    )
    await step(fakes, catalog.RETURN_TRAVEL_PLANNED, "EC", case_id=case_id, travel=travel_through(fakes, "CO"))
    outputs = await step(fakes, catalog.RETURN_TRAVEL_AGREED, "PE", case_id=case_id)
    transit = delivered_to(outputs, catalog.RETURN_TRANSIT)
    assert list(transit) == ["CO"]
    assert set(transit["CO"]) == {"case_id", "leg", "escort", "travel_document"}
    assert transit["CO"]["leg"]["country"] == "CO"
    assert sorted(delivered_to(outputs, catalog.RETURN_CASE_UPDATE)) == ["EC", "PE"]
    assert {o.attributes["handling"] for o in outputs} == {"h3"}
    assert ("delivered", "CO", SUBJECT.format(case_id)) in fakes.audit.actions()


async def test_a_reminder_goes_to_the_country_whose_step_it_is_and_escalations_to_both() -> None:
    fakes = Fakes()
    case_id = await open_case(fakes)
    base = f"return/{case_id}/reception-proposed"
    reminder = delivered_to(await fakes.fire(f"{base}/reminder"), catalog.RETURN_DEADLINE)
    assert (list(reminder), reminder["PE"]["overdue"], reminder["PE"]["escalated_to"]) == (["PE"], False, None)
    first = delivered_to(await fakes.fire(f"{base}/escalation/0"), catalog.RETURN_DEADLINE)
    second = delivered_to(await fakes.fire(f"{base}/escalation/1"), catalog.RETURN_DEADLINE)
    assert {c: (d["responsible"], d["escalated_to"]) for c, d in first.items()} == {
        "EC": ("PE", "alternate"),
        "PE": ("PE", "alternate"),
    }
    assert first["EC"]["contact"] == "Centro de Operaciones — DIRINCRI — Policía Nacional del Perú"
    assert {d["escalated_to"] for d in second.values()} == {"coordinator"}
    late = {"corridor": "EC-PE", "step": "reception-proposed", "responsible": "PE"}
    assert fakes.counted("andina_returns_steps_late_total", **late) == 1


async def test_a_deadline_for_a_step_already_taken_says_nothing() -> None:
    fakes = Fakes()
    case_id = await open_case(fakes)
    overdue = fakes.timers.pending[f"return/{case_id}/reception-proposed/escalation/0"]
    await step(
        fakes, catalog.RETURN_RECEPTION_PROPOSED, "PE", case_id=case_id, identity_verified=True, reception=RECEPTION
    )
    fakes.timers.pending["late"] = overdue  # fired while the step was being handled
    assert await fakes.fire("late") == []


async def test_the_origin_records_each_follow_up_in_turn_then_the_case_closes() -> None:
    fakes = Fakes()
    case_id = await received_case(fakes)
    assert await refusal(
        step(fakes, catalog.RETURN_FOLLOW_UP_RECORDED, "PE", case_id=case_id, day=90, outcome="x")
    ) is (Reason.INVALID_PAYLOAD)
    assert await refusal(
        step(fakes, catalog.RETURN_FOLLOW_UP_RECORDED, "EC", case_id=case_id, day=30, outcome="x")
    ) is (Reason.UNAUTHORIZED)
    outputs = await step(fakes, catalog.RETURN_FOLLOW_UP_RECORDED, "PE", case_id=case_id, day=30, outcome="Estable")
    assert delivered_to(outputs, catalog.RETURN_CASE_UPDATE)["EC"]["follow_ups"] == {"30": "Estable"}
    assert [i.split("/")[2] for i in fakes.timers.pending] == ["follow-up-90"] * 3
    closed = await step(fakes, catalog.RETURN_CASE_CLOSED, "EC", case_id=case_id)
    assert {u["status"] for u in delivered_to(closed, catalog.RETURN_CASE_UPDATE).values()} == {"closed"}
    assert [t.kind for t in fakes.timers.pending.values()] == [returns.DATA_REMOVAL]
    assert fakes.counted("andina_returns_ended_total", corridor="EC-PE", status="closed") == 1
    assert fakes.counted("andina_returns_days_to_return_count", corridor="EC-PE") == 1


async def test_personal_data_is_removed_after_retention_audited_and_the_case_no_longer_found() -> None:
    fakes = Fakes()
    case_id = await open_case(fakes)
    await step(fakes, catalog.RETURN_CASE_WITHDRAWN, "PE", case_id=case_id, ground="La víctima desiste")
    [(removal_id, removal)] = fakes.timers.pending.items()
    assert removal.due_at == fakes.clock.now + RETURN_DEADLINES.retention
    assert await fakes.fire(removal_id) == []
    assert fakes.returns.removed_at == {case_id: removal.due_at}
    entry = fakes.audit.by_id[removal_id]
    assert (entry.action, entry.actor, entry.subject, entry.at) == (
        "personal-data-removed",
        "alerts",
        SUBJECT.format(case_id),
        removal.due_at,
    )
    assert await refusal(step(fakes, catalog.RETURN_CASE_CLOSED, "EC", case_id=case_id)) is Reason.NOT_FOUND


async def test_either_country_withdraws_with_its_ground_and_no_step_is_awaited_after() -> None:
    fakes = Fakes()
    case_id = await open_case(fakes)
    outputs = await step(fakes, catalog.RETURN_CASE_WITHDRAWN, "EC", case_id=case_id, ground="Riesgo en el origen")
    updates = delivered_to(outputs, catalog.RETURN_CASE_UPDATE)
    assert {(u["status"], u["withdrawn_by"], u["ground"]) for u in updates.values()} == {
        ("withdrawn", "EC", "Riesgo en el origen")
    }
    assert [t.kind for t in fakes.timers.pending.values()] == [returns.DATA_REMOVAL]
    assert await refusal(step(fakes, catalog.RETURN_CASE_WITHDRAWN, "PE", case_id=case_id, ground="x")) is (
        Reason.INVALID_PAYLOAD
    )
