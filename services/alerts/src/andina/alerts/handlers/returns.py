"""Return cases of trafficking victims: each step by its country, the case to both countries of
the case, each country of transit its own leg; deadlines, reminders and escalations as timers;
personal data removed a configured time after the case ends."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from uuid import UUID

from andina.alerts import SERVICE
from andina.alerts.domain.returns import ENDED, Awaiting, ReturnCase
from andina.alerts.handlers.policies import return_step_cleared
from andina.alerts.handlers.ports import Ports
from andina.contract.envelope import Envelope, Handling
from andina.contract.events.alerts import EscalationStep
from andina.contract.events.catalogs.alerts import RETURN_CASE_UPDATE, RETURN_DEADLINE, RETURN_TRANSIT
from andina.contract.events.returns import (
    CaseStep,
    CaseWithdrawn,
    Confirmed,
    FollowUpRecorded,
    ReceptionProposed,
    ReturnCaseOpened,
    ReturnCaseUpdate,
    ReturnDeadline,
    ReturnStatus,
    ReturnTransit,
    TravelPlanned,
)
from andina.contract.rejections import Reason, Rejected
from andina.shared.audit_log import AuditEntry, delivered
from andina.shared.gate import Inbound
from andina.shared.ids import derived_event_id
from andina.shared.outputs import Cause
from andina.shared.policy.engine import Decision
from andina.shared.publishing import Outgoing
from andina.shared.timers import Timer

REMINDER, ESCALATION, DATA_REMOVAL = "return-reminder", "return-escalation", "return-data-removal"
# After a step's deadline its country's alternate contact point, one period later its coordinator.
ESCALATION_STEPS = (EscalationStep.ALTERNATE, EscalationStep.COORDINATOR)
WHY = "assisted return of a trafficking victim"
DATA_REMOVED = "personal-data-removed"


def _subject(case_id: UUID) -> str:
    return f"return-case/{case_id}"


def _timer_ids(case_id: UUID, step: str) -> list[str]:
    """A step's reminder and escalations (cancelled by id, not by pattern)."""
    base = f"return/{case_id}/{step}"
    return [f"{base}/reminder", *(f"{base}/escalation/{i}" for i in range(len(ESCALATION_STEPS)))]


async def _schedule(case: ReturnCase, ports: Ports) -> None:
    awaiting = case.awaiting(ports.return_deadlines)
    if awaiting is None:
        return
    now = ports.clock()
    allowed = max(awaiting.due_by - now, timedelta(0))
    reminder, *escalations = _timer_ids(case.id, awaiting.step)
    data = {"case_id": str(case.id), "step": awaiting.step}
    await ports.timers.schedule(reminder, REMINDER, now + allowed * ports.return_deadlines.reminder_at, data)
    for index, timer_id in enumerate(escalations):
        await ports.timers.schedule(timer_id, ESCALATION, awaiting.due_by + allowed * index, {**data, "index": index})


async def _cancel(case: ReturnCase, ports: Ports) -> None:
    awaiting = case.awaiting(ports.return_deadlines)
    if awaiting is not None:
        await ports.timers.cancel(*_timer_ids(case.id, awaiting.step))


def _to(
    case: ReturnCase,
    recipient: str,
    event_type: str,
    payload: ReturnCaseUpdate | ReturnTransit | ReturnDeadline,
    cause: UUID,
    ports: Ports,
) -> Outgoing:
    # A case is h3 from its opening: the victim's data, for the countries of the case only.
    return ports.outbox.deliver(
        Cause(cause, case.correlation or cause, case.destination, Handling.H3), event_type, recipient, payload
    )


def _case_updates(case: ReturnCase, cause: UUID, ports: Ports) -> list[Outgoing]:
    update = ReturnCaseUpdate(
        case_id=case.id,
        destination=case.destination,
        origin_country=case.origin,
        status=case.status,
        case=case.opened,
        reception=case.reception,
        travel=case.travel,
        handed_over_at=case.handed_over_at,
        received_at=case.received_at,
        follow_ups=case.follow_ups,
        withdrawn_by=case.withdrawn_by,
        ground=case.ground,
    )
    return [_to(case, country, RETURN_CASE_UPDATE, update, cause, ports) for country in (case.destination, case.origin)]


