"""Hits and possible matches given out, and the follow-up requests for full records with the owner's decision.

A possible match may be followed up like a hit: asking the owner for the record is how
an officer verifies who the person is.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from andina.contract.envelope import Envelope
from andina.intel_exchange.domain.screening import Hit
from andina.shared.store import Document, InUnitOfWork, insert_new

PENDING = "pending"


def hit_id(screening_id: UUID, record_id: str) -> str:
    return f"{screening_id}/{record_id}"


class FollowUps(InUnitOfWork):
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._hits: AsyncCollection[Document] = db["hits"]
        self._requests: AsyncCollection[Document] = db["record_requests"]

    async def ensure_indexes(self) -> None:
        await self._hits.create_index("at")
        await self._requests.create_index("status")

    async def record_hits(self, screening: Envelope, hits: list[Hit]) -> None:
        """Written with the batch's other inserts (one round trip per batch, not per screening)."""
        for hit in hits:
            document = {
                "_id": hit_id(screening.id, hit.listing.record_id),
                "asker": screening.origin,
                "owner": hit.listing.owner,
                "score": hit.match.score,
                "possible": hit.possible,
                "at": screening.time,
            }
            await self.unit.insert(self._hits, document)

    async def hit_for(self, screening_id: UUID, record_id: str, asker: str) -> Document | None:
        """The hit ``asker`` got on ``record_id`` in that screening; None if it got none."""
        return await self.unit.find(self._hits, {"_id": hit_id(screening_id, record_id), "asker": asker})

    async def open_request(
        self, request: Envelope, screening_id: UUID, record_id: str, owner: str, treaty: str | None
    ) -> None:
        await insert_new(
            self._requests,
            [
                {
                    "_id": str(request.id),
                    "screening_id": str(screening_id),
                    "record_id": record_id,
                    "requester": request.origin,
                    "agency": request.source,
                    "treaty": treaty,
                    "owner": owner,
                    "status": PENDING,
                    "at": request.time,
                }
            ],
        )

    async def open_for(self, answer: Envelope, request_id: UUID) -> Document | None:
        """The answering owner's request still pending, or already closed by this very answer
        (a redelivery after a crash); None if it has none such."""
        query = {"_id": str(request_id), "owner": answer.origin}
        return await self._requests.find_one(query | {"$or": [{"status": PENDING}, {"answer_id": str(answer.id)}]})

    async def decide(self, answer: Envelope, request_id: UUID, decision: str) -> None:
        decided = {"status": decision, "answer_id": str(answer.id), "decided_at": datetime.now(answer.time.tzinfo)}
        await self._requests.update_one({"_id": str(request_id), "status": PENDING}, {"$set": decided})
