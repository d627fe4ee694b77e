"""Findings follow declared dates, not arrival: the same filings paced or replayed at once give the same findings."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
from typing import Any

import orjson
import pytest

from andina.contract.client import AgencyClient
from andina.contract.events import customs as types
from andina.customs.settings import Settings
from tests.customs_e2e import Partitions, running, send, stored
from tests.customs_samples import gold_export, gold_import
from tests.id_contract import reused_ids

pytestmark = pytest.mark.integration

START = dt.date(2026, 9, 1)
USD = {"amount": "9640000", "currency": "USD"}
Filing = tuple[int, str, dict[str, Any]]  # (day filed, filing country, declaration)


def on(day: int) -> str:
    return (START + dt.timedelta(days=day)).isoformat()


def shipment(run: str, n: int, lane: str, day: int, import_day: int | None, **imported: Any) -> list[Filing]:
    """One shipment on ``lane`` ("PE>CO"), exported on ``day``; without ``import_day`` it never arrives."""
    exporter, importer = lane.split(">")
    document = f"AWB 045-{n:08d}"
    export = gold_export(
        number=f"{run}-{exporter}-EX-{n}",
        declared_on=on(day),
        crossed_on=on(day),
        partner=importer,
        value=USD,
        transport_document=document,
    )
    if import_day is None:
        return [(day, exporter, export)]
    changes = {"declared_on": on(import_day), "crossed_on": on(import_day), **imported}
    arrived = gold_import(number=f"{run}-{importer}-IM-{n}", partner=exporter, transport_document=document, **changes)
    return [(day, exporter, export), (import_day, importer, arrived)]


def two_months_of_filings(run: str) -> list[tuple[str, dict[str, Any]]]:
    """(filing country, declaration) in the order of their declared dates."""
    shipments = [
        shipment(run, 1, "PE>CO", 0, 2, gross_weight_kg="84.7", quantity="84.2"),  # 30 % lighter: a discrepancy
        shipment(run, 2, "BO>PE", 1, None),  # never imported: PE files past its deadline (day 31) on day 38
        shipment(run, 3, "CO>EC", 3, 4),
        shipment(run, 4, "EC>BO", 5, 7, hs_code="261690"),  # other goods declared on import: a discrepancy
        shipment(run, 5, "PE>CO", 20, 22),
        shipment(run, 6, "CO>PE", 36, 38),
        shipment(run, 7, "EC>BO", 40, None),  # never imported, but BO has not filed past day 70: not yet a finding
    ]
    filings = sorted(itertools.chain(*shipments), key=lambda filing: filing[0])
    return [(country, declaration) for _, country, declaration in filings]


def subject(number: str) -> str:
    """A declaration number without its run: "replayed-PE-EX-1" -> "PE-EX-1"."""
    return number.split("-", 1)[1]


async def emitted(mongo_url: str, settings: Settings, declarations: int) -> list[dict[str, Any]]:
    """Every event the service emitted for the filings, as recorded with the filings that raised them."""
    kept = await stored(mongo_url, settings, "declarations", count=declarations)
    return [output["attributes"] for document in kept for output in orjson.loads(document["outputs"])]


def findings(events: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    """(kind, export, import) of each finding."""
    found = set()
    for event in events:
        if event["type"] in (types.DECLARATION_DISCREPANCY, types.UNMATCHED_SHIPMENT):
            imported = event["data"].get("imported", {}).get("number")
            kind = event["type"].split(".")[-2]
            found.add((kind, subject(event["data"]["exported"]["number"]), subject(imported) if imported else ""))
    return found


async def test_the_same_filings_paced_or_replayed_at_once_give_the_same_findings(
    settings: Settings, agencies: dict[str, AgencyClient], mongo_url: str
) -> None:
    paced, replayed = settings, settings.model_copy(update={"database_prefix": f"{settings.database_prefix}replay_"})

    async with running(paced):
        for country, declaration in two_months_of_filings("paced"):
            await send(agencies[country], types.DECLARATION_FILED, declaration)
            await asyncio.sleep(0.2)  # each in its own poll batch, as filed day by day
        events_paced = await emitted(mongo_url, paced, 12)
    for country, declaration in two_months_of_filings("replayed"):  # a backlog, handled in a batch or two
        await send(agencies[country], types.DECLARATION_FILED, declaration)
    async with running(replayed):
        events_replayed = await emitted(mongo_url, replayed, 12)

    found_paced = findings(events_paced)
    assert found_paced == {
        ("declaration-discrepancy", "PE-EX-1", "CO-IM-1"),
        ("unmatched-shipment", "BO-EX-2", ""),
        ("declaration-discrepancy", "EC-EX-4", "BO-IM-4"),
    }
    assert findings(events_replayed) == found_paced
    assert reused_ids(events_paced + events_replayed) == {}


async def test_an_export_is_reported_unmatched_to_both_ends_once_the_importer_has_filed_past_its_deadline(
    settings: Settings, agencies: dict[str, AgencyClient], partitions: Partitions
) -> None:
    export = gold_export(declared_on="2026-10-01", crossed_on="2026-10-01", value=USD)
    later = gold_import(declared_on="2026-11-04", crossed_on="2026-11-04", partner="EC")  # another lane's

    async with running(settings):
        export_id = await send(agencies["PE"], types.DECLARATION_FILED, export)
        await send(agencies["CO"], types.DECLARATION_FILED, later)  # CO has filed past Oct 31 + 3 days of lateness
        found = {c: await partitions.read(c, [types.UNMATCHED_SHIPMENT]) for c in ("PE", "CO")}

    for country in ("PE", "CO"):
        [event] = found[country]
        assert event["causationid"] == export_id
        assert (event["data"]["exported"]["number"], event["data"]["due_by"]) == (export["number"], "2026-10-31")


async def test_an_export_whose_partner_files_nothing_new_is_reported_unmatched_after_the_fallback_wait(
    settings: Settings, agencies: dict[str, AgencyClient], partitions: Partitions
) -> None:
    export = gold_export()
    quick = settings.model_copy(update={"customs_unmatched_fallback_days": 2 / 86_400})

    async with running(quick):
        export_id = await send(agencies["PE"], types.DECLARATION_FILED, export)
        found = {c: await partitions.read(c, [types.UNMATCHED_SHIPMENT], within=45.0) for c in ("PE", "CO")}

    for country in ("PE", "CO"):
        [event] = found[country]
        assert event["causationid"] == export_id
        assert event["data"]["exported"]["number"] == export["number"]
