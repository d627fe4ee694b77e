"""A member's policy at customs, through the bus: Peru sends (once, for every service) a rule keeping
its customs findings from Ecuador; Peru's next seizure report, or the discrepancy between its export and
Ecuador's import, reaches the others but not Ecuador, Peru is told the rule, and the refusal is audited.
Bolivia's report, or discrepancy, still reaches Ecuador (Peru's rule touches Peru's data only)."""

from __future__ import annotations

import pytest
from faststream.asgi import AsgiFastStream

from andina.contract.client import AgencyClient
from andina.contract.events import customs as types
from andina.customs.handlers.policies import WITHHELD
from andina.customs.settings import Settings
from tests.conftest import ServiceSettingsFactory
from tests.customs_e2e import Partitions, running, send, stored
from tests.customs_samples import gold_export, gold_import, mercury_seizure
from tests.policy_e2e import in_force, policy_service, send_policy
from tests.unit.customs.test_customs_handlers_policies import PE_KEEPS_FINDINGS_FROM_EC

pytestmark = pytest.mark.integration

RULE = "PE@v1/pe-no-findings-to-ec"
REASON = "Peru shares no customs finding with Ecuador"
LIGHTER = {"gross_weight_kg": "84.7", "quantity": "84.2"}  # 30 % less than exported


async def enact_perus_rule(
    customs: AsgiFastStream, service_settings: ServiceSettingsFactory, agencies: dict[str, AgencyClient]
) -> None:
    """Peru sends its rule once, to the service that takes changes; customs puts it in force."""
    async with policy_service(service_settings):
        await send_policy(agencies["PE"], "PE", PE_KEEPS_FINDINGS_FROM_EC, "Acuerdo bilateral")
        await in_force(customs, 1)


async def test_a_members_rule_keeps_its_seizure_reports_from_the_refused_member_only(
    settings: Settings,
    service_settings: ServiceSettingsFactory,
    agencies: dict[str, AgencyClient],
    partitions: Partitions,
    mongo_url: str,
) -> None:
    async with running(settings) as customs:
        await enact_perus_rule(customs, service_settings, agencies)
        from_peru = await send(agencies["PE"], types.SEIZURE_REPORTED, mercury_seizure())
        [recorded] = await partitions.read("PE", [types.SEIZURE_RECORDED])
        await send(agencies["BO"], types.SEIZURE_REPORTED, mercury_seizure(quantity="40"))
        # Bolivia's report is handled after Peru's: had Peru's gone to Ecuador, it would come first.
        seen_by_ec = await partitions.read("EC", [types.SEIZURE_REPORT_DELIVERED])
        seen_by_co = await partitions.read("CO", [types.SEIZURE_REPORT_DELIVERED])
        [withheld] = await stored(mongo_url, settings, "audit", where=lambda d: d["action"] == WITHHELD)

    assert recorded["data"]["withheld"] == {"EC": f"{RULE}: {REASON}"}
    assert (seen_by_co[0]["data"]["seizure_id"], seen_by_co[0]["data"]["recipients"]) == (from_peru, ["BO", "CO"])
    assert seen_by_ec[0]["data"]["reporter"] == "BO"
    assert (withheld["actor"], withheld["detail"]["policy"]) == ("EC", f"deny {RULE}")


async def test_a_members_rule_keeps_its_export_from_the_refused_member_in_a_discrepancy_and_no_other(
    settings: Settings,
    service_settings: ServiceSettingsFactory,
    agencies: dict[str, AgencyClient],
    partitions: Partitions,
    mongo_url: str,
) -> None:
    from_peru = gold_export(partner="EC", transport_document="AWB 045-00000011")
    import_from_peru = gold_import(partner="PE", transport_document="AWB 045-00000011", **LIGHTER)
    from_bolivia = gold_export(partner="EC", transport_document="AWB 045-00000022")
    import_from_bolivia = gold_import(partner="BO", transport_document="AWB 045-00000022", **LIGHTER)

    async with running(settings) as customs:
        await enact_perus_rule(customs, service_settings, agencies)
        await send(agencies["PE"], types.DECLARATION_FILED, from_peru)
        await send(agencies["EC"], types.DECLARATION_FILED, import_from_peru)
        [told] = await partitions.read("PE", [types.DECLARATION_DISCREPANCY])
        await send(agencies["BO"], types.DECLARATION_FILED, from_bolivia)
        await send(agencies["EC"], types.DECLARATION_FILED, import_from_bolivia)
        # Bolivia's trade is handled after Peru's: had Peru's discrepancy gone to Ecuador, it would come first.
        seen_by_ec = await partitions.read("EC", [types.DECLARATION_DISCREPANCY])
        [seen_by_bo] = await partitions.read("BO", [types.DECLARATION_DISCREPANCY])
        [withheld] = await stored(mongo_url, settings, "audit", where=lambda d: d["action"] == WITHHELD)

    assert told["data"]["imported"]["number"] == import_from_peru["number"]  # Ecuador's data still reaches Peru
    assert told["data"]["withheld"] == {"EC": f"{RULE}: {REASON}"}
    assert [e["data"]["exported"]["number"] for e in seen_by_ec] == [from_bolivia["number"]]
    assert seen_by_bo["data"]["withheld"] == {}
    assert (withheld["actor"], withheld["detail"]["policy"]) == ("EC", f"deny {RULE}")
