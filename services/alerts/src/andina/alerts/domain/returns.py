"""A return case of a trafficking victim, from the destination (where the victim was identified)
to the origin country. Each step belongs to one of the two countries of the case, in order:
the origin proposes the reception, the destination plans the travel, the origin agrees it,
the destination hands the victim over, the origin confirms the reception and records the
follow-ups; either closes the case once the victim is received, or withdraws from it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from itertools import pairwise
from uuid import UUID

from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Handling
from andina.contract.events.returns import (
    FOLLOW_UP_DAYS,
    PROGRAMME,
    AgeGroup,
    ReceptionPlan,
    ReturnCaseOpened,
    ReturnStatus,
    TravelPlan,
)
from andina.contract.rejections import Reason, Rejected

ENDED = (ReturnStatus.CLOSED, ReturnStatus.WITHDRAWN)
# The step each status awaits, and whose it is.
DESTINATION, ORIGIN = "destination", "origin"
AWAITED = {
    ReturnStatus.OPENED: (ReturnStatus.RECEPTION_PROPOSED, ORIGIN),
    ReturnStatus.RECEPTION_PROPOSED: (ReturnStatus.TRAVEL_PLANNED, DESTINATION),
    ReturnStatus.TRAVEL_PLANNED: (ReturnStatus.TRAVEL_AGREED, ORIGIN),
    ReturnStatus.TRAVEL_AGREED: (ReturnStatus.HANDED_OVER, DESTINATION),
    ReturnStatus.HANDED_OVER: (ReturnStatus.RECEIVED, ORIGIN),
}


@dataclass(frozen=True)
class ReturnDeadlines:
    """Time allowed for each step: shorter for a minor or an urgent health risk."""

    normal: timedelta
    shortened: timedelta
    reminder_at: float  # fraction of a step's time after which the responsible country is reminded
    retention: timedelta  # personal data kept this long after a case ends
    follow_up_grace: timedelta  # a follow-up is late this long after its day


@dataclass(frozen=True)
class Awaiting:
    step: str
    responsible: str
    due_by: datetime


@dataclass(frozen=True)
class ReturnCase:
    id: UUID
    destination: str
    origin: str
    opened: ReturnCaseOpened
    opened_at: datetime
    step_started_at: datetime
    correlation: UUID | None = None
    status: ReturnStatus = ReturnStatus.OPENED
    reception: ReceptionPlan | None = None
    travel: TravelPlan | None = None
    handed_over_at: datetime | None = None
    received_at: datetime | None = None
    follow_ups: dict[str, str] = field(default_factory=dict)
    ended_at: datetime | None = None
    withdrawn_by: str | None = None
    ground: str | None = None

    @classmethod
    def open(
        cls,
        case_id: UUID,
        destination: str,
        opened: ReturnCaseOpened,
        handling: Handling,
        now: datetime,
        countries: CountryRegistry,
    ) -> ReturnCase:
        if handling is not Handling.H3:
            raise Rejected(Reason.INVALID_PAYLOAD, f"a return case is h3, for its two countries only, not {handling}")
        if not countries.is_member_of(opened.origin_country, PROGRAMME):
            raise Rejected(Reason.UNKNOWN_COUNTRY, f"{opened.origin_country!r} is not a member of the {PROGRAMME}")
        if opened.origin_country == destination:
            raise Rejected(Reason.INVALID_PAYLOAD, "the origin country is another country than the destination")
        if not opened.consent_given:
            raise Rejected(Reason.INVALID_PAYLOAD, "no return case without the victim's informed consent")
        if opened.age_group is AgeGroup.MINOR and opened.guardian is None:
            raise Rejected(Reason.INVALID_PAYLOAD, "a minor's return case names the minor's guardian")
        if opened.identified_on > now.date():
            raise Rejected(Reason.INVALID_PAYLOAD, f"identified_on {opened.identified_on} is in the future")
        return cls(case_id, destination, opened.origin_country, opened, now, now)

    @property
    def shortened(self) -> bool:
        return self.opened.age_group is AgeGroup.MINOR or self.opened.urgent_health_risk

    @property
    def corridor(self) -> str:
        return f"{self.destination}-{self.origin}"

    def awaiting(self, deadlines: ReturnDeadlines) -> Awaiting | None:
        """The next step, whose it is and when it is due; None once nothing more is due."""
        if self.status in AWAITED:
            step, role = AWAITED[self.status]
            allowed = deadlines.shortened if self.shortened else deadlines.normal
            return Awaiting(step.value, self._country(role), self.step_started_at + allowed)
        missing = [day for day in FOLLOW_UP_DAYS if str(day) not in self.follow_ups]
        if self.status is ReturnStatus.RECEIVED and missing and self.received_at is not None:
            due = self.received_at + timedelta(days=missing[0]) + deadlines.follow_up_grace
            return Awaiting(f"follow-up-{missing[0]}", self.origin, due)
        return None

    def _country(self, role: str) -> str:
        return self.destination if role == DESTINATION else self.origin

    def _step(self, country: str, expected: ReturnStatus, now: datetime) -> ReturnCase:
        """Checks that ``country`` takes the step awaited now; the case as the step starts the next."""
        self._party(country)
        step, role = AWAITED.get(self.status, (None, ""))
        if step is not expected:
            raise Rejected(Reason.INVALID_PAYLOAD, f"case {self.id} is {self.status.value}: not awaiting {expected}")
        if country != self._country(role):
            raise Rejected(Reason.UNAUTHORIZED, f"{expected} is for {self._country(role)} on case {self.id}")
        return replace(self, status=expected, step_started_at=now)

    def _party(self, country: str) -> None:
        if country not in (self.destination, self.origin):
            raise Rejected(Reason.UNAUTHORIZED, f"{country} is not a country of return case {self.id}")
        if self.status in ENDED:
            raise Rejected(Reason.INVALID_PAYLOAD, f"case {self.id} is already {self.status.value}")

    def reception_proposed(self, country: str, verified: bool, plan: ReceptionPlan, now: datetime) -> ReturnCase:
        if not verified:
            raise Rejected(Reason.INVALID_PAYLOAD, "a reception is proposed once identity and nationality are verified")
        return replace(self._step(country, ReturnStatus.RECEPTION_PROPOSED, now), reception=plan)

    def travel_planned(self, country: str, travel: TravelPlan, now: datetime, countries: CountryRegistry) -> ReturnCase:
        _check_travel(travel, self, now, countries)
        return replace(self._step(country, ReturnStatus.TRAVEL_PLANNED, now), travel=travel)

    def travel_agreed(self, country: str, now: datetime) -> ReturnCase:
        return self._step(country, ReturnStatus.TRAVEL_AGREED, now)

    def handed_over(self, country: str, at: datetime, now: datetime) -> ReturnCase:
        _in_order("handover", at, now, self.opened_at)
        return replace(self._step(country, ReturnStatus.HANDED_OVER, now), handed_over_at=at)

    def received(self, country: str, at: datetime, now: datetime) -> ReturnCase:
        _in_order("reception", at, now, self.handed_over_at or self.opened_at)
        return replace(self._step(country, ReturnStatus.RECEIVED, now), received_at=at)

    def followed_up(self, country: str, day: int, outcome: str) -> ReturnCase:
        self._party(country)
        if country != self.origin or self.status is not ReturnStatus.RECEIVED:
            raise Rejected(
                Reason.UNAUTHORIZED, f"follow-ups are the origin's ({self.origin}) once the victim is received"
            )
        expected = next((d for d in FOLLOW_UP_DAYS if str(d) not in self.follow_ups), None)
        if day != expected:
            raise Rejected(Reason.INVALID_PAYLOAD, f"the follow-up due next on case {self.id} is day {expected}")
        return replace(self, follow_ups={**self.follow_ups, str(day): outcome})

    def closed(self, country: str, now: datetime) -> ReturnCase:
        self._party(country)
        if self.status is not ReturnStatus.RECEIVED:
            raise Rejected(Reason.INVALID_PAYLOAD, f"case {self.id} closes once the victim is received")
        return replace(self, status=ReturnStatus.CLOSED, ended_at=now)

    def withdrawn(self, country: str, ground: str, now: datetime) -> ReturnCase:
        self._party(country)
        return replace(self, status=ReturnStatus.WITHDRAWN, ended_at=now, withdrawn_by=country, ground=ground)

    def days_to_return(self) -> int | None:
        return None if self.received_at is None else (self.received_at.date() - self.opened.identified_on).days


def _in_order(what: str, at: datetime, now: datetime, after: datetime) -> None:
    if not after <= at <= now:
        raise Rejected(Reason.INVALID_PAYLOAD, f"the {what} time {at.isoformat()} is not between {after} and now")


def _check_travel(travel: TravelPlan, case: ReturnCase, now: datetime, countries: CountryRegistry) -> None:
    times = [travel.departs_at, *(t for leg in travel.route for t in (leg.enters_at, leg.leaves_at)), travel.arrives_at]
    if travel.departs_at <= now or any(later < earlier for earlier, later in pairwise(times)):
        raise Rejected(Reason.INVALID_PAYLOAD, "travel dates out of order: future departure, each leg, then arrival")
    crossed = [leg.country for leg in travel.route]
    if len(set(crossed)) != len(crossed) or {case.destination, case.origin} & set(crossed):
        raise Rejected(Reason.INVALID_PAYLOAD, "each country of transit once, and neither country of the case")
    unknown = sorted(c for c in crossed if not countries.is_known(c))
    if unknown:
        raise Rejected(Reason.UNKNOWN_COUNTRY, f"countries of transit {unknown} are not on the network")
