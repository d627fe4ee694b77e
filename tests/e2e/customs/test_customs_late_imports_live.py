"""An import filed after its export was reported unmatched: both ends get the withdrawal, then the pair's finding."""

from __future__ import annotations

import pytest

from andina.contract.client import AgencyClient
from andina.contract.events import customs as types
from andina.customs.settings import Settings
from tests.customs_e2e import Partitions, running, send
from tests.customs_samples import gold_export, gold_import
from tests.id_contract import reused_ids

pytestmark = pytest.mark.integration

USD = {"amount": "9640000", "currency": "USD"}
FINDINGS = [types.UNMATCHED_SHIPMENT, types.UNMATCHED_SHIPMENT_WITHDRAWN, types.DECLARATION_DISCREPANCY]


async def test_an_import_filed_after_its_export_was_reported_unmatched_withdraws_the_finding(
    settings: Settings, agencies: dict[str, AgencyClient], partitions: Partitions
) -> None:
    export = gold_export(declared_on="2026-10-01", crossed_on="2026-10-01", value=USD)
    later = gold_import(declared_on="2026-11-05", crossed_on="2026-11-05", partner="EC")  # another lane's
    late = gold_import(declared_on="2026-10-02", crossed_on="2026-10-02", gross_weight_kg="84.7", quantity="84.2")

    async with running(settings):
        await send(agencies["PE"], types.DECLARATION_FILED, export)
        await send(agencies["CO"], types.DECLARATION_FILED, later)  # CO has filed past Oct 31 + 3 days of lateness
        [reported] = await partitions.read("PE", [types.UNMATCHED_SHIPMENT])
        late_id = await send(agencies["CO"], types.DECLARATION_FILED, late)
        found = {country: await partitions.read(country, FINDINGS, count=3) for country in ("PE", "CO")}

    for country in ("PE", "CO"):
        by_type = {event["type"]: event for event in found[country]}
        withdrawn = by_type[types.UNMATCHED_SHIPMENT_WITHDRAWN]
        assert withdrawn["causationid"] == late_id
        assert (withdrawn["data"]["supersedes"], withdrawn["data"]["revision"]) == (reported["data"]["finding_id"], 2)
        assert withdrawn["data"]["imported"]["number"] == late["number"]
        discrepancy = by_type[types.DECLARATION_DISCREPANCY]["data"]
        assert (discrepancy["exported"]["number"], discrepancy["imported"]["number"]) == (
            export["number"],
            late["number"],
        )
    assert reused_ids(found["PE"] + found["CO"]) == {}


async def test_a_service_restarted_after_the_report_still_withdraws_it_when_the_import_comes(
    settings: Settings, agencies: dict[str, AgencyClient], partitions: Partitions
) -> None:
    export = gold_export(declared_on="2026-10-01", crossed_on="2026-10-01", value=USD)
    later = gold_import(declared_on="2026-11-05", crossed_on="2026-11-05", partner="EC")

    async with running(settings):
        await send(agencies["PE"], types.DECLARATION_FILED, export)
        await send(agencies["CO"], types.DECLARATION_FILED, later)
        [reported] = await partitions.read("PE", [types.UNMATCHED_SHIPMENT])
    async with running(settings):  # a new process: what is pending, and what was reported, comes from the store
        await send(agencies["CO"], types.DECLARATION_FILED, gold_import(declared_on="2026-10-02"))
        [withdrawn] = await partitions.read("CO", [types.UNMATCHED_SHIPMENT_WITHDRAWN])

    assert withdrawn["data"]["supersedes"] == reported["data"]["finding_id"]
