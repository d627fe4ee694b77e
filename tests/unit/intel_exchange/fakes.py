"""In-memory fakes of intel-exchange's own ports, and the handlers' Ports built from them (no stack).

The screening index, the entity graph and the policy engine are pure domain: the fakes hold
the real ones, so a unit test screens, links and decides as the service does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from prometheus_client import CollectorRegistry

from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Envelope, Handling
from andina.contract.events.intel_exchange import PersonRecord
from andina.contract.events.intel_reports import IntelligenceReport
from andina.intel_exchange import SERVICE
from andina.intel_exchange.adapters.metrics import IntelMetrics
from andina.intel_exchange.domain.graph import EntityGraph, FiledReport
from andina.intel_exchange.domain.screening import Hit, Listing, ScreeningIndex
from andina.intel_exchange.handlers.ports import Ports
from andina.shared.outputs import Outbox
from andina.shared.store import Document
from tests.fakes import CommonFakes, InMemoryPolicyBook, InMemoryPolicyVersions

OUTBOX = Outbox(SERVICE, "unit.intel-exchange.deliveries", "unit.intel-exchange.signals")
COUNTRIES = CountryRegistry.load()
THREE_YEARS = 3 * 365 * 86400.0
URGENT, ROUTINE = timedelta(hours=8), timedelta(days=7)
PENDING = "pending"


@dataclass
class FakeRecords:
    """Each record's latest version as stored, and the real screening index of the live ones."""

    index: ScreeningIndex = field(default_factory=ScreeningIndex)
    versions: dict[str, int] = field(default_factory=dict)
    stored: dict[str, tuple[PersonRecord, Handling]] = field(default_factory=dict)
    by_cause: dict[UUID, int] = field(default_factory=dict)  # the version each filing or withdrawal got

    def next_version(self, record_id: str) -> int:
        return self.versions.get(record_id, 0) + 1

    def filed_on(self, record_id: str) -> date | None:
        listing = self.index.listing(record_id)
        return None if listing is None else listing.filed_on

    async def store(self, cause: Envelope, record: PersonRecord, listing: Listing, version: int, today: date) -> int:
        kept = self.by_cause.setdefault(cause.id, version)
        if kept > self.versions.get(record.record_id, 0):
            self.versions[record.record_id] = kept
            self.stored[record.record_id] = record, cause.handling
            self.index.put(listing)
        return kept

    async def withdraw(self, cause: Envelope, record_id: str, owner: str, version: int, reason: str) -> int:
        kept = self.by_cause.setdefault(cause.id, version)
        if kept > self.versions.get(record_id, 0):
            self.versions[record_id] = kept
            self.stored.pop(record_id, None)
            self.index.remove(record_id)
        return kept

    async def current(self, record_id: str) -> tuple[PersonRecord, Handling] | None:
        return self.stored.get(record_id)


@dataclass
class FakeFollowUps:
    """Hits given, by ``<screening id>/<record id>``; record requests, by request id."""

    hits: dict[str, Document] = field(default_factory=dict)
    requests: dict[str, Document] = field(default_factory=dict)

    async def record_hits(self, screening: Envelope, hits: list[Hit]) -> None:
        for hit in hits:
            self.hits[f"{screening.id}/{hit.listing.record_id}"] = {"asker": screening.origin, "possible": hit.possible}

    async def hit_for(self, screening_id: UUID, record_id: str, asker: str) -> Document | None:
        hit = self.hits.get(f"{screening_id}/{record_id}")
        return hit if hit is not None and hit["asker"] == asker else None

    async def open_request(
        self, request: Envelope, screening_id: UUID, record_id: str, owner: str, treaty: str | None
    ) -> None:
        self.requests.setdefault(
            str(request.id),
            {"record_id": record_id, "requester": request.origin, "agency": request.source, "treaty": treaty}
            | {"owner": owner, "status": PENDING},
        )

    async def open_for(self, answer: Envelope, request_id: UUID) -> Document | None:
        request = self.requests.get(str(request_id))
        if request is None or request["owner"] != answer.origin:
            return None
        return request if request["status"] == PENDING or request.get("answer_id") == str(answer.id) else None

    async def decide(self, answer: Envelope, request_id: UUID, decision: str) -> None:
        request = self.requests[str(request_id)]
        if request["status"] == PENDING:
            request |= {"status": decision, "answer_id": str(answer.id)}


@dataclass
class FakeReports:
    """Reports filed, by id, and the real entity graph that links them."""

    graph: EntityGraph = field(default_factory=lambda: EntityGraph(THREE_YEARS))
    filed: dict[str, Document] = field(default_factory=dict)

    async def file(
        self, document: Document, report: IntelligenceReport, entities: dict[str, str], now: datetime
    ) -> None:
        self.filed[document["_id"]] = document | {"report": report}
        sender, recipients = document["sender"], tuple(report.recipients)
        filed = FiledReport(document["_id"], document["at"].timestamp(), sender, recipients, tuple(entities.items()))
        self.graph.add(filed, now.timestamp())


@dataclass
class FakeTraces:
    """Trace requests by id: the countries asked and the answer event of each that answered."""

    traces: dict[str, Document] = field(default_factory=dict)

    async def open(self, request: Envelope, serial_number: str, asked: list[str]) -> None:
        trace = {"requester": request.origin, "agency": request.source, "serial_number": serial_number}
        self.traces.setdefault(str(request.id), trace | {"asked": asked, "answers": {}})

    async def asked(self, answer: Envelope, request_id: UUID) -> Document | None:
        trace = self.traces.get(str(request_id))
        if trace is None or answer.origin not in trace["asked"]:
            return None
        return trace if trace["answers"].get(answer.origin, str(answer.id)) == str(answer.id) else None

    async def answer(self, answer: Envelope, request_id: UUID) -> Document | None:
        trace = self.traces.get(str(request_id))
        if trace is None or answer.origin not in trace["asked"]:
            return None
        if trace["answers"].setdefault(answer.origin, str(answer.id)) != str(answer.id):
            return None  # answered already, by another event
        return trace


@dataclass
class Fakes(CommonFakes):
    """The fakes behind one service instance's Ports."""

    records: FakeRecords = field(default_factory=FakeRecords)
    followups: FakeFollowUps = field(default_factory=FakeFollowUps)
    reports: FakeReports = field(default_factory=FakeReports)
    traces: FakeTraces = field(default_factory=FakeTraces)
    policies: InMemoryPolicyBook = field(default_factory=lambda: InMemoryPolicyBook(SERVICE))
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        self.policy_versions = InMemoryPolicyVersions(self.policies)
        self.ports = Ports(
            outbox=OUTBOX,
            countries=COUNTRIES,
            records=self.records,
            followups=self.followups,
            reports=self.reports,
            traces=self.traces,
            policies=self.policies,
            policy_versions=self.policy_versions,
            timers=self.timers,
            audit=self.audit,
            metrics=IntelMetrics(self.registry),
            clock=self.clock,
            urgent_trace_deadline=URGENT,
            routine_trace_deadline=ROUTINE,
        )

    def counted(self, metric: str, **labels: str) -> float:
        """The value of one of the service's counters, 0 if never counted."""
        return self.registry.get_sample_value(f"andina_intel_exchange_{metric}_total", labels) or 0.0

    def audited(self, action: str) -> dict[str, Any]:
        """The subject, actor and detail of the one audit entry of ``action``."""
        [entry] = [e for e in self.audit.by_id.values() if e.action == action]
        return {"actor": entry.actor, "subject": entry.subject, "why": entry.why, **entry.detail}
