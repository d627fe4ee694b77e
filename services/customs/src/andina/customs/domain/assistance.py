"""The lifecycle of a mutual-assistance request: who may move it where, and its deadline.

submitted -> acknowledged -> in-progress -> answered | partially-answered | refused -> closed.
Only the requested administration replies; only the requester closes. Anyone else who
names the request is told it received no such request (its existence is not revealed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from andina.contract.envelope import Handling
from andina.contract.events.customs.assistance import RequestStatus, Subject, Urgency
from andina.contract.rejections import Reason, Rejected
from andina.customs.domain.hs import HsTable

S = RequestStatus
# Statuses in which the requested administration still owes an answer (reminders, overdue).
OPEN = frozenset({S.SUBMITTED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.PARTIALLY_ANSWERED})
# new status -> the statuses it may follow, for replies of the requested administration
REPLIES: dict[RequestStatus, frozenset[RequestStatus]] = {
    S.ACKNOWLEDGED: frozenset({S.SUBMITTED}),
    S.IN_PROGRESS: frozenset({S.SUBMITTED, S.ACKNOWLEDGED}),
    S.REFUSED: frozenset({S.SUBMITTED, S.ACKNOWLEDGED, S.IN_PROGRESS}),
    S.PARTIALLY_ANSWERED: frozenset({S.SUBMITTED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.PARTIALLY_ANSWERED}),
    S.ANSWERED: frozenset({S.SUBMITTED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.PARTIALLY_ANSWERED}),
}


@dataclass(frozen=True, slots=True)
class DeadlinePolicy:
    urgent: dt.timedelta = dt.timedelta(hours=24)
    routine: dt.timedelta = dt.timedelta(days=30)
    reminders_before: tuple[dt.timedelta, ...] = (dt.timedelta(hours=48), dt.timedelta(hours=4))

    def deadline(self, urgency: Urgency, given: dt.datetime | None, now: dt.datetime) -> dt.datetime:
        """The request's own deadline, else the policy's for its urgency; a past one is refused."""
        if given is None:
            return now + (self.urgent if urgency is Urgency.URGENT else self.routine)
        if given <= now:
            raise Rejected(Reason.INVALID_PAYLOAD, f"deadline {given.isoformat()} has already passed")
        return given

    @property
    def most_reminders(self) -> int:
        return len(set(self.reminders_before))

    def reminders(self, deadline: dt.datetime, now: dt.datetime) -> list[dt.datetime]:
        """When to remind the requested administration; reminders already past are skipped."""
        return sorted(deadline - lead for lead in set(self.reminders_before) if deadline - lead > now)


@dataclass(frozen=True, slots=True)
class Case:
    """A request as the service holds it."""

    request_id: UUID
    requester: str
    requested: str
    status: RequestStatus
    deadline: dt.datetime
    correlation_id: UUID
    handling: Handling = Handling.H0
    reference: str | None = None

    def reply(self, sender: str, status: RequestStatus) -> RequestStatus:
        """Check a reply by ``sender``; return the status it moves from."""
        if sender != self.requested:
            raise not_received(sender, self.request_id)
        if self.status not in REPLIES[status]:
            raise Rejected(
                Reason.INVALID_PAYLOAD, f"request {self.request_id} is {self.status.value}: cannot be {status.value}"
            )
        return self.status

    def close(self, sender: str) -> RequestStatus:
        if sender == self.requested:
            raise Rejected(Reason.UNAUTHORIZED, f"only the requester {self.requester} closes request {self.request_id}")
        if sender != self.requester:
            raise not_received(sender, self.request_id)
        if self.status is S.CLOSED:
            raise Rejected(Reason.INVALID_PAYLOAD, f"request {self.request_id} is already closed")
        return self.status

    @property
    def owes_answer(self) -> bool:
        return self.status in OPEN


@dataclass(frozen=True, slots=True)
class Step:
    """One status change, as recorded: by which event, from what, to what."""

    event_id: UUID
    status: RequestStatus
    previous: RequestStatus


@dataclass(frozen=True, slots=True)
class Record:
    """A case as the store holds it: with the status changes made so far, and when it was received."""

    case: Case
    steps: dict[UUID, Step]
    received_at: dt.datetime


def not_received(sender: str, request_id: UUID) -> Rejected:
    """For a request id the service does not know: the same answer as for someone else's request."""
    return Rejected(Reason.UNAUTHORIZED, f"{sender} received no assistance request {request_id}")


def check_subject(subject: Subject, hs: HsTable) -> None:
    """Goods are named by known HS codes."""
    for goods in subject.goods:
        hs.heading(goods.hs_code)
