"""Write-through of reports: the report as the FIU sent it, its transfers, and who holds which subject.

Every write is an insert with a deterministic ``_id`` (a duplicate key means "already
there", so a report handled again writes nothing twice), except adding a second reporter
to a transfer both ends reported. The graph is rebuilt from these collections at start-up.

A holding or party link a report names again is renewed by that report's own document (the
ids it renews and when), not by an update of each: the store takes a batch's inserts in one
command per collection but an update in a command of its own, and most subjects of a busy
stream are named again. The start-up load takes the latest of both times.
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
from andina.finance_trace.domain.model import Held, Holding, Link, Transfer, ValidReport
from andina.finance_trace.domain.sharing import UNKNOWN_REPORTER
from andina.shared.store import Document, InUnitOfWork

LOAD_BATCH = 10_000
# Fields of a report's document: the holdings and party links it names again (their ids).
RENEWED_HOLDINGS, RENEWED_LINKS = "renewed_holdings", "renewed_links"


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


class ReportStore(InUnitOfWork):
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._reports: AsyncCollection[Document] = db["reports"]
        self._transfers: AsyncCollection[Document] = db["transfers"]
        self._holdings: AsyncCollection[Document] = db["holdings"]
        self._aliases: AsyncCollection[Document] = db["aliases"]
        self._parties: AsyncCollection[Document] = db["party_accounts"]

    async def ensure_indexes(self) -> None:
        await self._reports.create_index("origin")
        await self._reports.create_index("named_at")
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
            "named_at": held.named_at,
            RENEWED_HOLDINGS: [holding_id(h) for h in held.renewed],
            RENEWED_LINKS: [link_id(*link) for link in held.renewed_links],
        }
        holders = [
            {
                "_id": holding_id(h),
                "ref": h.ref,
                "kind": h.kind,
                "country": h.country,
                "event": valid.report_id,
                "named_at": held.named_at,
            }
            for h in held.new
        ]
        links = [{"_id": link_id(*link), **link_fields(link), "named_at": held.named_at} for link in held.new_links]
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
                await self.unit.insert(collection, each)
        for t in plan.known.values():
            self.unit.update(self._transfers, t.key, {"$addToSet": {"reporters": valid.reporter}})
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
        renewed = await self._renewed_since(since, RENEWED_HOLDINGS)
        async for d, named_at in _named_since(self._holdings, since, now, renewed):
            yield Holding(d["ref"], d["kind"], d["country"]), d["event"], named_at

    async def aliases(self) -> dict[str, str]:
        return {d["_id"]: d["canonical"] async for d in self._aliases.find({}, batch_size=LOAD_BATCH)}

    async def party_accounts(self, since: float, now: float) -> AsyncIterator[tuple[Link, float]]:
        """Party-account links last named ``since`` or later, as holdings are."""
        renewed = await self._renewed_since(since, RENEWED_LINKS)
        async for d, named_at in _named_since(self._parties, since, now, renewed):
            yield link_of(d), named_at

    async def _renewed_since(self, since: float, field: str) -> dict[str, float]:
        """The ids in ``field`` of the reports handled ``since`` or later, each with the latest such report's time."""
        renewed: dict[str, float] = {}
        recent = self._reports.find({"named_at": {"$gte": since}}, {"named_at": 1, field: 1}, batch_size=LOAD_BATCH)
        async for d in recent:
            for renewed_id in d.get(field, ()):
                renewed[renewed_id] = max(renewed.get(renewed_id, since), d["named_at"])
        return renewed


def holding_id(holding: Holding) -> str:
    return f"{holding.country}|{holding.ref}"


def link_id(party: str, account: str, reporter: str) -> str:
    return f"{reporter}|{party}|{account}"


def link_fields(link: Link) -> Document:
    """A party-account link as the store and the changelog keep it."""
    party, account, reporter = link
    return {"party": party, "account": account, "reporter": reporter}


def link_of(document: Document) -> Link:
    """The link a stored or logged document keeps; one kept before links recorded their reporter has none."""
    return document["party"], document["account"], document.get("reporter", UNKNOWN_REPORTER)


async def _named_since(
    collection: AsyncCollection[Document], since: float, now: float, renewed: dict[str, float]
) -> AsyncIterator[tuple[Document, float]]:
    """The documents last named ``since`` or later, as stored or as renewed by a report since, with that time;
    one stored before these had a time counts as named ``now``."""
    stored_since = {"$or": [{"named_at": {"$gte": since}}, {"named_at": {"$exists": False}}]}
    loaded = set()
    async for d in collection.find(stored_since, batch_size=LOAD_BATCH):
        loaded.add(d["_id"])
        yield d, max(d.get("named_at", now), renewed.get(d["_id"], since))
    older = sorted(renewed.keys() - loaded)  # stored before ``since``, renewed since
    for start in range(0, len(older), LOAD_BATCH):
        async for d in collection.find({"_id": {"$in": older[start : start + LOAD_BATCH]}}):
            yield d, renewed[d["_id"]]
