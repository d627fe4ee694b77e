"""Shared risk indicators on the real Kafka and store: EC's indicator hit by CO's import."""

from __future__ import annotations

import pytest

from andina.contract.client import AgencyClient
from andina.contract.events import customs as types
from andina.contract.events.signals import SIGNALS, alert_requested_type
from andina.customs.settings import Settings
from tests.customs_e2e import REJECTED, SERVICE, Partitions, running, send, stored
from tests.customs_samples import gold_import

pytestmark = pytest.mark.integration

SHELL_COMPANY = {
    "kind": "company",
    "value": "900.123.456",
    "reason": "Comprador de oro vinculado a minería ilegal",
    "severity": "high",
    "expires_on": "2027-06-30",
}


async def test_a_declaration_matching_an_indicator_is_a_hit_for_the_owner_and_the_declaring_country_only(
    settings: Settings, agencies: dict[str, AgencyClient], partitions: Partitions, mongo_url: str
) -> None:

    async with running(settings):
        indicator_id = await send(agencies["EC"], types.RISK_INDICATOR_PUBLISHED, SHELL_COMPANY)
        await stored(mongo_url, settings, "risk_indicators")
        import_id = await send(agencies["CO"], types.DECLARATION_FILED, gold_import())
        hits = {c: await partitions.read(c, [types.RISK_HIT]) for c in ("EC", "CO")}
        [alert] = await partitions.read("CO", [alert_requested_type(SERVICE)], stream=SIGNALS)
        others = {c: await partitions.read(c, [types.RISK_HIT], within=2.0) for c in ("PE", "BO")}

    for country in ("EC", "CO"):
        [hit] = hits[country]
        assert (hit["causationid"], hit["data"]["indicator_id"]) == (import_id, indicator_id)
        assert (hit["data"]["owner"], hit["data"]["matched"]) == ("EC", "900123456")
        assert hit["data"]["declaration"]["country"] == "CO"
    assert (alert["data"]["signal"], alert["data"]["recipients"]) == ("customs-risk-hit", ["CO", "EC"])
    assert others == {"PE": [], "BO": []}


async def test_a_withdrawn_indicator_is_hit_no_more_and_only_its_owner_withdraws_it(
    settings: Settings, agencies: dict[str, AgencyClient], partitions: Partitions, mongo_url: str
) -> None:

    async with running(settings):
        indicator_id = await send(agencies["EC"], types.RISK_INDICATOR_PUBLISHED, SHELL_COMPANY)
        await stored(mongo_url, settings, "risk_indicators")
        intruder = await send(agencies["PE"], types.RISK_INDICATOR_WITHDRAWN, {"indicator_id": indicator_id})
        [refused] = await partitions.read("PE", [REJECTED])
        await send(agencies["EC"], types.RISK_INDICATOR_WITHDRAWN, {"indicator_id": indicator_id})
        await stored(mongo_url, settings, "risk_indicators", where=lambda d: d["withdrawn_by"] is not None)
        await send(agencies["CO"], types.DECLARATION_FILED, gold_import())
        await stored(mongo_url, settings, "declarations")
        hits = await partitions.read("CO", [types.RISK_HIT], within=2.0)

    assert (refused["data"]["event_id"], refused["data"]["reason"]) == (intruder, "unauthorized")
    assert hits == []
