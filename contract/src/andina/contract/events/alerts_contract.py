"""Payloads of the 24/7 network (``andina.alerts.*``): alerts, acknowledgements, escalations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field, StringConstraints

from andina.contract.countries import CountryCode
from andina.contract.events.alerts import AlertCategory, EscalationStep, Priority
from andina.contract.events.base import Payload, example

Name = Annotated[str, StringConstraints(min_length=1, max_length=120)]
Facts = Annotated[str, StringConstraints(min_length=1, max_length=10_000)]


class AlertRaised(Payload):
    """A contact point raises an alert (submission, keyed by the origin country)."""

    model_config = example(
        priority="FLASH",
        category="missing-person",
        title="Menor desaparecida, posible cruce por Aguas Verdes",
        facts="Niña de 9 años, vista por última vez en Tumbes a las 21:10 con un adulto no identificado.",
        recipients=["CO", "EC"],
        dedup_key="DIRINCRI-2026-0412",
    )

    priority: Priority
    category: AlertCategory
    title: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    facts: Facts
    recipients: list[CountryCode] | Literal["all"] = Field(description='named members, or "all" (not with h3)')
    dedup_key: Annotated[str, StringConstraints(min_length=1, max_length=120)] | None = Field(
        None, description="a second alert with this key from the same origin updates the open one"
    )
    domestic: bool = Field(False, description="an event inside the origin country, shared with all for awareness")
    acknowledge_by: AwareDatetime | None = Field(
        None, description="earlier acknowledgement deadline than the priority's; must be in the future"
    )


class AlertUpdated(Payload):
    """The origin changes the facts (and possibly the priority) of its open alert."""

    model_config = example(alert_id="3b5eadb0-9d1c-4c1e-8f5e-0c1d2e3f4a5b", facts="Vista en Huaquillas a las 23:40.")

    alert_id: UUID
    facts: Facts
    priority: Priority | None = None


class AlertClosed(Payload):
    """The origin closes its alert (found, resolved, withdrawn)."""

    model_config = example(alert_id="3b5eadb0-9d1c-4c1e-8f5e-0c1d2e3f4a5b", reason="Menor ubicada en Huaquillas")

    alert_id: UUID
    reason: Annotated[str, StringConstraints(min_length=1, max_length=500)]


class AlertAcknowledged(Payload):
    """A recipient's contact point acknowledges an alert (submission, keyed by the recipient)."""

    model_config = example(alert_id="3b5eadb0-9d1c-4c1e-8f5e-0c1d2e3f4a5b", by="Oficial de guardia, Policía Nacional")

    alert_id: UUID
    by: Name


class AlertDelivered(Payload):
    """An alert (new, updated or closed) for one recipient country, on its own partition."""

    model_config = example(
        alert_id="3b5eadb0-9d1c-4c1e-8f5e-0c1d2e3f4a5b",
        origin="PE",
        revision=1,
        status="open",
        priority="FLASH",
        category="missing-person",
        title="Menor desaparecida, posible cruce por Aguas Verdes",
        facts="Niña de 9 años, vista por última vez en Tumbes a las 21:10.",
        domestic=False,
        step="primary",
        contact="Punto de contacto 24/7 — Policía Nacional de Colombia",
        acknowledge_by="2026-11-23T03:55:00+00:00",
    )

    alert_id: UUID
    origin: CountryCode
    revision: int = Field(description="1 when raised; each update or closure adds one")
    status: Literal["open", "closed"]
    priority: Priority
    category: AlertCategory
    title: str
    facts: str
    domestic: bool
    step: EscalationStep = Field(description="which contact point this delivery is for")
    contact: str = Field(description="the contact point (or coordinator) that must act")
    acknowledge_by: datetime | None = Field(None, description="None when no acknowledgement is expected")


class AlertWithheld(Payload):
    """The origin learns which recipients a delivery of its alert did not go to, and which rules refused them."""

    model_config = example(
        alert_id="3b5eadb0-9d1c-4c1e-8f5e-0c1d2e3f4a5b",
        revision=1,
        step="primary",
        withheld={"EC": "PE@v1/pe-no-person-alerts-to-ec: Peru shares no alert about a person with Ecuador"},
    )

    alert_id: UUID
    revision: int = Field(description="the revision that was not delivered to them")
    step: EscalationStep = Field(description="the delivery withheld: primary, or an escalation step")
    withheld: dict[CountryCode, str] = Field(
        description=(
            "each recipient the origin's or its own policy refused (docs/policies.md), with the rules and their"
            " reasons, never the data; a member refused when the alert is raised is not a recipient of it after"
        )
    )


class AcknowledgementReceived(Payload):
    """The origin learns that a recipient acknowledged its alert."""

    model_config = example(
        alert_id="3b5eadb0-9d1c-4c1e-8f5e-0c1d2e3f4a5b",
        country="CO",
        by="Oficial de guardia, Policía Nacional",
        acknowledged_at="2026-11-23T03:44:10+00:00",
        seconds_after_raise=250.0,
    )

    alert_id: UUID
    country: CountryCode
    by: str
    acknowledged_at: datetime
    seconds_after_raise: float


class DeliveryFailed(Payload):
    """The origin learns that a recipient acknowledged nothing after every escalation step."""

    model_config = example(
        alert_id="3b5eadb0-9d1c-4c1e-8f5e-0c1d2e3f4a5b",
        country="EC",
        steps=["primary", "alternate", "coordinator"],
        cycle=1,
    )

    alert_id: UUID
    country: CountryCode
    steps: list[EscalationStep]
    cycle: int = Field(description="1 for the first round of escalation; rounds repeat as configured")
