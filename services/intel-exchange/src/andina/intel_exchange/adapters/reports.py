"""Intelligence reports in the store, and the entity graph built from them at start-up."""

from __future__ import annotations

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from andina.intel_exchange.domain.graph import EntityGraph, FiledReport
from andina.shared.events.intel_reports import IntelligenceReport
from andina.shared.store import Document, insert_new


class ReportStore:
    def __init__(self, db: AsyncDatabase[Document], graph: EntityGraph) -> None:
        self._reports: AsyncCollection[Document] = db["reports"]
        self.graph = graph

    async def ensure_indexes(self) -> None:
        """The store's indexes, then the in-memory entity graph built from the stored reports."""
        await self._reports.create_index("at")
        async for doc in self._reports.find({}, {"body": 0}):
            self.graph.add(_filed(doc))

    async def file(self, document: Document, report: IntelligenceReport, entities: dict[str, str]) -> None:
        """Store the report (``document`` holds its id, sender and time) and link its entities."""
        doc = document | report.model_dump(mode="json") | {"entity_keys": entities}
        await insert_new(self._reports, [doc])
        self.graph.add(_filed(doc))


def _filed(doc: Document) -> FiledReport:
    return FiledReport(doc["_id"], doc["sender"], tuple(doc["recipients"]), tuple(doc["entity_keys"].items()))
