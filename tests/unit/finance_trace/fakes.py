"""In-memory fakes of the finance-trace repositories (the Protocols of andina.finance_trace.handlers.ports),
and the ports of a service over them, for unit tests of its handlers."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from importlib import resources
from typing import Any
from uuid import UUID

from prometheus_client import CollectorRegistry

from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Envelope
from andina.contract.events.finance_trace import TransactionReport
from andina.finance_trace import SERVICE
from andina.finance_trace.adapters.metrics import FinanceMetrics
from andina.finance_trace.domain.details import PENDING, DetailCase, check_decision
from andina.finance_trace.domain.findings import Revision
from andina.finance_trace.domain.graph import Plan
from andina.finance_trace.domain.model import Held, ValidReport
from andina.finance_trace.domain.patterns.detector import Finding
from andina.finance_trace.domain.patterns.policy import PatternPolicy
from andina.finance_trace.domain.rates import RateTable
from andina.finance_trace.domain.state import FinanceState
from andina.finance_trace.domain.validation import ReportRules
from andina.finance_trace.handlers import Ports
from andina.shared.outputs import Outbox
from andina.shared.policy.registry import agency_of
from tests.fakes import CommonFakes, InMemoryPolicyBook

COUNTRIES = CountryRegistry.load()
DELIVERIES, SIGNALS = "finance-trace.deliveries", "finance-trace.signals"


@dataclass
class FakeReports:
    """Reports by id, and the keys of transfers stored past the graph's horizon."""

    reports: dict[str, ValidReport] = field(default_factory=dict)
    past: set[str] = field(default_factory=set)

    async def record(
        self, envelope: Envelope, report: TransactionReport, valid: ValidReport, plan: Plan, held: Held
    ) -> int:
        self.reports.setdefault(valid.report_id, valid)
        new_past = {t.key for t in plan.past} - self.past
        self.past |= new_past
        return len(new_past)


@dataclass
class FakeFindings:
    """Each finding's transactions and latest revision."""

    by_id: dict[UUID, tuple[list[str], Revision]] = field(default_factory=dict)

    async def record(self, findings: list[tuple[Finding, list[str], Revision]]) -> None:
        for finding, transactions, revision in findings:
            self.by_id[finding.id] = (transactions, revision)


@dataclass
class FakeRequests:
    """Detail requests, what owners disclosed, and what traces showed."""

    cases: dict[UUID, DetailCase] = field(default_factory=dict)
    disclosed: dict[UUID, dict[str, str]] = field(default_factory=dict)
    traces: dict[UUID, list[str]] = field(default_factory=dict)

    async def open(self, envelope: Envelope, owner: str, subject: str, due: datetime, purpose: str) -> None:
        case = DetailCase(
            envelope.id,
            envelope.origin,
            owner,
            subject,
            envelope.correlationid,
            envelope.handling,
            PENDING,
            None,
            agency_of(envelope.source),
        )
        self.cases.setdefault(envelope.id, case)

    async def decide(self, request_id: UUID, owner: str, decision: str, by_event: UUID) -> DetailCase:
        case = check_decision(self.cases.get(request_id), request_id, owner, by_event)
        return self._close(case, decision, str(by_event))

    async def expire(self, request_id: UUID, by_timer: str) -> DetailCase | None:
        case = self.cases.get(request_id)
        if case is None:
            return None
        if case.status == PENDING:
            return self._close(case, "expired", by_timer)
        return case if case.decided_by == by_timer else None

    def _close(self, case: DetailCase, status: str, by: str) -> DetailCase:
        if case.status == PENDING:
            case = self.cases[case.id] = replace(case, status=status, decided_by=by)
        return case

    async def disclose(self, case: DetailCase, details: dict[str, str]) -> None:
        self.disclosed.setdefault(case.id, dict(details))

    async def record_trace(
        self, envelope: Envelope, request: dict[str, Any], shown: list[str], edges: int, at: datetime
    ) -> None:
        self.traces.setdefault(envelope.id, shown)


@dataclass
class Service(CommonFakes):
    """A finance-trace service in memory: its ports, with the fakes kept at hand for the tests to look into."""

    reports: FakeReports = field(default_factory=FakeReports)
    findings: FakeFindings = field(default_factory=FakeFindings)
    requests: FakeRequests = field(default_factory=FakeRequests)
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)
    policies: InMemoryPolicyBook = field(default_factory=lambda: InMemoryPolicyBook(SERVICE))
    state: FinanceState = field(default_factory=lambda: FinanceState(COUNTRIES.codes, PatternPolicy(), 5_000, 900_000))

    ports: Ports = field(init=False)

    def __post_init__(self) -> None:
        rates = resources.files("andina.finance_trace").joinpath("data/rates.csv").read_text()
        self.ports = Ports(
            state=self.state,
            reports=self.reports,
            findings=self.findings,
            requests=self.requests,
            audit=self.audit,
            timers=self.timers,
            outbox=Outbox(SERVICE, DELIVERIES, SIGNALS),
            countries=COUNTRIES,
            metrics=FinanceMetrics(self.registry),
            rules=ReportRules(RateTable.parse(rates), frozenset({"k1"})),
            policies=self.policies,
            clock=self.clock,
            trace_max_hops=6,
            answer_within=timedelta(hours=48),
        )

    def counted(self, name: str, **labels: str) -> float:
        return self.registry.get_sample_value(name, labels) or 0.0
