"""Return cases in the store, and their personal data removed a configured time after they end.

A case's document holds the victim's data while the case runs. Once removed, only what the
observatory's figures need is left (corridor, age group, needs, status, dates, follow-up
days): the case can no longer be read as a case, so any later event about it is not found.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from andina.alerts.domain.returns import ReturnCase
from andina.contract.events.returns import ReceptionPlan, ReturnCaseOpened, ReturnStatus, TravelPlan
from andina.shared.store import Document, InUnitOfWork

PERSONAL = ("opened", "reception", "travel", "follow_ups", "ground")


def _dump(model: Any) -> Any:
    return None if model is None else model.model_dump(mode="json")


def _progress(case: ReturnCase) -> Document:
    """The fields a step changes."""
    return {
        "status": case.status.value,
        "step_started_at": case.step_started_at,
        "reception": _dump(case.reception),
        "travel": _dump(case.travel),
        "handed_over_at": case.handed_over_at,
        "received_at": case.received_at,
        "follow_ups": case.follow_ups,
        "ended_at": case.ended_at,
        "withdrawn_by": case.withdrawn_by,
        "ground": case.ground,
    }


class ReturnRepository(InUnitOfWork):
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._cases: AsyncCollection[Document] = db["return_cases"]

    async def ensure_indexes(self) -> None:
        """Lookups are by ``_id`` alone."""

    async def add(self, case: ReturnCase) -> None:
        """Store a new case (kept as it is when already there: a redelivered opening)."""
        figures = {"corridor": case.corridor, "age_group": case.opened.age_group.value, "needs": case.opened.needs}
        await self.unit.insert(
            self._cases,
            {
                "_id": str(case.id),
                "destination": case.destination,
                "origin": case.origin,
                "opened": _dump(case.opened),
                "opened_at": case.opened_at,
                "identified_on": case.opened.identified_on.isoformat(),
                "correlation": None if case.correlation is None else str(case.correlation),
                "personal_data_removed": False,
                **figures,
                **_progress(case),
            },
        )

    async def get(self, case_id: UUID) -> ReturnCase | None:
        doc = await self.unit.find(self._cases, {"_id": str(case_id)})
        if doc is None or doc["personal_data_removed"]:
            return None
        return ReturnCase(
            id=UUID(doc["_id"]),
            destination=doc["destination"],
            origin=doc["origin"],
            opened=ReturnCaseOpened.model_validate(doc["opened"]),
            opened_at=doc["opened_at"],
            step_started_at=doc["step_started_at"],
            correlation=None if doc["correlation"] is None else UUID(doc["correlation"]),
            status=ReturnStatus(doc["status"]),
            reception=None if doc["reception"] is None else ReceptionPlan.model_validate(doc["reception"]),
            travel=None if doc["travel"] is None else TravelPlan.model_validate(doc["travel"]),
            handed_over_at=doc["handed_over_at"],
            received_at=doc["received_at"],
            follow_ups=doc["follow_ups"],
            ended_at=doc["ended_at"],
            withdrawn_by=doc["withdrawn_by"],
            ground=doc["ground"],
        )

    async def save(self, case: ReturnCase) -> None:
        self.unit.set_fields(self._cases, str(case.id), _progress(case))

    async def remove_personal_data(self, case_id: UUID, at: datetime) -> None:
        """Keep the figures (and which follow-up days were done), drop the rest."""
        doc = await self.unit.find(self._cases, {"_id": str(case_id)})
        if doc is None or doc["personal_data_removed"]:
            return
        done = sorted(int(day) for day in doc["follow_ups"] or {})
        removed = {field: None for field in PERSONAL}
        self.unit.set_fields(
            self._cases,
            str(case_id),
            {**removed, "follow_up_days": done, "personal_data_removed": True, "removed_at": at},
        )

    async def document(self, case_id: UUID) -> Document | None:
        """The stored document as it is (for operators and tests)."""
        return await self._cases.find_one({"_id": str(case_id)})