def _transit_notices(case: ReturnCase, cause: UUID, ports: Ports) -> list[Outgoing]:
    """Each country of transit gets its own leg and what lets the escort pass, nothing of the victim."""
    if case.travel is None:
        return []
    travel = case.travel
    return [
        _to(
            case,
            leg.country,
            RETURN_TRANSIT,
            ReturnTransit(case_id=case.id, leg=leg, escort=travel.escort, travel_document=travel.travel_document),
            cause,
            ports,
        )
        for leg in travel.route
    ]


def opening_checked(inbound: Inbound[ReturnCaseOpened], ports: Ports, now: datetime) -> ReturnCase:
    envelope = inbound.envelope
    return ReturnCase.open(envelope.id, envelope.origin, inbound.payload, envelope.handling, now, ports.countries)


def opening_check(inbound: Inbound[ReturnCaseOpened], ports: Ports) -> ReturnCase:
    return opening_checked(inbound, ports, ports.clock())


async def return_case_opened(inbound: Inbound[ReturnCaseOpened], ports: Ports) -> list[Outgoing]:
    envelope, now = inbound.envelope, ports.clock()
    case = opening_checked(inbound, ports, now)
    case = replace(case, correlation=envelope.correlationid)
    decided = await return_step_cleared(case, [], envelope, _subject(case.id), ports)
    await ports.returns.add(case)
    ports.return_metrics.opened.labels(case.corridor, case.opened.age_group.value).inc()
    await _schedule(case, ports)
    outputs = _case_updates(case, envelope.id, ports)
    await ports.audit.append(_delivered(outputs, decided, case, now))
    return outputs


def _delivered(
    outputs: list[Outgoing], decided: Mapping[str, Decision], case: ReturnCase, at: datetime
) -> list[AuditEntry]:
    """Each delivery's entry, with the decision that let it go."""
    entries = delivered(outputs, _subject(case.id), WHY, at)
    return [replace(e, detail={"policy": decided[e.actor].summary()}) for e in entries]


async def _advance(
    case_id: UUID, cause: Envelope, ports: Ports, change: Callable[[ReturnCase, datetime], ReturnCase]
) -> list[Outgoing]:
    before, now = await ports.returns.get(case_id), ports.clock()
    if before is None:
        raise Rejected(Reason.NOT_FOUND, f"no return case {case_id} (or its personal data was removed)")
    after = change(before, now)
    # The countries of transit are asked when the travel is planned (refused: plan another route)
    # and again when it is agreed, as each then gets its leg.
    routed = after.status in (ReturnStatus.TRAVEL_PLANNED, ReturnStatus.TRAVEL_AGREED)
    legs = [leg.country for leg in after.travel.route] if after.travel and routed else []
    decided = await return_step_cleared(after, legs, cause, _subject(after.id), ports)
    await ports.returns.save(after)
    await _cancel(before, ports)
    await _schedule(after, ports)
    _count(before, after, ports)
    if after.status in ENDED and after.ended_at is not None:
        removal = f"return/{after.id}/data-removal"
        data = {"case_id": str(after.id)}
        await ports.timers.schedule(removal, DATA_REMOVAL, after.ended_at + ports.return_deadlines.retention, data)
    outputs = _case_updates(after, cause.id, ports)
    if after.status is ReturnStatus.TRAVEL_AGREED:
        outputs += _transit_notices(after, cause.id, ports)
    await ports.audit.append(_delivered(outputs, decided, after, now))
    return outputs


def _count(before: ReturnCase, after: ReturnCase, ports: Ports) -> None:
    metrics, corridor = ports.return_metrics, after.corridor
    if after.status in ENDED:
        metrics.ended.labels(corridor, after.status.value).inc()
    days = after.days_to_return()
    if after.status is ReturnStatus.RECEIVED and before.status is not ReturnStatus.RECEIVED and days is not None:
        metrics.days_to_return.labels(corridor).observe(days)
    for day in set(after.follow_ups) - set(before.follow_ups):
        metrics.follow_ups.labels(corridor, day).inc()


async def return_reception_proposed(inbound: Inbound[ReceptionProposed], ports: Ports) -> list[Outgoing]:
    country, proposed = inbound.envelope.origin, inbound.payload
    return await _advance(
        proposed.case_id,
        inbound.envelope,
        ports,
        lambda case, now: case.reception_proposed(country, proposed.identity_verified, proposed.reception, now),
    )


