"""In-memory fakes of the alerts service's repositories, and the service's ports built on them.

Each fake keeps what the store adapter would keep, as far as the handlers can tell: a
redelivered opening keeps the first, a closed alert's key names no open alert, a case whose
personal data was removed can no longer be read.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any
from uuid import UUID

import pytest
from prometheus_client import CollectorRegistry

from andina.alerts import SERVICE
from andina.alerts.adapters.data_files import read_directory_file, read_signal_rules
from andina.alerts.adapters.metrics import AlertsMetrics, ReturnMetrics
from andina.alerts.domain.alert import Acknowledgement, Alert
from andina.alerts.domain.directory import VersionedEntry
from andina.alerts.domain.escalation import EscalationPolicy
from andina.alerts.domain.relay import RelayRequest
from andina.alerts.domain.returns import ReturnCase, ReturnDeadlines
from andina.alerts.handlers import HANDLERS, TIMERS
from andina.alerts.handlers.ports import Ports
from andina.alerts.settings import DATA
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Handling
from andina.contract.events.alerts import Priority, RequestUrgency
from andina.contract.events.catalogs.alerts import ACCEPTS
from andina.contract.rejections import Reason, Rejected
from andina.shared.outputs import Outbox
from andina.shared.publishing import Outgoing
from andina.shared.timers import Timer
from tests.fakes import CommonFakes, InMemoryPolicyBook, inbound

DELIVERIES = "andina.alerts.deliveries.v1"
ESCALATION = EscalationPolicy(
    {Priority.FLASH: timedelta(minutes=15), Priority.URGENT: timedelta(hours=2), Priority.ROUTINE: timedelta(days=1)}
)
REQUEST_DEADLINES = {RequestUrgency.URGENT: timedelta(hours=8), RequestUrgency.NORMAL: timedelta(days=7)}
RETURN_DEADLINES = ReturnDeadlines(
    normal=timedelta(days=7),
    shortened=timedelta(days=2),
    reminder_at=0.75,
    retention=timedelta(days=365),
    follow_up_grace=timedelta(days=14),
)
RULES = read_signal_rules(DATA / "rules.json")  # the rules the service ships with
COUNTRIES = CountryRegistry.load()


@dataclass
class FakeAlerts:
    by_id: dict[UUID, Alert] = field(default_factory=dict)
    keys: dict[tuple[str, str], UUID] = field(default_factory=dict)

    async def add(self, alert: Alert) -> None:
        self.by_id.setdefault(alert.id, alert)
        if alert.dedup_key is not None:
            self.keys[(alert.origin, alert.dedup_key)] = alert.id

    async def get(self, alert_id: UUID) -> Alert | None:
        return self.by_id.get(alert_id)

    async def open_with_key(self, origin: str, dedup_key: str) -> Alert | None:
        alert_id = self.keys.get((origin, dedup_key))
        alert = None if alert_id is None else self.by_id[alert_id]
        return alert if alert is not None and not alert.closed else None

    async def save_revision(self, alert: Alert) -> None:
        # Only the revision's fields, as the store's targeted write: acknowledgements stay.
        stored = self.by_id[alert.id]
        revised = replace(stored, facts=alert.facts, priority=alert.priority, revision=alert.revision)
        self.by_id[alert.id] = replace(revised, closed=alert.closed)

    async def add_ack(self, alert_id: UUID, country: str, ack: Acknowledgement) -> None:
        stored = self.by_id[alert_id]
        self.by_id[alert_id] = replace(stored, acks={**stored.acks, country: ack})

    async def escalation_began(self, alert_id: UUID) -> None:
        self.by_id[alert_id] = replace(self.by_id[alert_id], escalated=True)

    async def deadline_set(self, alert_id: UUID, step: str, due: datetime) -> None:
        stored = self.by_id[alert_id]
        self.by_id[alert_id] = replace(stored, deadlines={**stored.deadlines, step: due})


@dataclass
class FakeRequests:
    by_id: dict[UUID, RelayRequest] = field(default_factory=dict)

    async def add(self, request: RelayRequest) -> None:
        self.by_id.setdefault(request.id, request)

    async def get(self, request_id: UUID) -> RelayRequest | None:
        return self.by_id.get(request_id)

    async def save(self, request: RelayRequest) -> None:
        self.by_id[request.id] = request


@dataclass(frozen=True)
class DirectoryChange:
    entry: VersionedEntry
    changed_by: str
    event_id: UUID | None
    at: datetime


@dataclass
class FakeDirectory:
    entries: dict[str, VersionedEntry] = field(default_factory=dict)
    history: list[DirectoryChange] = field(default_factory=list)

    async def get(self, country: str) -> VersionedEntry | None:
        return self.entries.get(country)

    async def current(self, country: str) -> VersionedEntry | None:
        return self.entries.get(country)

    async def all(self) -> list[VersionedEntry]:
        return [self.entries[country] for country in sorted(self.entries)]

    async def made_by(self, event_id: UUID) -> VersionedEntry | None:
        return next((change.entry for change in self.history if change.event_id == event_id), None)

    async def put(self, entry: VersionedEntry, changed_by: str, event_id: UUID | None, at: datetime) -> None:
        self.history.append(DirectoryChange(entry, changed_by, event_id, at))
        self.entries[entry.country] = entry


@dataclass
class FakeReturnCases:
    by_id: dict[UUID, ReturnCase] = field(default_factory=dict)
    removed_at: dict[UUID, datetime] = field(default_factory=dict)

    async def add(self, case: ReturnCase) -> None:
        self.by_id.setdefault(case.id, case)

    async def get(self, case_id: UUID) -> ReturnCase | None:
        return None if case_id in self.removed_at else self.by_id.get(case_id)

    async def save(self, case: ReturnCase) -> None:
        self.by_id[case.id] = case

    async def remove_personal_data(self, case_id: UUID, at: datetime) -> None:
        self.removed_at.setdefault(case_id, at)


def seeded_directory() -> FakeDirectory:
    """Every member's entry from the service's data file, at version 1."""
    entries = read_directory_file(DATA / "directory.json")
    return FakeDirectory({c: VersionedEntry(c, 1, e) for c, e in entries.items() if c in COUNTRIES})


@dataclass
class Fakes(CommonFakes):
    """The service's ports over in-memory fakes, each fake at hand for the test to look into."""

    alerts: FakeAlerts = field(default_factory=FakeAlerts)
    requests: FakeRequests = field(default_factory=FakeRequests)
    directory: FakeDirectory = field(default_factory=seeded_directory)
    returns: FakeReturnCases = field(default_factory=FakeReturnCases)
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)
    policies: InMemoryPolicyBook = field(default_factory=lambda: InMemoryPolicyBook(SERVICE))
    escalation: EscalationPolicy = ESCALATION

    @cached_property
    def ports(self) -> Ports:
        return Ports(
            alerts=self.alerts,
            requests=self.requests,
            directory=self.directory,
            returns=self.returns,
            timers=self.timers,
            audit=self.audit,
            clock=self.clock,
            outbox=Outbox(SERVICE, DELIVERIES),
            countries=COUNTRIES,
            metrics=AlertsMetrics(self.registry),
            return_metrics=ReturnMetrics(self.registry),
            escalation=self.escalation,
            request_deadlines=REQUEST_DEADLINES,
            request_reminder_at=0.75,
            rules=RULES,
            return_deadlines=RETURN_DEADLINES,
            policies=self.policies,
        )

    async def handle(
        self, event_type: str, origin: str, *, handling: Handling = Handling.H0, **payload: Any
    ) -> list[Outgoing]:
        """``origin`` submits ``payload`` as ``event_type``, and the handler registered for it handles it."""
        event = inbound(event_type, ACCEPTS[event_type].model_validate(payload), origin, handling=handling)
        return await HANDLERS[event_type](event, self.ports)

    async def fire(self, timer_id: str) -> list[Outgoing]:
        """Move the clock to the pending timer's due time and run it as the timer loop would."""
        scheduled = self.timers.pending.pop(timer_id)
        self.clock.now = max(self.clock.now, scheduled.due_at)
        timer = Timer(timer_id, scheduled.kind, scheduled.due_at, scheduled.data, slot="unit")
        return await TIMERS[scheduled.kind](timer, self.ports)

    def counted(self, metric: str, **labels: str) -> float:
        """A metric's sample (0 if never counted), e.g. ``counted("andina_alerts_raised_total", origin="PE", ...)``."""
        return self.registry.get_sample_value(metric, labels) or 0.0


async def refusal(handling: Awaitable[object]) -> Reason:
    """The reason a handler refused the event with (the gate turns it into event-rejected)."""
    with pytest.raises(Rejected) as refused:
        await handling
    return refused.value.reason
