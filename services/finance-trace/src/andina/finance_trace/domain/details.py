"""Detail requests between FIUs: who may ask whom about which subject, and who may close a request.

An FIU asks the owner of a subject (an FIU that holds it) for details; the owner approves or
refuses before the request's deadline, or the request expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from andina.contract.envelope import Handling
from andina.contract.rejections import Reason, Rejected
from andina.finance_trace.domain.sharing import Disclosures, Subjects

PENDING = "pending"


@dataclass(frozen=True)
class DetailCase:
    id: UUID
    requester: str
    owner: str
    subject: str
    correlationid: UUID
    handling: Handling
    status: str
    decided_by: str | None
    agency: str  # the requesting agency (its event's source), for the policies' decision on the release


def check_detail_request(requester: str, subject: str, owner: str, subjects: Subjects, seen: Disclosures) -> None:
    """A detail request goes ahead only about a subject the requester was shown, to an FIU that holds it."""
    if owner == requester:
        raise Rejected(Reason.INVALID_PAYLOAD, "an FIU does not ask itself for details")
    if not (subjects.holds(requester, subject) or seen.has_seen(requester, subject)):
        raise Rejected(
            Reason.UNAUTHORIZED,
            f"{requester} may ask only about subjects it holds or was shown in a trace; this one is neither",
        )
    if not subjects.holds(owner, subject):
        raise Rejected(Reason.UNAUTHORIZED, f"{owner} holds no data on this subject")


def check_decision(case: DetailCase | None, request_id: UUID, owner: str, by_event: UUID) -> DetailCase:
    """Only the owner decides, once: a request still pending, or one this very event closed (handled again)."""
    if case is None or case.owner != owner:
        raise Rejected(Reason.UNAUTHORIZED, f"no detail request {request_id} awaits {owner}'s decision")
    if case.status != PENDING and case.decided_by != str(by_event):
        raise Rejected(Reason.DUPLICATE, f"detail request {request_id} is already {case.status}")
    return case
