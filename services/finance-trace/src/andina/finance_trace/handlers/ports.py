"""What the handlers work with: the state in memory, the store's repositories (as Protocols, which
the store adapters and the unit tests' fakes satisfy), timers, the audit log, the outbox and policies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from uuid import UUID

from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Envelope
from andina.contract.events.finance_trace import TransactionReport
from andina.finance_trace.adapters.metrics import FinanceMetrics
from andina.finance_trace.domain.details import DetailCase
from andina.finance_trace.domain.findings import Revision
from andina.finance_trace.domain.graph import Plan
from andina.finance_trace.domain.model import Held, ValidReport
from andina.finance_trace.domain.patterns.detector import Finding
from andina.finance_trace.domain.state import FinanceState
from andina.finance_trace.domain.validation import ReportRules
from andina.shared.audit_log import Audit
from andina.shared.outputs import Outbox
from andina.shared.policy.handler import PolicyDecisions
from andina.shared.timers import Clock, Scheduler


class ReportRepository(Protocol):
    async def record(
        self, envelope: Envelope, report: TransactionReport, valid: ValidReport, plan: Plan, held: Held
    ) -> int:
        """Write the report's effects, safe to repeat; return how many of the plan's past transfers were new."""
        ...


class FindingRepository(Protocol):
    async def record(self, findings: list[tuple[Finding, list[str], Revision]]) -> None:
        """Each finding with the network ids of its transactions and its latest revision."""
        ...


class RequestRepository(Protocol):
    async def open(self, envelope: Envelope, owner: str, subject: str, due: datetime, purpose: str) -> None: ...

    async def decide(self, request_id: UUID, owner: str, decision: str, by_event: UUID) -> DetailCase:
        """Close a pending request with the owner's decision (or find it closed by this very event)."""
        ...

    async def expire(self, request_id: UUID, by_timer: str) -> DetailCase | None:
        """Close a request nobody answered in time; None if it was answered meanwhile."""
        ...

    async def disclose(self, case: DetailCase, details: dict[str, str]) -> None: ...

    async def record_trace(
        self, envelope: Envelope, request: dict[str, Any], shown: list[str], edges: int, at: datetime
    ) -> None: ...


@dataclass(frozen=True)
class Ports:
    state: FinanceState
    reports: ReportRepository
    findings: FindingRepository
    requests: RequestRepository
    audit: Audit
    timers: Scheduler
    outbox: Outbox
    countries: CountryRegistry
    metrics: FinanceMetrics
    rules: ReportRules
    policies: PolicyDecisions
    clock: Clock
    trace_max_hops: int
    answer_within: timedelta
