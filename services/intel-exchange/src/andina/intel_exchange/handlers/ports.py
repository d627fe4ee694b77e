"""What the handlers use, as Protocols: the store's adapters satisfy them, and so do the unit tests' fakes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol
from uuid import UUID

from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Envelope, Handling
from andina.contract.events.intel_exchange import PersonRecord
from andina.contract.events.intel_reports import IntelligenceReport
from andina.intel_exchange.adapters.metrics import IntelMetrics
from andina.intel_exchange.domain.graph import EntityGraph
from andina.intel_exchange.domain.screening import Hit, Listing, ScreeningIndex
from andina.shared.audit_log import Audit
from andina.shared.outputs import SOLE as SOLE
from andina.shared.outputs import Outbox
from andina.shared.policy.engine import PolicyEngine
from andina.shared.policy.handler import PolicyChanges, PolicyDecisions
from andina.shared.store import Document
from andina.shared.timers import Clock, Scheduler


class Records(Protocol):
    """Person records (every version kept) and the screening index of the live ones."""

    @property
    def index(self) -> ScreeningIndex: ...

    def next_version(self, record_id: str) -> int: ...

    def filed_on(self, record_id: str) -> date | None:
        """The record's first filing, None if it is withdrawn or unknown (a filing then is its first)."""

    async def store(self, cause: Envelope, record: PersonRecord, listing: Listing, version: int, today: date) -> int:
        """Keep the filing as ``version``; the version it got: ``version``, or, if ``cause`` was handled before,
        the one it got then (an older filing handled again does not replace a later one)."""

    async def withdraw(self, cause: Envelope, record_id: str, owner: str, version: int, reason: str) -> int:
        """As :meth:`store`, for a withdrawal."""

    async def current(self, record_id: str) -> tuple[PersonRecord, Handling] | None:
        """The record as its owner last stored it, with its handling; None if withdrawn or unknown."""


class FollowUps(Protocol):
    """The hits given out, and the requests for full records that cite them."""

    async def record_hits(self, screening: Envelope, hits: list[Hit]) -> None: ...

    async def hit_for(self, screening_id: UUID, record_id: str, asker: str) -> Document | None:
        """The hit ``asker`` got on ``record_id`` in that screening; None if it got none."""

    async def open_request(
        self, request: Envelope, screening_id: UUID, record_id: str, owner: str, treaty: str | None
    ) -> None: ...

    async def open_for(self, answer: Envelope, request_id: UUID) -> Document | None:
        """The answering owner's request still pending, or closed by this very answer; None if none such."""

    async def decide(self, answer: Envelope, request_id: UUID, decision: str) -> None: ...


class Reports(Protocol):
    """Intelligence reports, and the graph of the entities they link."""

    @property
    def graph(self) -> EntityGraph: ...

    async def file(
        self, document: Document, report: IntelligenceReport, entities: dict[str, str], now: datetime
    ) -> None: ...


class Traces(Protocol):
    """Firearm trace requests: who was asked, who answered."""

    async def open(self, request: Envelope, serial_number: str, asked: list[str]) -> None: ...

    async def asked(self, answer: Envelope, request_id: UUID) -> Document | None:
        """The trace the answering country was asked in and has not answered (but by this very event)."""

    async def answer(self, answer: Envelope, request_id: UUID) -> Document | None:
        """The trace with the answering country's answer; None if it was not asked or answered already."""


class Policies(PolicyDecisions, Protocol):
    """The members' policies in force (andina.shared.policy)."""

    @property
    def engine(self) -> PolicyEngine: ...


@dataclass(frozen=True)
class Ports:
    """Everything the intel-exchange handlers use; built once in app.py."""

    outbox: Outbox
    countries: CountryRegistry
    records: Records
    followups: FollowUps
    reports: Reports
    traces: Traces
    policies: Policies
    policy_versions: PolicyChanges
    timers: Scheduler
    audit: Audit
    metrics: IntelMetrics
    clock: Clock
    urgent_trace_deadline: timedelta
    routine_trace_deadline: timedelta
