"""In-memory fakes of the ports every service shares, for unit tests of handlers (no stack).

Each service's own repositories have their fakes beside its unit tests; these are the common
ones: timers, the audit log and a clock that only moves when told.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from pydantic import BaseModel
from pymongo import AsyncMongoClient

from andina.contract.envelope import Envelope, Handling, agency_source, unsigned_event
from andina.shared.audit_log import AuditEntry
from andina.shared.gate import Inbound
from andina.shared.policy.book import PolicyBook
from andina.shared.policy.members import MemberPolicy
from andina.shared.policy.versions import PolicyVersions
from andina.shared.publishing import Outgoing
from andina.shared.store import Document

P = TypeVar("P", bound=BaseModel)

UNCHECKED_SIGNATURE = "A" * 86  # unit tests hand handlers what the gate admitted: the signature was checked there


def inbound(
    event_type: str,
    payload: P,
    origin: str,
    *,
    agency: str = "unit",
    handling: Handling = Handling.H0,
    at: datetime | None = None,
    correlation: UUID | None = None,
) -> Inbound[P]:
    """``payload`` as the gate hands it to a handler: an admitted event from ``origin``'s agency."""
    attributes = unsigned_event(
        type=event_type,
        source=agency_source(origin, agency),
        origin=origin,
        data=payload.model_dump(mode="json"),
        handling=handling,
        correlationid=correlation,
        time=at,
    )
    envelope = Envelope.model_validate({**attributes, "signer": origin, "signature": UNCHECKED_SIGNATURE})
    return Inbound(envelope, payload)


def delivered_to(outputs: Iterable[Outgoing], event_type: str) -> dict[str, dict[str, Any]]:
    """The data of each output of ``event_type``, by recipient (each recipient at most once)."""
    found = [(o.recipient, o.attributes["data"]) for o in outputs if o.attributes["type"] == event_type]
    by_recipient = dict(found)
    assert len(by_recipient) == len(found), f"{event_type} went twice to one recipient"
    return by_recipient


@dataclass(frozen=True)
class ScheduledTimer:
    kind: str
    due_at: datetime
    data: dict[str, Any]


@dataclass
class FakeTimers:
    """Timers scheduled and not cancelled, by id (the Scheduler port)."""

    pending: dict[str, ScheduledTimer] = field(default_factory=dict)
    cancelled: list[str] = field(default_factory=list)

    async def schedule(self, timer_id: str, kind: str, due_at: datetime, data: dict[str, Any]) -> None:
        self.pending[timer_id] = ScheduledTimer(kind, due_at, data)

    async def cancel(self, *timer_ids: str) -> None:
        for timer_id in timer_ids:
            if self.pending.pop(timer_id, None) is not None:
                self.cancelled.append(timer_id)

    def of_kind(self, kind: str) -> dict[str, ScheduledTimer]:
        return {i: t for i, t in self.pending.items() if t.kind == kind}


@dataclass
class FakeAudit:
    """Audit entries by id; appending an id again changes nothing, as in the store's trail (the Audit port)."""

    by_id: dict[str, AuditEntry] = field(default_factory=dict)

    async def append(self, entries: Iterable[AuditEntry]) -> None:
        for entry in entries:
            self.by_id.setdefault(entry.id, entry)

    def actions(self) -> list[tuple[str, str, str]]:
        """(action, actor, subject) of every entry, in the order appended."""
        return [(e.action, e.actor, e.subject) for e in self.by_id.values()]


@dataclass
class FakeClock:
    """A clock that stands still until moved on."""

    now: datetime = field(default_factory=lambda: datetime(2026, 12, 7, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, by: timedelta) -> None:
        self.now += by


_NO_STORE = AsyncMongoClient[Document]("mongodb://unit-tests.invalid", connect=False)["unit"]


class InMemoryPolicyBook(PolicyBook):
    """The real book (its engine, its decisions), with a member's policy put in force by the test."""

    def enact(self, country: str, text: str) -> None:
        """``country``'s next version of its policy in force, as if it had sent it."""
        self.put_in_force(MemberPolicy.check(country, self.version_of(country) + 1, text))


class InMemoryPolicyVersions(PolicyVersions):
    """The real versions (their checks of a change), each kept in memory and put in force in ``book``."""

    def __init__(self, book: PolicyBook) -> None:
        super().__init__(_NO_STORE, book, "policies")
        self._in_force = book  # the book of the service that takes the change
        self.kept: list[tuple[MemberPolicy, str]] = []
        self.by_change: dict[UUID, MemberPolicy] = {}

    async def put(self, cause: Envelope, policy: MemberPolicy, note: str) -> None:
        self.kept.append((policy, note))
        self.by_change[cause.id] = policy
        self._in_force.put_in_force(policy)

    async def made_by(self, change_id: UUID) -> MemberPolicy | None:
        return self.by_change.get(change_id)


@dataclass
class CommonFakes:
    """The fakes of the ports every service has, kept at hand for the test to look into; each
    service's bundle of fakes (``tests/unit/<service>/fakes.py``) adds its repositories."""

    timers: FakeTimers = field(default_factory=FakeTimers)
    audit: FakeAudit = field(default_factory=FakeAudit)
    clock: FakeClock = field(default_factory=FakeClock)
