"""Mutual-assistance requests in the store: one document per request, with the history of its status.

Each change is applied only from the status it was checked against (compare and set), and
records the event that made it, so a re-run of that event is recognised.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from andina.contract.envelope import Handling
from andina.contract.events.customs.assistance import RequestStatus
from andina.contract.rejections import Reason, Rejected
from andina.customs.domain.assistance import Case, Record, Step
from andina.shared.store import Document


class CaseStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._requests: AsyncCollection[Document] = db["assistance_requests"]

    async def ensure_indexes(self) -> None:
        await self._requests.create_index("deadline")

    async def add(self, case: Case, urgency: str, received_at: dt.datetime) -> None:
        await self._requests.insert_one(
            {
                "_id": str(case.request_id),
                "requester": case.requester,
                "requested": case.requested,
                "status": case.status.value,
                "deadline": case.deadline,
                "correlation_id": str(case.correlation_id),
                "handling": case.handling.value,
                "reference": case.reference,
                "urgency": urgency,
                "received_at": received_at,
                "steps": [],
            }
        )

    async def get(self, request_id: UUID) -> Record | None:
        document = await self._requests.find_one({"_id": str(request_id)})
        if document is None:
            return None
        case = Case(
            request_id=request_id,
            requester=document["requester"],
            requested=document["requested"],
            status=RequestStatus(document["status"]),
            deadline=document["deadline"],
            correlation_id=UUID(document["correlation_id"]),
            handling=Handling(document["handling"]),
            reference=document["reference"],
        )
        steps = [
            Step(UUID(s["event_id"]), RequestStatus(s["status"]), RequestStatus(s["previous"]))
            for s in document["steps"]
        ]
        return Record(case, {s.event_id: s for s in steps}, document["received_at"])

    async def move(self, case: Case, step: Step, by: str, at: dt.datetime) -> None:
        """Apply ``step`` if the request is still in the status it was checked in."""
        result = await self._requests.update_one(
            {"_id": str(case.request_id), "status": step.previous.value},
            {
                "$set": {"status": step.status.value},
                "$push": {
                    "steps": {
                        "event_id": str(step.event_id),
                        "status": step.status.value,
                        "previous": step.previous.value,
                        "by": by,
                        "at": at,
                    }
                },
            },
        )
        if result.modified_count != 1:
            raise Rejected(Reason.INVALID_PAYLOAD, f"request {case.request_id} changed meanwhile; send again")
