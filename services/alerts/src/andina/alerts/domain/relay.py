"""A relayed information request and its lifecycle: received, in progress, answered,
refused (with the ground), closed. Only the counterpart works on it; only the requester
closes it; deadlines follow the urgency (Directive 2023/977: 8 hours / 7 days)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from uuid import UUID

from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Handling
from andina.contract.events.alerts import RequestStatus, RequestUrgency
from andina.contract.events.relay import RequestSubmitted
from andina.contract.rejections import Reason, Rejected

OPEN = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)


@dataclass(frozen=True)
class RelayRequest:
    id: UUID
    requester: str
    counterpart: str
    subject: str
    legal_basis: str
    requesting_authority: str
    urgency: RequestUrgency
    handling: Handling
    received_at: datetime
    answer_by: datetime
    correlation: UUID | None = None  # the conversation the alert or request belongs to
    status: RequestStatus = RequestStatus.RECEIVED
    answer: str | None = None
    ground: str | None = None
    settled_at: datetime | None = None

    @classmethod
    def submit(
        cls,
        request_id: UUID,
        requester: str,
        submitted: RequestSubmitted,
        handling: Handling,
        now: datetime,
        deadlines: dict[RequestUrgency, timedelta],
        countries: CountryRegistry,
    ) -> RelayRequest:
        if submitted.to not in countries:
            note = countries.programme_note([submitted.to])
            raise Rejected(Reason.UNKNOWN_COUNTRY, f"{submitted.to!r} is not a member country{note}")
        if submitted.to == requester:
            raise Rejected(Reason.INVALID_PAYLOAD, "a request goes to another country")
        answer_by = now + deadlines[submitted.urgency]
        if submitted.answer_by is not None:
            if submitted.answer_by <= now:
                raise Rejected(Reason.INVALID_PAYLOAD, f"answer_by {submitted.answer_by} is in the past")
            answer_by = min(answer_by, submitted.answer_by)
        return cls(
            id=request_id,
            requester=requester,
            counterpart=submitted.to,
            subject=submitted.subject,
            legal_basis=submitted.legal_basis,
            requesting_authority=submitted.requesting_authority,
            urgency=submitted.urgency,
            handling=handling,
            received_at=now,
            answer_by=answer_by,
        )

    @property
    def in_time(self) -> bool | None:
        return None if self.settled_at is None else self.settled_at <= self.answer_by

    def _worked_on_by(self, country: str) -> None:
        if country != self.counterpart:
            raise Rejected(Reason.UNAUTHORIZED, f"only {self.counterpart} works on request {self.id}")
        if self.status not in OPEN:
            raise Rejected(Reason.INVALID_PAYLOAD, f"request {self.id} is already {self.status.value}")

    def acknowledged(self, country: str) -> RelayRequest:
        self._worked_on_by(country)
        if self.status is RequestStatus.IN_PROGRESS:
            raise Rejected(Reason.DUPLICATE, f"request {self.id} is already in progress")
        return replace(self, status=RequestStatus.IN_PROGRESS)

    def answered(self, country: str, answer: str, now: datetime) -> RelayRequest:
        self._worked_on_by(country)
        return replace(self, status=RequestStatus.ANSWERED, answer=answer, settled_at=now)

    def refused(self, country: str, ground: str, now: datetime) -> RelayRequest:
        self._worked_on_by(country)
        return replace(self, status=RequestStatus.REFUSED, ground=ground, settled_at=now)

    def closed(self, country: str) -> RelayRequest:
        if country != self.requester:
            raise Rejected(Reason.UNAUTHORIZED, f"only the requester {self.requester} closes request {self.id}")
        if self.status is RequestStatus.CLOSED:
            raise Rejected(Reason.DUPLICATE, f"request {self.id} is already closed")
        return replace(self, status=RequestStatus.CLOSED)
