"""What the customs handlers work with: the store's repositories (as Protocols), the in-memory
indexes of the cross-checks, the reference data and rules, and the shared ports.

The store adapters satisfy these Protocols; so do the unit tests' in-memory fakes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from andina.contract.countries import CountryRegistry
from andina.contract.events.customs.risk import RiskIndicator
from andina.contract.events.customs.seizures import SeizureReport
from andina.customs.adapters.metrics import CustomsMetrics
from andina.customs.domain.assistance import Case, DeadlinePolicy, Record, Step
from andina.customs.domain.currency import CurrencyRates
from andina.customs.domain.declarations import FiledDeclaration
from andina.customs.domain.event_time import EventTime
from andina.customs.domain.findings import FindingRules
from andina.customs.domain.hs import HsTable
from andina.customs.domain.matching import PendingIndex, ScoredPairs
from andina.customs.domain.rechecks import RecheckSlots
from andina.customs.domain.risk import Indicator, IndicatorIndex
from andina.customs.domain.seizures import KnownSeizure, SeizureIdentity
from andina.customs.domain.unmatched import UnmatchedRevisions, UnmatchedSlots
from andina.shared.audit_log import Audit
from andina.shared.outputs import Outbox
from andina.shared.policy.handler import PolicyDecisions
from andina.shared.publishing import Outgoing
from andina.shared.timers import Clock, Scheduler, utc_now


@dataclass(frozen=True, slots=True)
class Outcome:
    """What filing a declaration produced: the counterpart it matched, and the events emitted."""

    matched_with: str | None
    outputs: list[Outgoing]
    closed: list[str] = dataclasses.field(default_factory=list)  # exports reported unmatched
    released: str | None = None  # the other side of a scored pair this declaration undid
    reunited_with: str | None = None  # the pending declaration that released side was paired with at once
    replayed: bool = False  # the same event was handled before (a re-run after a failure)


@dataclass(frozen=True, slots=True)
class Kept:
    """What the store holds for the in-memory indexes."""

    pending: list[FiledDeclaration]  # with the exports reported unmatched: their import may come late
    latest_declared: dict[str, dt.date]  # by filing country
    reported: UnmatchedRevisions  # the latest revision of each export's unmatched finding


class DeclarationRepository(Protocol):
    async def add(self, declaration: FiledDeclaration, outcome: Outcome, handled_before: bool = False) -> Outcome:
        """Keep a new declaration; for one already kept by the same event (a re-run), what it produced then.
        A number its country filed before under another event is refused (``Reason.DUPLICATE``).
        ``handled_before``: the event's handling was cut short once (``Inbound.handled_before``), so the store
        is read even when this process does not know the number (it died before its changelog went out)."""
        ...

    async def matched_late(self, declaration: FiledDeclaration, outcome: Outcome, at: dt.datetime) -> Outcome:
        """Keep what the recheck of a waiting declaration paired (``at`` its time); for a recheck done before (its
        timer fired again after a crash), what it produced then."""
        ...

    async def pending(self, since: dt.datetime, hs: HsTable) -> Kept:
        """Declarations received since ``since`` still awaiting their counterpart, and how far each country filed."""
        ...


class CaseRepository(Protocol):
    async def add(self, case: Case, urgency: str, received_at: dt.datetime) -> None: ...

    async def get(self, request_id: UUID) -> Record | None: ...

    async def move(self, case: Case, step: Step, by: str, at: dt.datetime) -> None:
        """Apply ``step`` if the request is still in the status it was checked in; else refuse it."""
        ...


class SeizureRepository(Protocol):
    async def candidates(self, identity: SeizureIdentity) -> list[KnownSeizure]:
        """Seizures of the same goods reported for a day this one may be."""
        ...

    async def add(
        self, seizure_id: UUID, identity: SeizureIdentity, report: SeizureReport, at: dt.datetime
    ) -> None: ...

    async def merge(
        self, seizure: KnownSeizure, event_id: UUID, identity: SeizureIdentity, report: SeizureReport, at: dt.datetime
    ) -> None: ...


class IndicatorRepository(Protocol):
    async def add(self, indicator: Indicator, published: RiskIndicator, at: dt.datetime) -> None: ...

    async def withdrawn_by(self, indicator_id: UUID) -> str | None:
        """The event that withdrew the indicator, if it was withdrawn."""
        ...

    async def withdraw(self, indicator_id: UUID, event_id: UUID, at: dt.datetime) -> None: ...

    async def live(self, today: dt.date) -> list[Indicator]: ...


@dataclass(frozen=True)
class Ports:
    countries: CountryRegistry
    hs: HsTable
    rates: CurrencyRates
    rules: FindingRules
    assistance_deadlines: DeadlinePolicy
    seizure_quantity_tolerance: Decimal  # relative difference between two reports of one seizure
    longest_indicator: dt.timedelta  # the longest validity of a risk indicator
    declarations: DeclarationRepository
    cases: CaseRepository
    seizures: SeizureRepository
    indicator_store: IndicatorRepository
    # In memory, rebuilt from the store at start-up: what the cross-checks look up per declaration.
    pending: PendingIndex
    scored: ScoredPairs
    indicators: IndicatorIndex
    event_time: EventTime
    unmatched: UnmatchedSlots
    rechecks: RecheckSlots
    reported: UnmatchedRevisions
    timers: Scheduler
    audit: Audit
    outbox: Outbox
    metrics: CustomsMetrics
    policies: PolicyDecisions
    clock: Clock = utc_now

    def cross_checked(self, declaration: FiledDeclaration) -> bool:
        """Only trade between two members has a counterpart to wait for."""
        return declaration.exporter in self.countries and declaration.importer in self.countries
