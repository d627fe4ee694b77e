"""What the handlers work with: the service's repositories (as Protocols, met by the store
adapters and by the unit tests' fakes), the shared ports, its metrics and its policies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from andina.alerts.adapters.metrics import AlertsMetrics, ReturnMetrics
from andina.alerts.domain.alert import Acknowledgement, Alert
from andina.alerts.domain.directory import VersionedEntry
from andina.alerts.domain.escalation import EscalationPolicy
from andina.alerts.domain.relay import RelayRequest
from andina.alerts.domain.returns import ReturnCase, ReturnDeadlines
from andina.alerts.domain.rules import SignalRule
from andina.contract.countries import CountryRegistry
from andina.contract.events.alerts import RequestUrgency
from andina.shared.audit_log import Audit
from andina.shared.outputs import Outbox
from andina.shared.policy.handler import PolicyDecisions
from andina.shared.timers import Clock, Scheduler


class Alerts(Protocol):
    async def add(self, alert: Alert) -> None:
        """Store a new alert; one already stored under its id is kept (a redelivered raise)."""

    async def get(self, alert_id: UUID) -> Alert | None: ...

    async def open_with_key(self, origin: str, dedup_key: str) -> Alert | None:
        """The open alert ``origin`` raised last with ``dedup_key``."""

    async def save_revision(self, alert: Alert) -> None:
        """Its facts, priority, revision and whether it is closed."""

    async def add_ack(self, alert_id: UUID, country: str, ack: Acknowledgement) -> None: ...

    async def escalation_began(self, alert_id: UUID) -> None:
        """Note that its first deadline passed: a raise handled again must not set that deadline again."""

    async def deadline_set(self, alert_id: UUID, step: str, due: datetime) -> None:
        """Note the deadline the escalation step ``step`` (its key) set: fired again, it sets the same one."""


class Requests(Protocol):
    async def add(self, request: RelayRequest) -> None: ...

    async def get(self, request_id: UUID) -> RelayRequest | None: ...

    async def save(self, request: RelayRequest) -> None:
        """Its status, answer, ground and when it was settled."""


class Directory(Protocol):
    async def get(self, country: str) -> VersionedEntry | None:
        """The entry as recently read (to name contact points on deliveries)."""

    async def current(self, country: str) -> VersionedEntry | None:
        """The entry as stored now (a change builds on the latest version)."""

    async def all(self) -> list[VersionedEntry]: ...

    async def made_by(self, event_id: UUID) -> VersionedEntry | None:
        """The version that update event made, if it was handled before; None otherwise."""

    async def put(self, entry: VersionedEntry, changed_by: str, event_id: UUID | None, at: datetime) -> None:
        """Keep the version in the history and make it current."""


class ReturnCases(Protocol):
    async def add(self, case: ReturnCase) -> None: ...

    async def get(self, case_id: UUID) -> ReturnCase | None:
        """The case, or None if unknown or its personal data was removed."""

    async def save(self, case: ReturnCase) -> None: ...

    async def remove_personal_data(self, case_id: UUID, at: datetime) -> None:
        """Keep only the anonymous figures of the case."""


@dataclass(frozen=True)
class Ports:
    alerts: Alerts
    requests: Requests
    directory: Directory
    returns: ReturnCases
    timers: Scheduler
    audit: Audit
    clock: Clock
    outbox: Outbox
    countries: CountryRegistry
    metrics: AlertsMetrics
    return_metrics: ReturnMetrics
    escalation: EscalationPolicy
    request_deadlines: dict[RequestUrgency, timedelta]
    request_reminder_at: float  # fraction of a request's time after which the counterpart is reminded
    rules: list[SignalRule]
    return_deadlines: ReturnDeadlines
    policies: PolicyDecisions
