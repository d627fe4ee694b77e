"""Findings, traces, detail requests and disclosures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from andina.contract.envelope import Envelope, Handling
from andina.contract.events.finance_trace import Pattern
from andina.finance_trace.adapters.reports import LOAD_BATCH, insert_one_new
from andina.finance_trace.domain.details import PENDING, DetailCase, check_decision
from andina.finance_trace.domain.findings import Revision
from andina.finance_trace.domain.patterns.detector import Finding
from andina.shared.policy.registry import agency_of
from andina.shared.store import Document, InUnitOfWork


class FindingStore(InUnitOfWork):
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._findings: AsyncCollection[Document] = db["findings"]

    async def ensure_indexes(self) -> None:
        await self._findings.create_index("pattern")

    async def record(self, findings: list[tuple[Finding, list[str], Revision]]) -> None:
        """Each finding with the network ids of its transactions and its latest revision (the FIUs told)."""
        for f, transactions, revision in findings:
            if revision.number == 1:
                await self.unit.insert(
                    self._findings,
                    {
                        "_id": str(f.id),
                        "pattern": f.detection.pattern.value,
                        "severity": f.severity.value,
                        "summary": f.detection.summary,
                        "amount_usd": f.detection.amount_usd,
                        "transactions": transactions,
                        "found_at": datetime.now(UTC),
                        **revision_fields(revision),
                    },
                )
            else:
                self.unit.set_fields(self._findings, str(f.id), revision_fields(revision))

    async def all(self) -> AsyncIterator[tuple[UUID, Pattern, list[str], Revision]]:
        async for d in self._findings.find({}, {"summary": 0}, batch_size=LOAD_BATCH):
            yield UUID(d["_id"]), Pattern(d["pattern"]), d["transactions"], revision_of(d)


def revision_of(fields: Document) -> Revision:
    """A finding's revision as :func:`revision_fields` wrote it (in the store or a changelog entry)."""
    # Findings stored before revisions were: their first, of unknown content.
    return Revision(
        fields.get("revision", 1),
        fields.get("digest", ""),
        tuple(fields["readers"]),
        tuple(fields.get("earlier_readers", ())),
    )


def revision_fields(revision: Revision) -> Document:
    return {
        "revision": revision.number,
        "digest": revision.digest,
        "readers": list(revision.readers),
        "earlier_readers": list(revision.earlier_readers),
    }


def _case(d: Document) -> DetailCase:
    return DetailCase(
        id=UUID(d["_id"]),
        requester=d["requester"],
        owner=d["owner"],
        subject=d["subject"],
        correlationid=UUID(d["correlationid"]),
        handling=Handling(d["handling"]),
        status=d["status"],
        decided_by=d.get("decided_by"),
        agency=d.get("agency", ""),  # requests opened before the policies were enforced: an unregistered agency
    )


class RequestStore:
    """Detail requests and their answers, what owners disclosed, and which subjects traces showed."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._requests: AsyncCollection[Document] = db["detail_requests"]
        self._decisions: AsyncCollection[Document] = db["detail_decisions"]  # one per request: who closed it
        self._disclosures: AsyncCollection[Document] = db["disclosures"]
        self._traces: AsyncCollection[Document] = db["traces"]

    async def ensure_indexes(self) -> None:
        await self._requests.create_index("status")
        await self._traces.create_index("requester")

    async def open(self, envelope: Envelope, owner: str, subject: str, due: datetime, purpose: str) -> None:
        document = {
            "_id": str(envelope.id),
            "requester": envelope.origin,
            "agency": agency_of(envelope.source),
            "owner": owner,
            "subject": subject,
            "purpose": purpose,
            "correlationid": str(envelope.correlationid),
            "handling": envelope.handling.value,
            "status": PENDING,
            "due": due,
        }
        await insert_one_new(self._requests, document)

    async def decide(self, request_id: UUID, owner: str, decision: str, by_event: UUID) -> DetailCase:
        """Close a pending request with the owner's decision (or find it closed by this very event)."""
        found = await self._requests.find_one({"_id": str(request_id)})
        case = check_decision(None if found is None else _case(found), request_id, owner, by_event)
        return check_decision(await self._close(case, decision, str(by_event)), request_id, owner, by_event)

    async def expire(self, request_id: UUID, by_timer: str) -> DetailCase | None:
        """Close a request nobody answered in time; None if it was answered meanwhile."""
        found = await self._requests.find_one({"_id": str(request_id)})
        if found is None:
            return None
        closed = await self._close(_case(found), "expired", by_timer)
        return closed if closed.decided_by == by_timer else None

    async def _close(self, case: DetailCase, status: str, by: str) -> DetailCase:
        """The request closed as ``status`` by ``by`` (an event or a timer), or as whoever closed it first.

        The owner's answer and the expiry timer can close a request at the same moment on two
        instances, and FerretDB runs a find-and-modify as a read then a write, so both could close it
        that way. Of two inserts of one ``_id`` in ``detail_decisions``, the store keeps one.
        """
        if case.status != PENDING:
            return case
        decision: Document = {"_id": str(case.id), "status": status, "by": by, "at": datetime.now(UTC)}
        try:
            await self._decisions.insert_one(decision)
        except DuplicateKeyError:
            decision = await self._decisions.find_one({"_id": str(case.id)}) or decision
        # Whoever closed it first: written again by a later closer, which heals a crash between the two writes.
        fields = {"status": decision["status"], "decided_by": decision["by"], "decided_at": decision["at"]}
        await self._requests.update_one({"_id": str(case.id)}, {"$set": fields})
        return replace(case, status=decision["status"], decided_by=decision["by"])

    async def disclose(self, case: DetailCase, details: dict[str, str]) -> None:
        await insert_one_new(
            self._disclosures,
            {
                "_id": str(case.id),
                "requester": case.requester,
                "owner": case.owner,
                "subject": case.subject,
                "details": details,
            },
        )

    async def disclosures(self) -> AsyncIterator[Document]:
        async for d in self._disclosures.find({}, batch_size=LOAD_BATCH):
            yield d

    async def record_trace(
        self, envelope: Envelope, request: dict[str, Any], shown: list[str], edges: int, at: datetime
    ) -> None:
        document = {"_id": str(envelope.id), "requester": envelope.origin, "request": request, "shown": shown}
        await insert_one_new(self._traces, {**document, "edges": edges, "at": at})

    async def shown(self, since: float) -> AsyncIterator[tuple[str, list[str], float]]:
        """Who was shown which subjects by traces made ``since`` or later, and when."""
        recent = {"at": {"$gte": datetime.fromtimestamp(since, UTC)}}
        async for d in self._traces.find(recent, {"requester": 1, "shown": 1, "at": 1}, batch_size=LOAD_BATCH):
            yield d["requester"], d["shown"], d["at"].timestamp()
