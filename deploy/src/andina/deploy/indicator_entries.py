"""``andina indicator enter``: the coordinator's signed, audited entries of action-plan indicators.

An entry is signed with the observatory's key (``andina keys generate`` makes it; only
``andina.observatory.*`` types verify under it), checked against the plan, kept whole in the
store's ``observatory`` database and appended to that database's audit hash chain
(``andina audit verify observatory``). The report verifies every entry again when it reads it:
one whose signature no longer holds, or that names no indicator of the plan, is shown as
refused with the reason and counts for nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import orjson
from pydantic import ValidationError
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from andina.contract.envelope import service_source
from andina.contract.events.indicators import INDICATOR_ENTERED, OBSERVATORY, IndicatorEntry
from andina.contract.rejections import Rejected
from andina.contract.signing import KeyDirectory, SignerKey
from andina.deploy.action_plan import PlanIndicator
from andina.deploy.settings import Endpoints
from andina.shared.audit import AuditTrail
from andina.shared.audit_log import AuditEntry, AuditLog
from andina.shared.store import Document, database_name, mongo_client, write_batch

ENTRIES = "indicator_entries"
ENTERED = "indicator-entered"


@dataclass(frozen=True)
class Entered:
    """A verified entry: what it says, when it was signed, by which key."""

    entry: IndicatorEntry
    signed_at: datetime
    keyid: str


@dataclass(frozen=True)
class Refused:
    event_id: str
    reason: str


def signed_entry(key: SignerKey, entry: IndicatorEntry, at: datetime) -> dict[str, Any]:
    """The entry as a CloudEvent signed by the observatory (the attributes, signature included)."""
    attributes = {
        "specversion": "1.0",
        "id": str(uuid4()),
        "source": service_source(OBSERVATORY),
        "type": INDICATOR_ENTERED,
        "time": at.isoformat(),
        "datacontenttype": "application/json",
        "data": entry.model_dump(mode="json", exclude_none=True),
    }
    signed: dict[str, Any] = orjson.loads(key.sign(attributes))
    return signed


def check_against_plan(entry: IndicatorEntry, plan: Sequence[PlanIndicator]) -> None:
    """The entry names an indicator the coordinator enters, within that indicator's period."""
    by_id = {i.id: i for i in plan}
    indicator = by_id.get(entry.indicator)
    if indicator is None:
        raise ValueError(f"{entry.indicator!r} is not an indicator of the plan: {', '.join(sorted(by_id))}")
    if entry.value is not None and indicator.counters:
        raise ValueError(f"{entry.indicator!r} is counted from the network's events: only its target may be entered")
    start, end = indicator.period
    if entry.period_start < start or entry.period_end > end:
        raise ValueError(f"{entry.indicator!r} runs {start} – {end}: the entry's period must lie within it")


def verified(
    documents: Sequence[Document], keys: KeyDirectory, plan: Sequence[PlanIndicator]
) -> tuple[list[Entered], list[Refused]]:
    """The stored entries that still verify and fit the plan, oldest first; the others with the reason."""
    entered, refused = [], []
    for document in sorted(documents, key=lambda d: d["at"]):
        attributes = document["event"]
        try:
            keys.verify(attributes)
            if attributes.get("type") != INDICATOR_ENTERED:
                raise ValueError(f"type {attributes.get('type')!r} is not {INDICATOR_ENTERED}")
            entry = IndicatorEntry.model_validate(attributes["data"])
            check_against_plan(entry, plan)
        except (Rejected, ValidationError, ValueError) as problem:
            refused.append(Refused(str(document["_id"]), str(problem)))
            continue
        signed_at = datetime.fromisoformat(attributes["time"])
        entered.append(Entered(entry, signed_at, str(attributes.get("keyid", ""))))
    return entered, refused


def latest_per_period(entries: Sequence[Entered]) -> dict[tuple[str, date, date], Entered]:
    """For each indicator and period, the entry signed last (a correction replaces what it corrects)."""
    latest: dict[tuple[str, date, date], Entered] = {}
    for item in sorted(entries, key=lambda e: e.signed_at):
        latest[(item.entry.indicator, item.entry.period_start, item.entry.period_end)] = item
    return latest


def _database(ends: Endpoints) -> tuple[AsyncMongoClient[Document], AsyncDatabase[Document]]:
    client = mongo_client(ends.mongo_url)
    return client, client[database_name(ends.andina.database_prefix, OBSERVATORY)]


async def record_entry(ends: Endpoints, signed: dict[str, Any], entry: IndicatorEntry) -> None:
    """Keep the signed entry and append its audit entry, sealed into the chain before returning."""
    client, db = _database(ends)
    try:
        at = datetime.fromisoformat(signed["time"])
        await db[ENTRIES].insert_one({"_id": signed["id"], "at": at, "event": signed})
        trail = AuditTrail(db)
        await trail.ensure_indexes()
        audit = AuditEntry(
            id=f"{signed['id']}/{ENTERED}",
            at=at,
            action=ENTERED,
            actor=entry.entered_by,
            subject=entry.indicator,
            why=entry.source,
            on_behalf_of=OBSERVATORY,
            event_type=INDICATOR_ENTERED,
            detail={"period": f"{entry.period_start}/{entry.period_end}", "keyid": str(signed.get("keyid", ""))},
        )
        async with write_batch() as unit:
            await AuditLog(trail).bound(unit).append([audit])
        while await trail.seal() > 0:
            pass
    finally:
        await client.close()


async def enter(ends: Endpoints, entry: IndicatorEntry) -> dict[str, Any]:
    """Sign ``entry`` now with the observatory's key and record it; returns the signed event."""
    signed = signed_entry(SignerKey.load(ends.keys_dir, OBSERVATORY), entry, datetime.now(UTC))
    await record_entry(ends, signed, entry)
    return signed


async def stored_entries(ends: Endpoints) -> list[Document]:
    client, db = _database(ends)
    try:
        return [d async for d in db[ENTRIES].find()]
    finally:
        await client.close()


async def coordinator_entries(
    ends: Endpoints, plan: Sequence[PlanIndicator]
) -> tuple[dict[tuple[str, date, date], Entered], list[Refused]]:
    """The latest verified entry per indicator and period, and the entries refused, with the reason."""
    documents = await stored_entries(ends)
    entered, refused = verified(documents, KeyDirectory.load(ends.key_directory), plan)
    return latest_per_period(entered), refused
