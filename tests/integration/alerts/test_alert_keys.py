"""An alert's dedup key finds the origin's open alert, in the real store, by ``_id`` only."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from andina.alerts.adapters.repositories import AlertRepository
from andina.alerts.domain.alert import Alert
from andina.contract.envelope import Handling
from andina.contract.events.alerts import AlertCategory, Priority
from andina.shared.store import Document
from tests.store_units import unit_of

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def keyed_alert(dedup_key: str | None, origin: str = "PE") -> Alert:
    return Alert(
        id=uuid.uuid4(),
        origin=origin,
        priority=Priority.URGENT,
        category=AlertCategory.DRUG_SHIPMENT,
        title="Contenedor sospechoso",
        facts="Puerto del Callao",
        recipients=("CO",),
        handling=Handling.H1,
        domestic=False,
        raised_at=NOW,
        acknowledge_by=NOW,
        dedup_key=dedup_key,
    )


async def open_id(alerts: AlertRepository, origin: str, dedup_key: str) -> uuid.UUID | None:
    async with unit_of(alerts) as bound:
        alert = await bound.open_with_key(origin, dedup_key)
    return None if alert is None else alert.id


async def test_a_key_names_the_origins_open_alert_until_it_closes_then_the_next_one(
    db: AsyncDatabase[Document],
) -> None:
    alerts = AlertRepository(db)
    await alerts.ensure_indexes()
    first, other_origin = keyed_alert("OP-7"), keyed_alert("OP-7", origin="CO")
    async with unit_of(alerts) as batch:  # a second raise in the same batch finds the first
        await batch.add(first)
        found = await batch.open_with_key("PE", "OP-7")
        assert found == first
        await batch.add(other_origin)

    assert await open_id(alerts, "CO", "OP-7") == other_origin.id
    assert await open_id(alerts, "PE", "OP-8") is None
    async with unit_of(alerts) as closing:
        await closing.save_revision(replace(first, closed=True, revision=2))
    assert await open_id(alerts, "PE", "OP-7") is None
    second = keyed_alert("OP-7")
    async with unit_of(alerts) as raising:
        await raising.add(second)
    assert await open_id(alerts, "PE", "OP-7") == second.id


async def test_open_alerts_stored_before_keys_were_kept_get_their_keys_at_start(db: AsyncDatabase[Document]) -> None:
    before = keyed_alert("OP-9")
    document = {**{k: v for k, v in vars(before).items() if k != "id"}, "_id": str(before.id)}
    await db["alerts"].insert_one({**document, "correlation": None, "acks": {}})
    alerts = AlertRepository(db)
    assert await open_id(alerts, "PE", "OP-9") is None

    await alerts.ensure_indexes()
    await alerts.ensure_indexes()  # a later start finds the keys complete

    assert await open_id(alerts, "PE", "OP-9") == before.id
    assert await db["alert_keys"].count_documents({}) == 2  # the key, and the mark that keys are complete


async def test_two_instances_starting_at_once_on_a_fresh_store_both_start(db: AsyncDatabase[Document]) -> None:
    before = keyed_alert("OP-11")
    document = {**{k: v for k, v in vars(before).items() if k != "id"}, "_id": str(before.id)}
    await db["alerts"].insert_one({**document, "correlation": None, "acks": {}})

    for _ in range(5):  # the race is a matter of microseconds: give it several chances
        await db["alert_keys"].delete_many({})
        await asyncio.gather(AlertRepository(db).ensure_indexes(), AlertRepository(db).ensure_indexes())

    assert await open_id(AlertRepository(db), "PE", "OP-11") == before.id
