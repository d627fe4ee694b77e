"""Seizure reports on the real Kafka and store: one seizure, one report."""

from __future__ import annotations

import pytest

from andina.contract.client import AgencyClient
from andina.contract.envelope import Handling
from andina.contract.events import customs as types
from andina.customs.settings import Settings
from tests.customs_e2e import REJECTED, Partitions, running, send, stored
from tests.customs_samples import mercury_seizure
from tests.instances import scraped

pytestmark = pytest.mark.integration


async def report(agency: AgencyClient, data: dict[str, object], handling: Handling = Handling.H1) -> str:
    return await send(agency, types.SEIZURE_REPORTED, data, handling)


async def test_a_seizure_reported_twice_is_stored_once_and_recipients_see_one_seizure(
    settings: Settings, agencies: dict[str, AgencyClient], partitions: Partitions, mongo_url: str
) -> None:
    joint_view = {"office": "Desaguadero", "quantity": "0.305", "unit": "t", "reference": "ANB-2026-CD-118"}

    async with running(settings) as app:
        first = await report(agencies["PE"], mercury_seizure())
        again = await report(agencies["PE"], mercury_seizure(concealment="Cisterna con doble fondo"))
        recorded = await partitions.read("PE", [types.SEIZURE_RECORDED], count=2)
        from_bolivia = await report(agencies["BO"], mercury_seizure(**joint_view))
        [bolivia_recorded] = await partitions.read("BO", [types.SEIZURE_RECORDED])
        another = await report(agencies["PE"], mercury_seizure(quantity="40", reference="SUNAT-DEC-2026-0399"))
        seen_by_co = await partitions.read("CO", [types.SEIZURE_REPORT_DELIVERED], count=4)
        kept = await stored(mongo_url, settings, "seizures", count=2)
        seized = await scraped(app, "andina_customs_seized_total")

    assert [(r["data"]["report_id"], r["data"]["merged"], r["data"]["reports"]) for r in recorded] == [
        (first, False, 1),
        (again, True, 2),
    ]
    assert (bolivia_recorded["data"]["report_id"], bolivia_recorded["data"]["merged"]) == (from_bolivia, True)
    assert {r["data"]["seizure_id"] for r in [*recorded, bolivia_recorded]} == {first}
    assert [e["data"]["seizure_id"] for e in seen_by_co] == [first, first, first, another]
    assert sorted((d["_id"], len(d["reports"])) for d in kept) == sorted([(first, 3), (another, 1)])
    # For the Observatory: two seizures of mercury at Desaguadero, however often reported.
    mercury = {("hs_chapter", "28"), ("border_post", "desaguadero"), ("route", "BO-PE"), ("dimension", "mass")}
    assert seized == {frozenset(mercury): 2}


@pytest.mark.parametrize(
    ("changes", "handling", "reason"),
    [
        ({"commodity": {"hs_code": "999999", "description": "?"}}, Handling.H1, "invalid-payload"),
        ({"recipients": "all"}, Handling.H3, "unauthorized"),
        ({"recipients": ["PE"]}, Handling.H1, "invalid-payload"),
    ],
    ids=["unknown-hs", "h3-to-all", "only-to-itself"],
)
async def test_a_bad_seizure_report_is_refused_and_nothing_is_kept(
    settings: Settings,
    agencies: dict[str, AgencyClient],
    partitions: Partitions,
    mongo_url: str,
    changes: dict[str, object],
    handling: Handling,
    reason: str,
) -> None:

    async with running(settings):
        refused = await report(agencies["PE"], mercury_seizure(**changes), handling)
        [notice] = await partitions.read("PE", [REJECTED])
        kept = await stored(mongo_url, settings, "seizures", within=1.0)

    assert (notice["data"]["event_id"], notice["data"]["reason"]) == (refused, reason)
    assert kept == []
