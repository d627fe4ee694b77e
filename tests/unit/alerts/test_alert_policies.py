"""Members' policies at alerts: an alert reaches a member only if its origin's outbound and the member's
inbound rules both permit it; the origin learns the rule, never a refused member the alert; every decision
is audited."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from andina.alerts import SERVICE
from andina.alerts.handlers import alerts
from andina.alerts.handlers.policies import SENT
from andina.contract.envelope import Handling
from andina.contract.events.alerts_contract import AlertRaised, AlertUpdated
from andina.contract.events.catalogs import alerts as catalog
from andina.contract.rejections import Reason
from andina.deploy.policy_ops import explain
from andina.shared.policy.engine import RECEIVE_ALERT
from andina.shared.publishing import Outgoing
from tests.fakes import InMemoryPolicyBook, delivered_to, inbound
from tests.unit.alerts.fakes import Fakes, refusal
from tests.unit.alerts.test_alert_handlers import acknowledge

PE_NO_PERSON_ALERTS_TO_EC = """
@id("pe-no-person-alerts-to-ec")
@reason("Peru shares no alert about a person with Ecuador")
forbid (principal == Country::"EC", action == Action::"receive-alert", resource is Alert)
when { resource.owner == Country::"PE" && ["wanted-person", "missing-person"].contains(resource.category) };
"""
CO_TAKES_NO_H3_ALERTS = """
@id("co-no-h3-alerts")
@reason("Colombia's contact point receives no h3 alert")
forbid (principal == Country::"CO", action == Action::"receive-alert", resource is Alert)
when { resource.handling == "h3" };
"""
PERMIT = "permit baseline/members-receive-alerts"
PE_RULE = "PE@v1/pe-no-person-alerts-to-ec"
PE_REFUSAL = f"{PE_RULE}: Peru shares no alert about a person with Ecuador"


async def raise_from(
    fakes: Fakes, origin: str, category: str, handling: Handling = Handling.H1, **fields: Any
) -> tuple[UUID, list[Outgoing]]:
    payload = {"priority": "FLASH", "category": category, "title": "Alerta", "facts": "Datos del caso"}
    raised = AlertRaised.model_validate({**payload, "recipients": ["BO", "CO", "EC"], **fields})
    event = inbound(catalog.ALERT_RAISED, raised, origin, handling=handling)
    return event.envelope.id, await alerts.alert_raised(event, fakes.ports)


def audited(fakes: Fakes) -> list[tuple[str, str, str, str]]:
    """Each delivery's audit entry: the type delivered, to whom, withheld from whom, every decision."""
    entries = [e for e in fakes.audit.by_id.values() if e.action == SENT]
    return [(e.event_type, e.detail["to"], e.detail["withheld"], e.detail["policies"]) for e in entries]


async def test_under_the_baseline_every_recipient_gets_the_alert_and_each_permit_is_audited() -> None:
    fakes = Fakes()

    _, outputs = await raise_from(fakes, "PE", "missing-person")

    assert sorted(delivered_to(outputs, catalog.ALERT_DELIVERED)) == ["BO", "CO", "EC"]
    assert delivered_to(outputs, catalog.ALERT_WITHHELD) == {}
    assert audited(fakes) == [(catalog.ALERT_DELIVERED, "BO,CO,EC", "", f"BO {PERMIT}; CO {PERMIT}; EC {PERMIT}")]


async def test_the_origins_outbound_rule_withholds_the_alert_and_tells_the_origin_which_rule() -> None:
    fakes = Fakes()
    fakes.policies.enact("PE", PE_NO_PERSON_ALERTS_TO_EC)

    alert_id, outputs = await raise_from(fakes, "PE", "wanted-person")

    assert sorted(delivered_to(outputs, catalog.ALERT_DELIVERED)) == ["BO", "CO"]
    notice = delivered_to(outputs, catalog.ALERT_WITHHELD)
    assert notice == {
        "PE": {"alert_id": str(alert_id), "revision": 1, "step": "primary", "withheld": {"EC": PE_REFUSAL}}
    }
    assert audited(fakes) == [(catalog.ALERT_DELIVERED, "BO,CO", "EC", f"BO {PERMIT}; CO {PERMIT}; EC deny {PE_RULE}")]
    # Ecuador is no recipient: it is not escalated to, and could not acknowledge what it never got.
    assert await refusal(acknowledge(fakes, alert_id, "EC")) is Reason.UNAUTHORIZED
    [timer_id] = fakes.timers.of_kind(alerts.ESCALATION)
    escalated = await fakes.fire(timer_id)
    assert (
        sorted(delivered_to(escalated, catalog.ALERT_ESCALATED)),
        delivered_to(escalated, catalog.ALERT_WITHHELD),
    ) == (
        ["BO", "CO"],
        {},
    )


