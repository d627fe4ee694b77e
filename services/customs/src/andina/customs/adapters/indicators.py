"""Risk indicators in the store; the live ones are loaded into memory at start-up."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from andina.customs.domain.risk import Indicator
from andina.shared.envelope import Handling
from andina.shared.events.customs.risk import IndicatorKind, RiskIndicator
from andina.shared.events.signals import Severity
from andina.shared.store import Document, find_document, insert_document, set_fields


class IndicatorStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._indicators: AsyncCollection[Document] = db["risk_indicators"]

    async def ensure_indexes(self) -> None:
        await self._indicators.create_index("expires_on")

    async def add(self, indicator: Indicator, published: RiskIndicator, at: dt.datetime) -> None:
        document = {
            "_id": str(indicator.id),
            "owner": indicator.owner,
            "kind": indicator.kind.value,
            "key": indicator.key,
            "reason": indicator.reason,
            "severity": indicator.severity.value,
            "expires_on": indicator.expires_on.isoformat(),
            "handling": indicator.handling.value,
            "published": published.model_dump(mode="json"),
            "published_at": at,
            "withdrawn_by": None,
        }
        await insert_document(self._indicators, document)  # a re-run finds it kept already

    async def withdrawn_by(self, indicator_id: UUID) -> str | None:
        """The event that withdrew the indicator, if it was withdrawn."""
        document = await find_document(self._indicators, {"_id": str(indicator_id)})
        return None if document is None else document["withdrawn_by"]

    async def withdraw(self, indicator_id: UUID, event_id: UUID, at: dt.datetime) -> None:
        await set_fields(self._indicators, str(indicator_id), {"withdrawn_by": str(event_id), "withdrawn_at": at})

    async def live(self, today: dt.date) -> list[Indicator]:
        query = {"withdrawn_by": None, "expires_on": {"$gte": today.isoformat()}}
        return [
            Indicator(
                id=UUID(d["_id"]),
                owner=d["owner"],
                kind=IndicatorKind(d["kind"]),
                key=d["key"],
                reason=d["reason"],
                severity=Severity(d["severity"]),
                expires_on=dt.date.fromisoformat(d["expires_on"]),
                handling=Handling(d["handling"]),
            )
            async for d in self._indicators.find(query)
        ]
