"""An alert of the 24/7 network and its rules: who may do what to it, and when."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from uuid import UUID

from andina.alerts.domain.escalation import EscalationPolicy
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Handling
from andina.contract.events.alerts import AlertCategory, Priority
from andina.contract.events.alerts_contract import AlertRaised
from andina.contract.rejections import Reason, Rejected
from andina.shared.fanout import resolve_recipients


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    by: str
    at: datetime


@dataclass(frozen=True)
class Alert:
    id: UUID
    origin: str
    priority: Priority
    category: AlertCategory
    title: str
    facts: str
    recipients: tuple[str, ...]
    handling: Handling
    domestic: bool
    raised_at: datetime
    acknowledge_by: datetime | None  # None: awareness only, nobody must acknowledge
    correlation: UUID | None = None  # the conversation the alert or request belongs to
    dedup_key: str | None = None
    revision: int = 1
    closed: bool = False
    acks: dict[str, Acknowledgement] = field(default_factory=dict)
    escalated: bool = False  # its first deadline passed and the escalation began
    deadlines: dict[str, datetime] = field(default_factory=dict)  # the deadline each escalation step set, by its key

    @classmethod
    def raise_(
        cls,
        alert_id: UUID,
        origin: str,
        raised: AlertRaised,
        handling: Handling,
        now: datetime,
        countries: CountryRegistry,
        policy: EscalationPolicy,
    ) -> Alert:
        """A new alert, or a clear refusal (unknown or forbidden recipients, a past deadline)."""
        if raised.domestic:
            # An event inside the origin country: every member hears of it, nobody must act.
            recipients = resolve_recipients(origin, "all", handling, countries)
            deadline = None
        else:
            recipients = [c for c in resolve_recipients(origin, raised.recipients, handling, countries) if c != origin]
            if not recipients:
                raise Rejected(Reason.INVALID_PAYLOAD, "an alert needs a recipient other than its origin")
            deadline = now + policy.deadline(raised.priority)
            if raised.acknowledge_by is not None:
                if raised.acknowledge_by <= now:
                    raise Rejected(Reason.INVALID_PAYLOAD, f"acknowledge_by {raised.acknowledge_by} is in the past")
                deadline = min(deadline, raised.acknowledge_by)
        return cls(
            id=alert_id,
            origin=origin,
            priority=raised.priority,
            category=raised.category,
            title=raised.title,
            facts=raised.facts,
            recipients=tuple(recipients),
            handling=handling,
            domestic=raised.domestic,
            raised_at=now,
            acknowledge_by=deadline,
            dedup_key=raised.dedup_key,
        )

    @property
    def requires_ack(self) -> bool:
        return self.acknowledge_by is not None

    def awaiting(self, country: str) -> bool:
        """Whether ``country`` still has to acknowledge this alert."""
        return self.requires_ack and not self.closed and country in self.recipients and country not in self.acks

    def _by_origin(self, country: str, action: str) -> None:
        if country != self.origin:
            raise Rejected(Reason.UNAUTHORIZED, f"only the origin {self.origin} may {action} alert {self.id}")
        if self.closed:
            raise Rejected(Reason.INVALID_PAYLOAD, f"alert {self.id} is closed")

    def updated(self, by: str, facts: str, priority: Priority | None) -> Alert:
        self._by_origin(by, "update")
        return replace(self, facts=facts, priority=priority or self.priority, revision=self.revision + 1)

    def closed_by(self, by: str) -> Alert:
        self._by_origin(by, "close")
        return replace(self, closed=True, revision=self.revision + 1)

    def acknowledged(self, country: str, by: str, now: datetime) -> Alert:
        if country not in self.recipients:
            raise Rejected(Reason.UNAUTHORIZED, f"{country} is not a recipient of alert {self.id}")
        if country in self.acks:
            raise Rejected(Reason.DUPLICATE, f"{country} already acknowledged alert {self.id}")
        if self.closed:
            raise Rejected(Reason.INVALID_PAYLOAD, f"alert {self.id} is closed")
        return replace(self, acks={**self.acks, country: Acknowledgement(by, now)})
