"""Declaration cross-checks on the real Kafka and store: PE's export against CO's import of the same shipment."""

from __future__ import annotations

import datetime as dt

import pytest

from andina.contract.client import AgencyClient
from andina.contract.events import customs as types
from andina.contract.events.signals import SIGNALS, alert_requested_type
from andina.customs.settings import Settings
from tests.customs_e2e import REJECTED, SERVICE, Partitions, running, send, stored
from tests.customs_samples import gold_export, gold_import

pytestmark = pytest.mark.integration

LIGHTER = {"gross_weight_kg": "84.7", "quantity": "84.2"}  # 30 % less than exported


async def file(agency: AgencyClient, payload: dict[str, object]) -> str:
    return await send(agency, types.DECLARATION_FILED, payload)


async def test_a_gold_import_30_percent_lighter_than_its_export_is_a_discrepancy_for_both_countries_only(
    settings: Settings, agencies: dict[str, AgencyClient], partitions: Partitions
) -> None:
    export, imported = gold_export(), gold_import(**LIGHTER)

    async with running(settings):
        export_id = await file(agencies["PE"], export)
        import_id = await file(agencies["CO"], imported)
        found = {c: await partitions.read(c, [types.DECLARATION_DISCREPANCY]) for c in ("PE", "CO")}
        alert = await partitions.read("CO", [alert_requested_type(SERVICE)], stream=SIGNALS)
        others = {c: await partitions.read(c, [types.DECLARATION_DISCREPANCY], within=2.0) for c in ("BO", "EC")}

    for country in ("PE", "CO"):
        [event] = found[country]
        finding = event["data"]
        assert event["causationid"] in {export_id, import_id}  # whichever the service handled second
        assert event["signer"] == SERVICE
        assert (finding["exported"]["number"], finding["imported"]["number"]) == (export["number"], imported["number"])
        assert {d["compared"] for d in finding["differences"]} == {"gross-weight", "quantity"}
        assert finding["method"] == "transport-document"
    assert found["PE"][0]["data"] == found["CO"][0]["data"]
    assert found["PE"][0]["data"]["severity"] == "critical"  # high, one step up for gold
    assert (alert[0]["data"]["signal"], alert[0]["data"]["recipients"]) == ("customs-discrepancy", ["CO", "PE"])
    assert others == {"BO": [], "EC": []}


async def test_an_import_paired_by_score_before_its_own_export_came_is_paired_again_and_the_finding_withdrawn(
    settings: Settings, agencies: dict[str, AgencyClient], partitions: Partitions
) -> None:
    """A burst: CO's import arrives before PE's export of it, so it is first paired with another PE export."""
    dates = {"declared_on": "2026-10-09", "crossed_on": "2026-10-09"}
    other_export = gold_export(transport_document="AWB 045-00000001", declared_on="2026-10-01", crossed_on="2026-10-01")
    own_export = gold_export(transport_document="AWB 045-00000002", **dates, **LIGHTER)
    own_import = gold_import(transport_document="AWB 045-00000002", declared_on="2026-10-11", **LIGHTER)
    later = gold_import(declared_on="2026-11-05", crossed_on="2026-11-05", partner="EC")  # CO files past Oct 31

    async with running(settings):
        await file(agencies["PE"], other_export)
        await file(agencies["CO"], own_import)
        [wrong] = await partitions.read("CO", [types.DECLARATION_DISCREPANCY])
        await file(agencies["PE"], own_export)
        [withdrawn] = await partitions.read("CO", [types.DISCREPANCY_WITHDRAWN])
    async with running(settings):  # the release is kept in the store
        await file(agencies["CO"], later)
        [unmatched] = await partitions.read("PE", [types.UNMATCHED_SHIPMENT])

    assert (wrong["data"]["exported"]["number"], wrong["data"]["method"]) == (other_export["number"], "scored")
    assert withdrawn["data"]["supersedes"] == wrong["data"]["finding_id"]
    assert withdrawn["id"] != wrong["id"]
    assert unmatched["data"]["exported"]["number"] == other_export["number"]  # it waits again, and waits in vain


async def test_a_new_instance_still_matches_an_export_the_previous_one_stored(
    settings: Settings, agencies: dict[str, AgencyClient], partitions: Partitions, mongo_url: str
) -> None:
    export = gold_export(transport_document=None)  # found again by score, not only by document

    async with running(settings):
        await file(agencies["PE"], export)
        await stored(mongo_url, settings, "declarations")
    async with running(settings):
        await file(agencies["CO"], gold_import(transport_document=None, **LIGHTER))
        [event] = await partitions.read("CO", [types.DECLARATION_DISCREPANCY])

    assert event["data"]["exported"]["number"] == export["number"]
    assert event["data"]["method"] == "scored"


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        ({"hs_code": "719999"}, "unknown HS code 719999"),
        ({"quantity": "-5"}, "greater than 0"),
        ({"quantity": "5000"}, "exceeds the gross weight"),
        ({"value": {"amount": "100", "currency": "XAU"}}, "no exchange rate for currency XAU"),
    ],
    ids=["unknown-hs", "negative-quantity", "absurd-quantity", "currency-without-rate"],
)
async def test_a_bad_declaration_is_refused_to_its_sender_and_nothing_is_kept(
    settings: Settings,
    agencies: dict[str, AgencyClient],
    partitions: Partitions,
    mongo_url: str,
    changes: dict[str, object],
    detail: str,
) -> None:
    async with running(settings):
        refused_id = await file(agencies["PE"], gold_export(**changes))
        [notice] = await partitions.read("PE", [REJECTED], where=lambda e: e["data"]["event_id"] == refused_id)
        valid_id = await file(agencies["PE"], gold_export())  # the next one is handled: the refusal stopped nothing
        kept = await stored(mongo_url, settings, "declarations")

    assert notice["data"]["reason"] == "invalid-payload"
    assert detail in notice["data"]["detail"]
    assert [d["event_id"] for d in kept] == [valid_id]


async def test_a_declaration_number_filed_twice_is_refused_as_duplicate(
    settings: Settings, agencies: dict[str, AgencyClient], partitions: Partitions
) -> None:
    export = gold_export()

    async with running(settings):
        await file(agencies["PE"], export)
        again = await file(agencies["PE"], {**export, "declared_on": dt.date(2026, 11, 19).isoformat()})
        [notice] = await partitions.read("PE", [REJECTED])

    assert (notice["data"]["event_id"], notice["data"]["reason"]) == (again, "duplicate")
