"""Declarations in the store, and the pending index read from them when the changelog has no snapshot yet.

Each declaration is one document, written once (``_id`` = country/flow/number) with what
its filing produced: the counterpart it matched (``matched_with``), the exports it showed
overdue (``closed``) and its outputs. That single write is the write-through of the
in-memory index: read from the store, the pending declarations are those within the retention
that neither matched nor were matched (an export reported unmatched, ``closed``, still
waits: its import may come late); each country's latest declared date is the highest
``declared_on`` among them.

A declaration paired by its recheck (filed through one instance while its counterpart was
filed through another: handlers/rechecks.py) also has a document in ``late_pairings``, with what
the recheck produced, at the time of the recheck.

Writes go out with the poll batch (one insert for all its declarations, before its events
are published): FerretDB takes milliseconds per single insert. So a number filed before
is recognised in memory (the keys filed within the retention, through any instance: the
changelog carries them), and a re-run of the same
event in this process (its batch failed) gets the outcome it had, from a cache of the
latest ones; after a restart, from the store.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import OrderedDict
from uuid import UUID

import orjson
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from andina.contract.rejections import Reason, Rejected
from andina.customs.adapters.declaration_table import DeclarationTable, declaration_fields, restored
from andina.customs.domain.declarations import FiledDeclaration
from andina.customs.domain.hs import HsTable
from andina.customs.domain.unmatched import UnmatchedRevisions
from andina.customs.handlers.ports import Kept, Outcome
from andina.shared.publishing import Outgoing
from andina.shared.store import Document, InUnitOfWork

# Outcomes remembered for re-runs within this process: more than one poll batch.
RECENT = 5_000


def _outputs_text(outputs: list[Outgoing]) -> str:
    return orjson.dumps(
        [{"topic": o.topic, "recipient": o.recipient, "attributes": o.attributes} for o in outputs]
    ).decode()


def _outputs(text: str) -> list[Outgoing]:
    return [Outgoing(**o) for o in orjson.loads(text)]


def _document(declaration: FiledDeclaration, outcome: Outcome) -> Document:
    # The summary and outputs are kept as JSON text: FerretDB writes a nested document ~3x slower.
    return declaration_fields(declaration) | {
        "_id": declaration.key,
        "received_at": declaration.received_at,
        "country": declaration.country,
        "declared_on": declaration.summary.declared_on.isoformat(),
        "matched_with": outcome.matched_with,
        "closed": outcome.closed,
        "released": outcome.released,
        "reunited_with": outcome.reunited_with,
        "outputs": _outputs_text(outcome.outputs),
    }


def _late_document(declaration: FiledDeclaration, outcome: Outcome, at: dt.datetime) -> Document:
    return {
        "_id": declaration.key,
        "late_of": declaration.key,
        "received_at": at,  # replayed after both sides, in the order of the store
        "matched_with": outcome.matched_with,
        "closed": outcome.closed,
        "released": outcome.released,
        "reunited_with": outcome.reunited_with,
        "outputs": _outputs_text(outcome.outputs),
    }


def _outcome(kept: Document) -> Outcome:
    return Outcome(
        kept["matched_with"],
        _outputs(kept["outputs"]),
        kept.get("closed", []),
        kept.get("released"),
        kept.get("reunited_with"),
    )


class DeclarationStore(InUnitOfWork):
    def __init__(self, db: AsyncDatabase[Document], table: DeclarationTable) -> None:
        self._declarations: AsyncCollection[Document] = db["declarations"]
        self._late: AsyncCollection[Document] = db["late_pairings"]  # what rechecks paired, by declaration key
        self._table = table  # what every instance knows was filed
        self._filed: set[int] = set()  # hashes of the keys the store held at start-up, within the retention
        self._recent: OrderedDict[str, tuple[UUID, Outcome]] = OrderedDict()

    async def ensure_indexes(self) -> None:
        await self._declarations.create_index("received_at")
        await self._late.create_index("received_at")

    async def add(self, declaration: FiledDeclaration, outcome: Outcome, handled_before: bool = False) -> Outcome:
        """Keep a new declaration; for one already kept by the same event (a re-run), what it produced then.
        A re-run after a crash between publishing the outputs and the changelog is known by ``handled_before``
        alone: handled as new, in another order, it would send its finding again under another id."""
        known = hash(declaration.key) in self._filed or self._table.filed(declaration.key)
        if handled_before or known:
            earlier = await self._earlier(declaration.key)
            if earlier is not None:
                event_id, outcome = earlier
                if event_id != declaration.event_id:
                    raise Rejected(
                        Reason.DUPLICATE, f"declaration {declaration.key} was already filed by event {event_id}"
                    )
                outcome = dataclasses.replace(outcome, replayed=True)
        await self.unit.insert(self._declarations, _document(declaration, outcome))  # kept as is if written before
        self._table.kept(declaration)
        self._recent[declaration.key] = (declaration.event_id, outcome)
        if len(self._recent) > RECENT:
            self._recent.popitem(last=False)
        return outcome

    async def matched_late(self, declaration: FiledDeclaration, outcome: Outcome, at: dt.datetime) -> Outcome:
        """Keep what the recheck of a waiting declaration paired; for a recheck done before, what it produced."""
        kept = await self.unit.find(self._late, {"_id": declaration.key})  # rare: a pair filed through two instances
        if kept is not None:
            return dataclasses.replace(_outcome(kept), replayed=True)
        await self.unit.insert(self._late, _late_document(declaration, outcome, at))
        return outcome

    async def _earlier(self, key: str) -> tuple[UUID, Outcome] | None:
        if key in self._recent:
            return self._recent[key]
        # Rare (a number filed twice, or a re-run after a restart), so the scan of a read is acceptable here.
        kept = await self.unit.find(self._declarations, {"_id": key})
        if kept is None:
            return None
        return UUID(kept["event_id"]), _outcome(kept)

    async def pending(self, since: dt.datetime, hs: HsTable) -> Kept:
        """Declarations received since ``since`` still awaiting their counterpart (oldest first), and how far
        each country has filed. The filings are replayed in the order received: a match takes both sides, a
        closed export is reported (and still waits), and the side a rematch released waits again; a recheck's
        pairing is replayed at the time of the recheck."""
        replay = _Replay()
        recent = {"received_at": {"$gte": since}}
        late = [d async for d in self._late.find(recent, {"outputs": 0}).sort("received_at", 1)]  # a few
        async for document in self._declarations.find(recent, {"outputs": 0}).sort("received_at", 1):
            while late and late[0]["received_at"] <= document["received_at"]:
                replay.filing(late.pop(0))
            self._filed.add(hash(document["_id"]))
            replay.filing(document)
        for document in late:
            replay.filing(document)
        waiting = replay.waiting
        for key in [k for k, d in waiting.items() if d is None]:  # rare: one read each
            waiting[key] = await self.unit.find(self._declarations, {"_id": key})
        pending = [restored(d, d["received_at"], hs) for d in waiting.values() if d is not None]
        return Kept(pending, replay.latest, replay.reported)


class _Replay:
    """What the filings (and rechecks) kept in the store leave waiting, replayed in the order received."""

    def __init__(self) -> None:
        self.waiting: dict[str, Document | None] = {}  # None: released, its document read at the end
        self.latest: dict[str, dt.date] = {}
        self.reported = UnmatchedRevisions()

    def filing(self, document: Document) -> None:
        waiting = self.waiting
        waiting.pop(document.get("late_of", ""), None)
        if document["matched_with"] is None:
            waiting[document["_id"]] = document
        else:
            waiting.pop(document["matched_with"], None)
        if document.get("reunited_with"):
            waiting.pop(document["reunited_with"], None)
        elif document.get("released"):
            waiting[document["released"]] = None
        self.reported.filed([document["matched_with"], document.get("reunited_with")], document.get("closed", []))
        if "declared_on" in document:
            declared_on = dt.date.fromisoformat(document["declared_on"])
            self.latest[document["country"]] = max(declared_on, self.latest.get(document["country"], declared_on))
