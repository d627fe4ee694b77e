"""The members' policies at alerts' deliveries (docs/policies.md): an alert reaches a member only if
its origin's outbound rules and the member's inbound rules both permit ``receive-alert`` on it.

Decided for each recipient of each delivery (raise, update, closure, escalation step) by the
engine in process, so a FLASH alert waits for no store. A refused member gets nothing; the origin
is told the rules, never the data; every decision is audited: a permit in the delivery's entry,
a deny in an ``alert-withheld`` entry under the id the delivery would have had.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime

from andina.alerts.domain.alert import Alert
from andina.alerts.handlers.ports import Ports
from andina.shared.audit_log import DELIVERED, AuditEntry, delivered
from andina.shared.policy.engine import RECEIVE_ALERT, Decision, Member, Resource
from andina.shared.publishing import Outgoing

WITHHELD = "alert-withheld"
WHY = "alert of the 24/7 network"


def subject(alert: Alert) -> str:
    return f"alert/{alert.id}"


def decide(alert: Alert, recipients: Iterable[str], ports: Ports) -> dict[str, Decision]:
    """Each recipient's decision on this revision of ``alert`` (its origin owns it)."""
    attrs = {"handling": alert.handling.value, "priority": alert.priority.value, "category": alert.category.value}
    resource = Resource("Alert", str(alert.id), alert.origin, attrs)
    return {r: ports.policies.decide(Member(r), RECEIVE_ALERT, resource, {}) for r in recipients}


def refusals(decided: Mapping[str, Decision]) -> dict[str, str]:
    """The refused recipients, each with the rules that refused it and their reasons."""
    return {r: d.refusal() for r, d in sorted(decided.items()) if not d.permitted}


def audited(
    alert: Alert, deliveries: Iterable[Outgoing], decided: Mapping[str, Decision], at: datetime
) -> list[AuditEntry]:
    """An entry per delivery decided (sent or not), with its recipient's decision."""
    entries = []
    for entry in delivered(deliveries, subject(alert), WHY, at):
        decision = decided[entry.actor]
        action, why = (DELIVERED, WHY) if decision.permitted else (WITHHELD, decision.refusal())
        entries.append(replace(entry, action=action, why=why, detail={"policy": decision.summary()}))
    return entries