async def return_travel_planned(inbound: Inbound[TravelPlanned], ports: Ports) -> list[Outgoing]:
    country, planned = inbound.envelope.origin, inbound.payload
    return await _advance(
        planned.case_id,
        inbound.envelope,
        ports,
        lambda case, now: case.travel_planned(country, planned.travel, now, ports.countries),
    )


async def return_travel_agreed(inbound: Inbound[CaseStep], ports: Ports) -> list[Outgoing]:
    country = inbound.envelope.origin
    return await _advance(
        inbound.payload.case_id, inbound.envelope, ports, lambda case, now: case.travel_agreed(country, now)
    )


async def return_handover_confirmed(inbound: Inbound[Confirmed], ports: Ports) -> list[Outgoing]:
    country, at = inbound.envelope.origin, inbound.payload.at
    return await _advance(
        inbound.payload.case_id, inbound.envelope, ports, lambda case, now: case.handed_over(country, at, now)
    )


async def return_reception_confirmed(inbound: Inbound[Confirmed], ports: Ports) -> list[Outgoing]:
    country, at = inbound.envelope.origin, inbound.payload.at
    return await _advance(
        inbound.payload.case_id, inbound.envelope, ports, lambda case, now: case.received(country, at, now)
    )


async def return_follow_up_recorded(inbound: Inbound[FollowUpRecorded], ports: Ports) -> list[Outgoing]:
    country, recorded = inbound.envelope.origin, inbound.payload
    return await _advance(
        recorded.case_id,
        inbound.envelope,
        ports,
        lambda case, now: case.followed_up(country, recorded.day, recorded.outcome),
    )


async def return_case_closed(inbound: Inbound[CaseStep], ports: Ports) -> list[Outgoing]:
    country = inbound.envelope.origin
    return await _advance(inbound.payload.case_id, inbound.envelope, ports, lambda case, now: case.closed(country, now))


async def return_case_withdrawn(inbound: Inbound[CaseWithdrawn], ports: Ports) -> list[Outgoing]:
    country, ground = inbound.envelope.origin, inbound.payload.ground
    return await _advance(
        inbound.payload.case_id, inbound.envelope, ports, lambda case, now: case.withdrawn(country, ground, now)
    )


async def return_deadline(timer: Timer, ports: Ports) -> list[Outgoing]:
    """A reminder to the country whose step it is; once overdue, its escalation, told to both countries."""
    case = await ports.returns.get(UUID(timer.data["case_id"]))
    awaiting = None if case is None else case.awaiting(ports.return_deadlines)
    if case is None or awaiting is None or awaiting.step != timer.data["step"]:
        return []
    escalated_to = ESCALATION_STEPS[timer.data["index"]] if timer.kind == ESCALATION else None
    if escalated_to is ESCALATION_STEPS[0]:
        ports.return_metrics.steps_late.labels(case.corridor, awaiting.step, awaiting.responsible).inc()
    entry = await ports.directory.get(awaiting.responsible) if escalated_to else None
    contact = entry.contact(escalated_to) if entry and escalated_to else None
    notice = _notice(case, awaiting, escalated_to, contact)
    other = case.origin if awaiting.responsible == case.destination else case.destination
    recipients = [awaiting.responsible] if escalated_to is None else [awaiting.responsible, other]
    cause = derived_event_id(case.id, timer.id)
    return [_to(case, country, RETURN_DEADLINE, notice, cause, ports) for country in recipients]


def _notice(
    case: ReturnCase, awaiting: Awaiting, escalated_to: EscalationStep | None, contact: str | None
) -> ReturnDeadline:
    return ReturnDeadline(
        case_id=case.id,
        awaiting=awaiting.step,
        responsible=awaiting.responsible,
        due_by=awaiting.due_by,
        overdue=escalated_to is not None,
        escalated_to=escalated_to,
        contact=contact,
    )


async def remove_personal_data(timer: Timer, ports: Ports) -> list[Outgoing]:
    """The retention time after a case ended is over: only anonymous figures stay."""
    case_id, now = UUID(timer.data["case_id"]), ports.clock()
    await ports.returns.remove_personal_data(case_id, now)
    removal = AuditEntry(timer.id, now, DATA_REMOVED, SERVICE, _subject(case_id), why="retention after the case ended")
    await ports.audit.append([removal])
    return []
