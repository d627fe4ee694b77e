"""In-memory fakes of the customs repositories, and the customs ``Ports`` built on them, for handler unit tests.

Each fake keeps what the store would keep and answers as its adapter does (a re-run recognised,
a duplicate refused); mypy checks that they satisfy the Protocols of ``handlers/ports.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from prometheus_client import CollectorRegistry, Counter

from andina.contract.countries import CountryRegistry
from andina.contract.events.customs.risk import RiskIndicator
from andina.contract.events.customs.seizures import SeizureReport
from andina.contract.rejections import Reason, Rejected
from andina.customs import SERVICE
from andina.customs.adapters.cross_check_state import CrossCheckState
from andina.customs.adapters.metrics import CustomsMetrics
from andina.customs.domain.assistance import Case, DeadlinePolicy, Record, Step
from andina.customs.domain.declarations import FiledDeclaration
from andina.customs.domain.findings import FindingRules
from andina.customs.domain.hs import HsTable
from andina.customs.domain.matching import MatchPolicy
from andina.customs.domain.rechecks import RecheckSlots
from andina.customs.domain.risk import Indicator
from andina.customs.domain.seizures import KnownSeizure, SeizureIdentity
from andina.customs.domain.unmatched import UnmatchedRevisions, UnmatchedSlots
from andina.customs.handlers.declarations import restore_reported
from andina.customs.handlers.ports import Kept, Outcome, Ports
from andina.shared.outputs import Outbox
from andina.shared.snapshots import Entry
from tests.customs_samples import HS, RATES
from tests.fakes import CommonFakes, InMemoryPolicyBook

DELIVERIES = "customs-deliveries"
SIGNALS = "customs-signals"
COUNTRIES = CountryRegistry.load()


@dataclass
class FakeDeclarations:
    """Declarations by key, each with what its filing produced, in the order filed (the DeclarationRepository)."""

    kept: dict[str, tuple[FiledDeclaration, Outcome]] = field(default_factory=dict)
    late: set[str] = field(default_factory=set)  # the keys in ``kept`` of what rechecks paired

    async def add(self, declaration: FiledDeclaration, outcome: Outcome, handled_before: bool = False) -> Outcome:
        if declaration.key not in self.kept:
            self.kept[declaration.key] = (declaration, outcome)
            return outcome
        earlier, produced = self.kept[declaration.key]
        if earlier.event_id != declaration.event_id:
            raise Rejected(
                Reason.DUPLICATE, f"declaration {declaration.key} was already filed by event {earlier.event_id}"
            )
        return dataclasses.replace(produced, replayed=True)

    async def matched_late(self, declaration: FiledDeclaration, outcome: Outcome, at: dt.datetime) -> Outcome:
        key = f"late/{declaration.key}"
        if key in self.kept:
            return dataclasses.replace(self.kept[key][1], replayed=True)
        self.kept[key] = (declaration, outcome)
        self.late.add(key)
        return outcome

    async def pending(self, since: dt.datetime, hs: HsTable) -> Kept:
        waiting: dict[str, FiledDeclaration] = {}
        latest: dict[str, dt.date] = {}
        reported = UnmatchedRevisions()
        for key, (declaration, outcome) in self.kept.items():
            if declaration.received_at < since:
                continue
            if key in self.late:
                waiting.pop(declaration.key, None)
            if outcome.matched_with is None:
                waiting[declaration.key] = declaration
            else:
                waiting.pop(outcome.matched_with, None)
            if outcome.reunited_with:
                waiting.pop(outcome.reunited_with, None)
            elif outcome.released:
                waiting[outcome.released] = self.kept[outcome.released][0]
            reported.filed([outcome.matched_with, outcome.reunited_with], outcome.closed)
            latest[declaration.country] = max(
                declaration.summary.declared_on, latest.get(declaration.country, dt.date.min)
            )
        return Kept(list(waiting.values()), latest, reported)


@dataclass
class FakeCases:
    """Assistance requests by id, with their status changes (the CaseRepository)."""

    records: dict[UUID, Record] = field(default_factory=dict)

    async def add(self, case: Case, urgency: str, received_at: dt.datetime) -> None:
        self.records[case.request_id] = Record(case, {}, received_at)

    async def get(self, request_id: UUID) -> Record | None:
        return self.records.get(request_id)

    async def move(self, case: Case, step: Step, by: str, at: dt.datetime) -> None:
        record = self.records[case.request_id]
        if record.case.status is not step.previous:
            raise Rejected(Reason.INVALID_PAYLOAD, f"request {case.request_id} changed meanwhile; send again")
        moved = dataclasses.replace(record.case, status=step.status)
        self.records[case.request_id] = Record(moved, {**record.steps, step.event_id: step}, record.received_at)


@dataclass
class FakeSeizures:
    """Seizures by id, each with the identities of its reports (the SeizureRepository)."""

    known: dict[UUID, KnownSeizure] = field(default_factory=dict)

    async def candidates(self, identity: SeizureIdentity) -> list[KnownSeizure]:
        days = set(identity.days())
        return [
            seizure
            for seizure in self.known.values()
            if any(r.heading == identity.heading and r.seized_on in days for r in seizure.reports.values())
        ]

    async def add(self, seizure_id: UUID, identity: SeizureIdentity, report: SeizureReport, at: dt.datetime) -> None:
        self.known[seizure_id] = KnownSeizure(seizure_id, {seizure_id: identity})

    async def merge(
        self, seizure: KnownSeizure, event_id: UUID, identity: SeizureIdentity, report: SeizureReport, at: dt.datetime
    ) -> None:
        reports = self.known[seizure.id].reports
        self.known[seizure.id] = KnownSeizure(seizure.id, {**reports, event_id: identity})


@dataclass
class FakeIndicators:
    """Risk indicators by id, and the events that withdrew them (the IndicatorRepository)."""

    kept: dict[UUID, Indicator] = field(default_factory=dict)
    withdrawals: dict[UUID, str] = field(default_factory=dict)

    async def add(self, indicator: Indicator, published: RiskIndicator, at: dt.datetime) -> None:
        self.kept.setdefault(indicator.id, indicator)

    async def withdrawn_by(self, indicator_id: UUID) -> str | None:
        return self.withdrawals.get(indicator_id)

    async def withdraw(self, indicator_id: UUID, event_id: UUID, at: dt.datetime) -> None:
        self.withdrawals[indicator_id] = str(event_id)

    async def live(self, today: dt.date) -> list[Indicator]:
        return [i for i in self.kept.values() if i.id not in self.withdrawals and i.expires_on >= today]


@dataclass
class Customs(CommonFakes):
    """The fakes behind the customs ports: what outlives a process (store, timers, audit) and the clock."""

    declarations: FakeDeclarations = field(default_factory=FakeDeclarations)
    cases: FakeCases = field(default_factory=FakeCases)
    seizures: FakeSeizures = field(default_factory=FakeSeizures)
    indicators: FakeIndicators = field(default_factory=FakeIndicators)
    policies: InMemoryPolicyBook = field(default_factory=lambda: InMemoryPolicyBook(SERVICE))
    changelog: list[Entry] = field(default_factory=list)  # what every process noted, in order

    def state(self, rules: FindingRules | None = None) -> CrossCheckState:
        """The in-memory state of a process starting now, noting its changes in ``changelog``."""
        return CrossCheckState(
            MatchPolicy(),
            rules or FindingRules(),
            HS,
            self.clock,
            lambda owner, key, value: self.changelog.append((key, value)),
        )

    def ports(self, rules: FindingRules | None = None, state: CrossCheckState | None = None) -> Ports:
        """The ports of a process starting now: its in-memory indexes and metrics are new, the fakes are shared."""
        rules = rules or FindingRules()
        state = state or self.state(rules)
        return Ports(
            countries=COUNTRIES,
            hs=HS,
            rates=RATES,
            rules=rules,
            assistance_deadlines=DeadlinePolicy(),
            seizure_quantity_tolerance=Decimal("0.05"),
            longest_indicator=dt.timedelta(days=730),
            declarations=self.declarations,
            cases=self.cases,
            seizures=self.seizures,
            indicator_store=self.indicators,
            pending=state.declarations.pending,
            scored=state.declarations.scored,
            indicators=state.indicators.index,
            event_time=state.watermarks.event_time,
            unmatched=UnmatchedSlots(rules.unmatched_fallback),
            rechecks=RecheckSlots(),
            reported=state.reported.revisions,
            timers=self.timers,
            audit=self.audit,
            outbox=Outbox(SERVICE, DELIVERIES, SIGNALS),
            metrics=CustomsMetrics(CollectorRegistry()),
            policies=self.policies,
            clock=self.clock,
        )

    async def restarted(self) -> Ports:
        """A new process, its state read from the store (as when the changelog has no snapshot yet), then what
        it reported unmatched."""
        state = self.state()
        state.tables.load(await state.from_store(self.declarations, self.indicators))
        ports = self.ports(state=state)
        await restore_reported(ports)
        return ports


def counted(counter: Counter, **labels: str) -> float:
    """What a counter of the service's metrics holds for ``labels`` (0 if never counted)."""
    for family in counter.collect():
        for sample in family.samples:
            if sample.name.endswith("_total") and sample.labels == labels:
                return sample.value
    return 0.0
