"""A member's policy at customs, through the bus: Peru sends (once, for every service) a rule keeping
its customs findings from Ecuador; Peru's next seizure report reaches the others but not Ecuador, Peru
is told the rule, and the refusal is audited. Bolivia's report still reaches Ecuador (Peru's rule
touches Peru's data only)."""

from __future__ import annotations

import pytest

from andina.customs.handlers.policies import WITHHELD
from andina.customs.settings import Settings
from andina.shared.client import AgencyClient
from andina.shared.events import customs as types
from tests.conftest import ServiceSettingsFactory
from tests.customs_e2e import Partitions, running, send, stored
from tests.customs_samples import mercury_seizure
from tests.policy_e2e import in_force, policy_service, send_policy
from tests.unit.customs.test_customs_handlers_policies import PE_KEEPS_FINDINGS_FROM_EC

pytestmark = pytest.mark.integration

RULE = "PE@v1/pe-no-findings-to-ec"


async def test_a_members_rule_keeps_its_seizure_reports_from_the_refused_member_only(
    settings: Settings,
    service_settings: ServiceSettingsFactory,
    agencies: dict[str, AgencyClient],
    partitions: Partitions,
    mongo_url: str,
) -> None:
    async with running(settings) as customs, policy_service(service_settings):
        await send_policy(agencies["PE"], "PE", PE_KEEPS_FINDINGS_FROM_EC, "Acuerdo bilateral")
        await in_force(customs, 1)
        from_peru = await send(agencies["PE"], types.SEIZURE_REPORTED, mercury_seizure())
        [recorded] = await partitions.read("PE", [types.SEIZURE_RECORDED])
        await send(agencies["BO"], types.SEIZURE_REPORTED, mercury_seizure(quantity="40"))
        # Bolivia's report is handled after Peru's: had Peru's gone to Ecuador, it would come first.
        seen_by_ec = await partitions.read("EC", [types.SEIZURE_REPORT_DELIVERED])
        seen_by_co = await partitions.read("CO", [types.SEIZURE_REPORT_DELIVERED])
        [withheld] = await stored(mongo_url, settings, "audit", where=lambda d: d["action"] == WITHHELD)

    assert recorded["data"]["withheld"] == {"EC": f"{RULE}: Peru shares no customs finding with Ecuador"}
    assert (seen_by_co[0]["data"]["seizure_id"], seen_by_co[0]["data"]["recipients"]) == (from_peru, ["BO", "CO"])
    assert seen_by_ec[0]["data"]["reporter"] == "BO"
    assert (withheld["actor"], withheld["detail"]["policy"]) == ("EC", f"deny {RULE}")
