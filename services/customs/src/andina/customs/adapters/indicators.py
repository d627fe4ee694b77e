"""Risk indicators in the store; the live ones are read when there is no snapshot of the changelog."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from andina.contract.events.customs.risk import RiskIndicator
from andina.customs.adapters.indicator_table import indicator_fields, indicator_of
from andina.customs.domain.risk import Indicator
from andina.shared.store import Document, InUnitOfWork


class IndicatorStore(InUnitOfWork):
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._indicators: AsyncCollection[Document] = db["risk_indicators"]

    async def ensure_indexes(self) -> None:
        await self._indicators.create_index("expires_on")

    async def add(self, indicator: Indicator, published: RiskIndicator, at: dt.datetime) -> None:
        document = indicator_fields(indicator) | {
            "_id": str(indicator.id),
            "published": published.model_dump(mode="json"),
            "published_at": at,
            "withdrawn_by": None,
        }
        await self.unit.insert(self._indicators, document)  # a re-run finds it kept already

    async def withdrawn_by(self, indicator_id: UUID) -> str | None:
        """The event that withdrew the indicator, if it was withdrawn."""
        document = await self.unit.find(self._indicators, {"_id": str(indicator_id)})
        return None if document is None else document["withdrawn_by"]

    async def withdraw(self, indicator_id: UUID, event_id: UUID, at: dt.datetime) -> None:
        self.unit.set_fields(self._indicators, str(indicator_id), {"withdrawn_by": str(event_id), "withdrawn_at": at})

    async def live(self, today: dt.date) -> list[Indicator]:
        query = {"withdrawn_by": None, "expires_on": {"$gte": today.isoformat()}}
        return [indicator_of(UUID(d["_id"]), d) async for d in self._indicators.find(query)]
