"""A member's policy at alerts, through the bus: Peru sends (once, for every service) a rule keeping its
alerts about persons from Ecuador; Peru's next FLASH alert about a missing person reaches Colombia but not
Ecuador, Peru is told the rule, and both decisions are audited. Bolivia's alert still reaches Ecuador
(Peru's rule touches Peru's alerts only)."""

from __future__ import annotations

import pytest

from andina.alerts.app import create_app
from andina.alerts.handlers.policies import SENT
from andina.alerts.settings import Settings
from andina.contract.client import AgencyClient
from andina.contract.events.catalogs import alerts as catalog
from tests.conftest import ServiceSettingsFactory
from tests.e2e.alerts.conftest import Reader
from tests.e2e.alerts.test_returns import stored
from tests.policy_e2e import in_force, policy_service, send_policy
from tests.unit.alerts.test_alert_policies import PE_NO_PERSON_ALERTS_TO_EC, PE_REFUSAL, PE_RULE, PERMIT

pytestmark = pytest.mark.integration

MISSING_CHILD = {
    "priority": "FLASH",
    "category": "missing-person",
    "title": "Menor desaparecida, posible cruce por Aguas Verdes",
    "facts": "Niña de 9 años, vista por última vez en Tumbes.",
    "recipients": ["CO", "EC"],
}


async def test_a_members_rule_keeps_its_alerts_from_the_refused_member_only(
    alerts_settings: Settings,
    service_settings: ServiceSettingsFactory,
    agencies: dict[str, AgencyClient],
    inbox: Reader,
    mongo_url: str,
) -> None:
    peru, bolivia = agencies["PE"], agencies["BO"]
    from_peru = peru.event(catalog.ALERT_RAISED, MISSING_CHILD)
    from_bolivia = bolivia.event(catalog.ALERT_RAISED, {**MISSING_CHILD, "recipients": ["EC"]})

    alerts = create_app(alerts_settings)
    async with alerts.start_lifespan_context():
        async with policy_service(service_settings):
            await send_policy(peru, "PE", PE_NO_PERSON_ALERTS_TO_EC)
            await in_force(alerts, 1)
        await peru.submit("alerts", from_peru)
        [withheld] = await inbox("PE", 1)
        await bolivia.submit("alerts", from_bolivia)
        # Bolivia's alert is handled after Peru's: had Peru's gone to Ecuador, it would come first.
        seen_by_ec = await inbox("EC", 1)
        seen_by_co = await inbox("CO", 1)
        audited = await stored(alerts_settings, mongo_url, "audit", {"subject": f"alert/{from_peru.id}"})

    assert (withheld.type, withheld.data["withheld"]) == (catalog.ALERT_WITHHELD, {"EC": PE_REFUSAL})
    assert (seen_by_co[0].type, seen_by_co[0].data["alert_id"]) == (catalog.ALERT_DELIVERED, str(from_peru.id))
    assert seen_by_ec[0].data["alert_id"] == str(from_bolivia.id)
    [entry] = audited
    assert (entry["action"], entry["actor"], entry["detail"]["to"], entry["detail"]["withheld"]) == (
        SENT,
        "PE",
        "CO",
        "EC",
    )
    assert entry["detail"]["policies"] == f"CO {PERMIT}; EC deny {PE_RULE}"
