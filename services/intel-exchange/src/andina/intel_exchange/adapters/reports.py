"""Intelligence reports in the store, and the entity graph built from them at start-up."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from andina.contract.events.intel_reports import IntelligenceReport
from andina.intel_exchange.domain.graph import EntityGraph, FiledReport
from andina.shared.store import Document, insert_new


class ReportStore:
    def __init__(self, db: AsyncDatabase[Document], graph: EntityGraph) -> None:
        self._reports: AsyncCollection[Document] = db["reports"]
        self.graph = graph

    async def ensure_indexes(self) -> None:
        """The store's indexes, then the in-memory entity graph built from the reports within its horizon."""
        await self._reports.create_index("at")
        now = datetime.now(UTC).timestamp()
        since = datetime.fromtimestamp(max(0.0, now - self.graph.horizon), UTC)
        async for doc in self._reports.find({"at": {"$gte": since}}, {"body": 0}):
            self.graph.add(_filed(doc), now)

    async def file(
        self, document: Document, report: IntelligenceReport, entities: dict[str, str], now: datetime
    ) -> None:
        """Store the report (``document`` holds its id, sender and time) and link its entities."""
        doc = document | report.model_dump(mode="json") | {"entity_keys": entities}
        await insert_new(self._reports, [doc])
        self.graph.add(_filed(doc), now.timestamp())
        if self.graph.look_due():
            # A look scans every report held: in a thread, so the event loop goes on meanwhile.
            await asyncio.to_thread(self.graph.forget, now.timestamp())


def _filed(doc: Document) -> FiledReport:
    at = doc["at"] if doc["at"].tzinfo else doc["at"].replace(tzinfo=UTC)  # the store gives naive UTC back
    return FiledReport(
        doc["_id"], at.timestamp(), doc["sender"], tuple(doc["recipients"]), tuple(doc["entity_keys"].items())
    )
