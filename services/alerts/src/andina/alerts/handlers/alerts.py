"""Alerts: raise (or update by dedup key), update, close, acknowledge, escalate; and the
alerts other services' signals ask for."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

from andina.alerts.domain.alert import Acknowledgement, Alert
from andina.alerts.domain.escalation import NextStep
from andina.alerts.domain.rules import priority_for
from andina.alerts.handlers import policies
from andina.alerts.handlers.ports import Ports
from andina.contract.envelope import Envelope
from andina.contract.events.alerts import EscalationStep
from andina.contract.events.alerts_contract import (
    AcknowledgementReceived,
    AlertAcknowledged,
    AlertClosed,
    AlertDelivered,
    AlertRaised,
    AlertUpdated,
    AlertWithheld,
    DeliveryFailed,
)
from andina.contract.events.catalogs.alerts import (
    ACKNOWLEDGEMENT_RECEIVED,
    ALERT_DELIVERED,
    ALERT_ESCALATED,
    ALERT_WITHHELD,
    DELIVERY_FAILED,
)
from andina.contract.events.signals import AlertRequested
from andina.contract.rejections import Reason, Rejected
from andina.shared.gate import Inbound
from andina.shared.ids import derived_event_id
from andina.shared.outputs import Cause
from andina.shared.policy.engine import Decision, refusals
from andina.shared.publishing import Outgoing
from andina.shared.timers import Timer, as_stored

ESCALATION = "escalation"


def _timer_id(alert_id: UUID, step: NextStep) -> str:
    # One timer per alert and step: every recipient shares the alert's deadline.
    return f"alert/{alert_id}/{step.round}/{step.index}"


def _cause(alert: Alert, cause_id: UUID) -> Cause:
    """Outputs about ``alert`` go out for its origin, in its conversation, as it is handled."""
    return Cause(cause_id, alert.correlation or cause_id, alert.origin, alert.handling)


async def _delivery(
    alert: Alert,
    recipient: str,
    step: EscalationStep,
    cause: UUID,
    ports: Ports,
    event_type: str = ALERT_DELIVERED,
    deadline: datetime | None = None,
) -> Outgoing:
    """The alert for ``recipient`` at ``step``; ``deadline``: when the next step follows (escalations)."""
    entry = await ports.directory.get(recipient)
    payload = AlertDelivered(
        alert_id=alert.id,
        origin=alert.origin,
        revision=alert.revision,
        status="closed" if alert.closed else "open",
        priority=alert.priority,
        category=alert.category,
        title=alert.title,
        facts=alert.facts,
        domestic=alert.domestic,
        step=step,
        contact=entry.contact(step) if entry else f"{recipient} 24/7 contact point",
        acknowledge_by=(deadline or alert.acknowledge_by) if alert.awaiting(recipient) else None,
    )
    ports.metrics.delivered.labels(alert.origin, recipient, alert.priority.value).inc()
    # The contact point is the directory's when the alert goes out, and an escalation's deadline runs from
    # when it is taken: sent again after the entry changed, or later, it is a new event (its id names both).
    parts = str(alert.revision), step.value, payload.contact, *([deadline.isoformat()] if deadline else [])
    return ports.outbox.deliver(_cause(alert, cause), event_type, recipient, payload, *parts)


async def _send(
    alert: Alert,
    decided: Mapping[str, Decision],
    step: EscalationStep,
    cause: UUID,
    ports: Ports,
    event_type: str = ALERT_DELIVERED,
    deadline: datetime | None = None,
) -> list[Outgoing]:
    """The alert for each recipient its policies permit; the origin told of the others; every decision audited."""
    permitted = [r for r, d in decided.items() if d.permitted]
    sent = [await _delivery(alert, r, step, cause, ports, event_type, deadline) for r in permitted]
    await ports.audit.append([policies.audited(alert, decided, step, event_type, cause, ports.clock())])
    withheld = refusals(decided)
    if withheld:
        notice = AlertWithheld(alert_id=alert.id, revision=alert.revision, step=step, withheld=withheld)
        revision = str(alert.revision)
        sent.append(
            ports.outbox.deliver(_cause(alert, cause), ALERT_WITHHELD, alert.origin, notice, revision, step.value)
        )
    return sent


async def _to_every_recipient(alert: Alert, cause: UUID, ports: Ports) -> list[Outgoing]:
    decided = policies.decide(alert, alert.recipients, ports)
    return await _send(alert, decided, EscalationStep.PRIMARY, cause, ports)


def _new_alert(
    raised: AlertRaised, origin: str, envelope: Envelope, ports: Ports, raised_at: datetime | None = None
) -> Alert:
    at = raised_at or ports.clock()
    return Alert.raise_(envelope.id, origin, raised, envelope.handling, at, ports.countries, ports.escalation)


def raise_checked(inbound: Inbound[AlertRaised], ports: Ports) -> Alert:
    """The alert as raised now, its content checked (not run: an update of an open alert by its ``dedup_key``)."""
    return _new_alert(inbound.payload, inbound.envelope.origin, inbound.envelope, ports)


async def _raise(raised: AlertRaised, origin: str, inbound: Inbound[Any], ports: Ports) -> list[Outgoing]:
    """``raised`` in the name of ``origin``, because of ``inbound`` (the raise, or another service's signal)."""
    envelope = inbound.envelope
    if raised.dedup_key is not None:
        existing = await ports.alerts.open_with_key(origin, raised.dedup_key)
        if existing is not None:
            updated = existing.updated(origin, raised.facts, raised.priority)
            await ports.alerts.save_revision(updated)
            return await _to_every_recipient(updated, envelope.id, ports)
    # Handled again (a crash before the commit), the alert keeps the time it was raised, so it says the
    # same deadline.
    known = await ports.alerts.get(envelope.id) if inbound.handled_before else None
    alert = _new_alert(raised, origin, envelope, ports, as_stored(ports.clock()) if known is None else known.raised_at)
    decided = policies.decide(alert, alert.recipients, ports)
    # A member refused now is no recipient of the alert: never awaited, escalated nor updated.
    reaching = tuple(r for r in alert.recipients if decided[r].permitted)
    alert = replace(alert, correlation=envelope.correlationid, recipients=reaching)
    await ports.alerts.add(alert)
    ports.metrics.raised.labels(origin, alert.priority.value, alert.category.value).inc()
    # Handled again after its first deadline fired (the timer loop starts before the consumer), it is not set again.
    escalated = known is not None and known.escalated
    if alert.acknowledge_by is not None and reaching and not escalated:
        step = ports.escalation.first()
        data = {"alert_id": str(alert.id), "index": step.index, "round": step.round}
        await ports.timers.schedule(_timer_id(alert.id, step), ESCALATION, alert.acknowledge_by, data)
    return await _send(alert, decided, EscalationStep.PRIMARY, envelope.id, ports)


async def alert_raised(inbound: Inbound[AlertRaised], ports: Ports) -> list[Outgoing]:
    return await _raise(inbound.payload, inbound.envelope.origin, inbound, ports)


async def alert_requested(inbound: Inbound[AlertRequested], ports: Ports) -> list[Outgoing]:
    """A signal from another service: an alert in the name of the country concerned, if a rule says so."""
    requested, service = inbound.payload, inbound.envelope.service
    priority = priority_for(ports.rules, service, requested)
    ports.metrics.signals.labels(service, requested.signal, str(priority is not None).lower()).inc()
    if priority is None:
        return []
    facts = "\n".join([requested.summary, *(f"{k}: {v}" for k, v in sorted(requested.facts.items()))])
    raised = AlertRaised(
        priority=priority,
        category=requested.category,
        title=requested.summary[:200],
        facts=facts,
        recipients=requested.recipients,
        dedup_key=f"{service}/{requested.reference}"[:120],
    )
    return await _raise(raised, requested.country, inbound, ports)


async def _existing(alert_id: UUID, ports: Ports) -> Alert:
    alert = await ports.alerts.get(alert_id)
    if alert is None:
        raise Rejected(Reason.NOT_FOUND, f"no alert {alert_id}")
    return alert


async def alert_updated(inbound: Inbound[AlertUpdated], ports: Ports) -> list[Outgoing]:
    alert = await _existing(inbound.payload.alert_id, ports)
    updated = alert.updated(inbound.envelope.origin, inbound.payload.facts, inbound.payload.priority)
    await ports.alerts.save_revision(updated)
    return await _to_every_recipient(updated, inbound.envelope.id, ports)


async def alert_closed(inbound: Inbound[AlertClosed], ports: Ports) -> list[Outgoing]:
    alert = await _existing(inbound.payload.alert_id, ports)
    closed = alert.closed_by(inbound.envelope.origin)
    await ports.alerts.save_revision(closed)
    await ports.timers.cancel(*(_timer_id(alert.id, step) for step in ports.escalation.every_step()))
    return await _to_every_recipient(closed, inbound.envelope.id, ports)


async def alert_acknowledged(inbound: Inbound[AlertAcknowledged], ports: Ports) -> list[Outgoing]:
    envelope, ack = inbound.envelope, inbound.payload
    country, now = envelope.origin, ports.clock()
    alert = (await _existing(ack.alert_id, ports)).acknowledged(country, ack.by, now)
    await ports.alerts.add_ack(alert.id, country, Acknowledgement(ack.by, now))
    latency = (now - alert.raised_at).total_seconds()
    ports.metrics.acknowledged.labels(alert.origin, country, alert.priority.value).inc()
    ports.metrics.ack_latency.labels(alert.priority.value).observe(latency)
    notice = AcknowledgementReceived(
        alert_id=alert.id, country=country, by=ack.by, acknowledged_at=now, seconds_after_raise=latency
    )
    return [ports.outbox.deliver(_cause(alert, envelope.id), ACKNOWLEDGEMENT_RECEIVED, alert.origin, notice)]


async def escalate(timer: Timer, ports: Ports) -> list[Outgoing]:
    """Recipients missed a deadline: take the next step for each, and schedule the one after it."""
    step = NextStep(timer.data["index"], timer.data["round"])
    alert = await ports.alerts.get(UUID(timer.data["alert_id"]))
    late = [] if alert is None else [r for r in alert.recipients if alert.awaiting(r)]
    if alert is None or not late:
        return []
    if step == ports.escalation.first():
        await ports.alerts.escalation_began(alert.id)
    following = ports.escalation.after(step)
    # Fired again (its first firing's writes stored, then a crash or a lease run out before the timer was
    # done, even after the next step fired): the step says the deadline it set then, so it is the same
    # event under the same id, not a second escalation.
    due = alert.deadlines.get(step.key)
    if due is None:
        due = as_stored(ports.clock() + ports.escalation.deadline(alert.priority))  # as the store keeps it
        await ports.alerts.deadline_set(alert.id, step.key, due)
    if following is not None:
        data = {**timer.data, "index": following.index, "round": following.round}
        await ports.timers.schedule(_timer_id(alert.id, following), ESCALATION, due, data)
    kind, cause = ports.escalation.steps[step.index], derived_event_id(alert.id, timer.id)
    for recipient in late:
        if step == ports.escalation.first():
            ports.metrics.deadlines_missed.labels(recipient, alert.priority.value).inc()
        ports.metrics.escalations.labels(recipient, alert.priority.value, kind.value).inc()
    if kind is not EscalationStep.ORIGIN_NOTIFIED:
        return await _send(alert, policies.decide(alert, late, ports), kind, cause, ports, ALERT_ESCALATED, due)
    steps = [EscalationStep.PRIMARY, *ports.escalation.steps[: step.index]]
    return [
        ports.outbox.deliver(
            _cause(alert, cause),
            DELIVERY_FAILED,
            alert.origin,
            DeliveryFailed(alert_id=alert.id, country=recipient, steps=steps, cycle=step.round + 1),
            recipient,
        )
        for recipient in late
    ]