async def test_a_rule_touches_only_its_members_flows() -> None:
    fakes = Fakes()
    fakes.policies.enact("PE", PE_NO_PERSON_ALERTS_TO_EC)

    _, about_a_person_from_bo = await raise_from(fakes, "BO", "wanted-person", recipients=["CO", "EC", "PE"])
    _, about_a_vehicle_from_pe = await raise_from(fakes, "PE", "vehicle")

    assert sorted(delivered_to(about_a_person_from_bo, catalog.ALERT_DELIVERED)) == ["CO", "EC", "PE"]
    assert sorted(delivered_to(about_a_vehicle_from_pe, catalog.ALERT_DELIVERED)) == ["BO", "CO", "EC"]


async def test_the_recipients_inbound_rule_applies_to_every_origin() -> None:
    fakes = Fakes()
    fakes.policies.enact("CO", CO_TAKES_NO_H3_ALERTS)

    _, h1 = await raise_from(fakes, "EC", "cargo", recipients=["CO", "PE"])
    _, h3 = await raise_from(fakes, "EC", "cargo", Handling.H3, recipients=["CO", "PE"])

    assert sorted(delivered_to(h1, catalog.ALERT_DELIVERED)) == ["CO", "PE"]
    assert sorted(delivered_to(h3, catalog.ALERT_DELIVERED)) == ["PE"]
    assert list(delivered_to(h3, catalog.ALERT_WITHHELD)["EC"]["withheld"]) == ["CO"]


async def test_a_rule_in_force_after_the_raise_withholds_the_updates_and_escalations_that_follow() -> None:
    fakes = Fakes()
    alert_id, _ = await raise_from(fakes, "PE", "missing-person")
    fakes.policies.enact("PE", PE_NO_PERSON_ALERTS_TO_EC)

    update = AlertUpdated(alert_id=alert_id, facts="Vista en Huaquillas")
    updated = await alerts.alert_updated(inbound(catalog.ALERT_UPDATED, update, "PE"), fakes.ports)
    [timer_id] = fakes.timers.of_kind(alerts.ESCALATION)
    escalated = await fakes.fire(timer_id)

    assert sorted(delivered_to(updated, catalog.ALERT_DELIVERED)) == ["BO", "CO"]
    assert delivered_to(updated, catalog.ALERT_WITHHELD)["PE"]["revision"] == 2
    assert sorted(delivered_to(escalated, catalog.ALERT_ESCALATED)) == ["BO", "CO"]
    assert delivered_to(escalated, catalog.ALERT_WITHHELD)["PE"]["step"] == "alternate"
    assert [(event_type, withheld) for event_type, _, withheld, _ in audited(fakes)] == [
        (catalog.ALERT_DELIVERED, ""),
        (catalog.ALERT_DELIVERED, "EC"),
        (catalog.ALERT_ESCALATED, "EC"),
    ]


def test_an_operator_is_told_which_rule_decides_an_alerts_delivery_to_a_member() -> None:
    policies = InMemoryPolicyBook(SERVICE)
    policies.enact("PE", PE_NO_PERSON_ALERTS_TO_EC)
    attrs = ["handling=h1", "priority=FLASH"]

    about_a_person = explain(
        policies.engine, "EC", RECEIVE_ALERT, "Alert:a1", "PE", [*attrs, "category=missing-person"], []
    )
    about_cargo = explain(policies.engine, "EC", RECEIVE_ALERT, "Alert:a2", "PE", [*attrs, "category=cargo"], [])

    assert (about_a_person.permitted, about_a_person.refusal()) == (False, PE_REFUSAL)
    assert (about_cargo.permitted, about_cargo.summary()) == (True, PERMIT)
