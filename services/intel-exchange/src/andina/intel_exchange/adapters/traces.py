"""Firearm trace requests in the store: who was asked, who answered (the deadlines are timers)."""

from __future__ import annotations

from uuid import UUID

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from andina.contract.envelope import Envelope
from andina.shared.store import Document, insert_new


class FirearmTraces:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._traces: AsyncCollection[Document] = db["firearm_traces"]

    async def ensure_indexes(self) -> None:
        await self._traces.create_index("at")

    async def open(self, request: Envelope, serial_number: str, asked: list[str]) -> None:
        doc = {
            "_id": str(request.id),
            "requester": request.origin,
            "agency": request.source,
            "serial_number": serial_number,
            "asked": asked,
            "answers": {},
            "at": request.time,
        }
        await insert_new(self._traces, [doc])

    async def asked(self, answer: Envelope, request_id: UUID) -> Document | None:
        country = answer.origin
        not_answered = [{f"answers.{country}": {"$exists": False}}, {f"answers.{country}": str(answer.id)}]
        return await self._traces.find_one({"_id": str(request_id), "asked": country, "$or": not_answered})

    async def answer(self, answer: Envelope, request_id: UUID) -> Document | None:
        """Record the answering country's answer; None if it was not asked or answered already.

        The same answer event finds its own answer again (a redelivery after a crash).
        """
        country = answer.origin
        mine = {"_id": str(request_id), "asked": country}
        doc = await self._traces.find_one_and_update(
            mine | {f"answers.{country}": {"$exists": False}},
            {"$set": {f"answers.{country}": str(answer.id)}},
            return_document=ReturnDocument.AFTER,
        )
        if doc is None:
            doc = await self._traces.find_one(mine | {f"answers.{country}": str(answer.id)})
        return doc
