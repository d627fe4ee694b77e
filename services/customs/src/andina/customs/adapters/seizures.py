"""Seizures in the store: one document per seizure, holding every report of it.

Each report keeps its identity (day, office words, quantity, containers...), so a new
report is compared with all of them. Candidates are read by HS heading and day; seizures
are few (hundreds a year per country), so that read is cheap even on FerretDB.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from andina.contract.events.customs.seizures import SeizureReport
from andina.customs.domain.seizures import KnownSeizure, SeizureIdentity
from andina.shared.store import Document


def _identity_document(identity: SeizureIdentity) -> Document:
    return {
        "reporter": identity.reporter,
        "reference": identity.reference,
        "seized_on": identity.seized_on.isoformat(),
        "dimension": identity.dimension,
        "quantity": str(identity.quantity),
        "office": sorted(identity.office),
        "things": sorted(identity.things),
    }


def _identity(document: Document, heading: str) -> SeizureIdentity:
    return SeizureIdentity(
        reporter=document["reporter"],
        reference=document["reference"],
        seized_on=dt.date.fromisoformat(document["seized_on"]),
        heading=heading,
        dimension=document["dimension"],
        quantity=Decimal(document["quantity"]),
        office=frozenset(document["office"]),
        things=frozenset(document["things"]),
    )


def _report_document(event_id: UUID, identity: SeizureIdentity, report: SeizureReport, at: dt.datetime) -> Document:
    return {
        "event_id": str(event_id),
        "received_at": at,
        "identity": _identity_document(identity),
        "report": report.model_dump(mode="json"),
    }


class SeizureStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._seizures: AsyncCollection[Document] = db["seizures"]

    async def ensure_indexes(self) -> None:
        await self._seizures.create_index("heading")

    async def candidates(self, identity: SeizureIdentity) -> list[KnownSeizure]:
        """Seizures of the same goods reported for a day this one may be."""
        days = [day.isoformat() for day in identity.days()]
        query = {"heading": identity.heading, "days": {"$in": days}}
        return [
            KnownSeizure(
                UUID(document["_id"]),
                {UUID(r["event_id"]): _identity(r["identity"], document["heading"]) for r in document["reports"]},
            )
            async for document in self._seizures.find(query)
        ]

    async def add(self, seizure_id: UUID, identity: SeizureIdentity, report: SeizureReport, at: dt.datetime) -> None:
        document: dict[str, Any] = {
            "_id": str(seizure_id),
            "heading": identity.heading,
            "days": [identity.seized_on.isoformat()],
            "reports": [_report_document(seizure_id, identity, report, at)],
        }
        await self._seizures.insert_one(document)

    async def merge(
        self, seizure: KnownSeizure, event_id: UUID, identity: SeizureIdentity, report: SeizureReport, at: dt.datetime
    ) -> None:
        """Add a report to a known seizure."""
        await self._seizures.update_one(
            {"_id": str(seizure.id)},
            {
                "$push": {"reports": _report_document(event_id, identity, report, at)},
                "$addToSet": {"days": identity.seized_on.isoformat()},
            },
        )
