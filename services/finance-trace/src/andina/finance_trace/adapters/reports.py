"""Write-through of reports: the report as the FIU sent it, its transfers, and who holds which subject.

Every write is an insert with a deterministic ``_id`` (a duplicate key means "already
there", so a report handled again writes nothing twice), except adding a second reporter
to a transfer both ends reported. The graph is rebuilt from these collections at start-up.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from andina.contract.envelope import Envelope
from andina.contract.events.finance_trace import Channel, TransactionReport
from andina.finance_trace.domain.graph import Plan
from andina.finance_trace.domain.model import Held, Holding, Transfer, ValidReport
from andina.shared.store import Document, insert_document, update_document

LOAD_BATCH = 10_000


async def insert_one_new(collection: AsyncCollection[Document], document: Document) -> None:
    with contextlib.suppress(DuplicateKeyError):
        await collection.insert_one(document)


def transfer_fields(transfer: Transfer, report_id: str, reporters: list[str]) -> Document:
    """A transfer as the store and the changelog keep it."""
    return {
        "_id": transfer.key,
        "report": report_id,
        "position": transfer.position,
        "time": transfer.time,
        "amount_usd": transfer.amount_usd,
        "source": transfer.source,
        "target": transfer.target,
        "source_country": transfer.source_country,
        "target_country": transfer.target_country,
        "channel": transfer.channel.value,
        "reporters": reporters,
    }


def transfer_of(document: Document) -> Transfer:
    return Transfer(
        key=document["_id"],
        position=document["position"],
        time=document["time"],
        amount_usd=document["amount_usd"],
        source=document["source"],
        target=document["target"],
        source_country=document["source_country"],
        target_country=document["target_country"],
        channel=Channel(document["channel"]),
    )


class ReportStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._reports: AsyncCollection[Document] = db["reports"]
        self._transfers: AsyncCollection[Document] = db["transfers"]
        self._holdings: AsyncCollection[Document] = db["holdings"]
        self._aliases: AsyncCollection[Document] = db["aliases"]
        self._parties: AsyncCollection[Document] = db["party_accounts"]

    async def ensure_indexes(self) -> None:
        await self._reports.create_index("origin")
        await self._holdings.create_index("ref")

    async def record(
        self, envelope: Envelope, report: TransactionReport, valid: ValidReport, plan: Plan, held: Held
    ) -> int:
        """Write the report's effects; safe to repeat.

        Returns how many of the plan's past transfers (which the graph no longer holds, so cannot
        say whether another FIU reported them) were not stored yet."""
        document = {
            "_id": valid.report_id,
            "origin": envelope.origin,
            "source": envelope.source,
            "handling": envelope.handling.value,
            "received_at": datetime.now(UTC),
            "report": report.model_dump(mode="json"),
        }
        holders = [
            {
                "_id": f"{h.country}|{h.ref}",
                "ref": h.ref,
                "kind": h.kind,
                "country": h.country,
                "event": valid.report_id,
                "named_at": held.named_at,
            }
            for h in held.new
        ]
        links = [{"_id": f"{p}|{a}", "party": p, "account": a, "named_at": held.named_at} for p, a in held.new_links]
        stored = await asyncio.gather(*(self._record_past(t, valid) for t in plan.past))
        # Held in the poll batch's write batch: one command per collection for the whole batch.
        inserted = [
            (self._reports, [document]),
            (self._transfers, [transfer_fields(t, valid.report_id, [valid.reporter]) for t in plan.new]),
            (self._holdings, holders),
            (self._aliases, [{"_id": ref, "canonical": c} for ref, c in valid.aliases.items()]),
            (self._parties, links),
        ]
        for collection, documents in inserted:
            for each in documents:
                await insert_document(collection, each)
        for t in plan.known.values():
            await update_document(self._transfers, t.key, {"$addToSet": {"reporters": valid.reporter}})
        for h in held.renewed:
            await update_document(self._holdings, f"{h.country}|{h.ref}", {"$max": {"named_at": held.named_at}})
        for p, a in held.renewed_links:
            await update_document(self._parties, f"{p}|{a}", {"$max": {"named_at": held.named_at}})
        return sum(stored)

    async def _record_past(self, transfer: Transfer, report: ValidReport) -> bool:
        """Store a transfer older than the graph's horizon, or add the reporter to it; True if new."""
        document = transfer_fields(transfer, report.report_id, [report.reporter])
        del document["_id"], document["reporters"]
        result = await self._transfers.update_one(
            {"_id": transfer.key},
            {"$setOnInsert": document, "$addToSet": {"reporters": report.reporter}},
            upsert=True,
        )
        return result.upserted_id is not None

    async def transfers(self, since: float) -> AsyncIterator[tuple[Transfer, str, list[str]]]:
        """Every stored transfer dated ``since`` or later, with its report id and reporters, for the start-up load."""
        async for document in self._transfers.find({"time": {"$gte": since}}, batch_size=LOAD_BATCH):
            yield transfer_of(document), document["report"], document["reporters"]

    async def latest_time(self) -> float | None:
        """The time of the latest stored transfer (the event time the graph is rebuilt to)."""
        latest = await self._transfers.find_one({}, {"time": 1}, sort=[("time", -1)])
        return None if latest is None else float(latest["time"])

    async def holdings(self, since: float, now: float) -> AsyncIterator[tuple[Holding, str, float]]:
        """Holdings last named ``since`` or later (one stored before holdings had a time counts as named ``now``)."""
        async for d in self._holdings.find(_named_since(since), batch_size=LOAD_BATCH):
            yield Holding(d["ref"], d["kind"], d["country"]), d["event"], d.get("named_at", now)

    async def aliases(self) -> dict[str, str]:
        return {d["_id"]: d["canonical"] async for d in self._aliases.find({}, batch_size=LOAD_BATCH)}

    async def party_accounts(self, since: float, now: float) -> AsyncIterator[tuple[str, str, float]]:
        """Party-account links last named ``since`` or later, as holdings are."""
        async for d in self._parties.find(_named_since(since), batch_size=LOAD_BATCH):
            yield d["party"], d["account"], d.get("named_at", now)


def _named_since(since: float) -> Document:
    """Last named ``since`` or later; one stored before these had a time counts as named at load time."""
    return {"$or": [{"named_at": {"$gte": since}}, {"named_at": {"$exists": False}}]}
