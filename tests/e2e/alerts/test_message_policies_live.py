"""A member's policy at directed messages, through the bus: Ecuador sends (once, for every service) a rule
refusing Peru's messages; Peru's message to Colombia and Ecuador through alerts goes to neither, Peru is
told the rule and the refusal is audited; sent again to Colombia alone, it goes. Bolivia's message still
reaches Ecuador (Ecuador's rule names Peru's messages only)."""

from __future__ import annotations

import pytest

from andina.alerts.app import create_app
from andina.alerts.settings import Settings
from andina.contract.client import AgencyClient
from andina.contract.events.catalogs import alerts as catalog
from andina.shared.fanout import MESSAGE_REFUSED, MESSAGE_RELAYED
from tests.conftest import ServiceSettingsFactory
from tests.e2e.alerts.conftest import Reader
from tests.e2e.alerts.test_returns import stored
from tests.policy_e2e import in_force, policy_service, send_policy
from tests.unit.shared.test_message_policies import EC_TAKES_NO_MESSAGES_FROM_PE, PERMIT

pytestmark = pytest.mark.integration

RULE = "EC@v1/ec-no-messages-from-pe"
MESSAGE = {"subject": "Operativo conjunto", "body": "Coordinación en Huaquillas", "recipients": ["CO", "EC"]}


async def test_a_recipients_rule_refuses_the_whole_message_and_the_sender_sends_it_again_without_it(
    alerts_settings: Settings,
    service_settings: ServiceSettingsFactory,
    agencies: dict[str, AgencyClient],
    inbox: Reader,
    mongo_url: str,
) -> None:
    peru, bolivia = agencies["PE"], agencies["BO"]
    refused = peru.event(catalog.MESSAGE_SENT, MESSAGE)
    again = peru.event(catalog.MESSAGE_SENT, {**MESSAGE, "recipients": ["CO"]})
    from_bolivia = bolivia.event(catalog.MESSAGE_SENT, {**MESSAGE, "recipients": ["EC"]})

    alerts = create_app(alerts_settings)
    async with alerts.start_lifespan_context():
        async with policy_service(service_settings):
            await send_policy(agencies["EC"], "EC", EC_TAKES_NO_MESSAGES_FROM_PE)
            await in_force(alerts, 1)
        await peru.submit("alerts", refused)
        [told] = await inbox("PE", 1)
        await peru.submit("alerts", again)
        seen_by_co = await inbox("CO", 1)
        await bolivia.submit("alerts", from_bolivia)
        # Bolivia's message is handled after Peru's: had Peru's gone to Ecuador, it would come first.
        seen_by_ec = await inbox("EC", 1)
        [refusal] = await stored(alerts_settings, mongo_url, "audit", {"subject": f"message/{refused.id}"})
        [permit] = await stored(alerts_settings, mongo_url, "audit", {"subject": f"message/{again.id}"})

    assert (told.type, told.data["event_id"], told.data["reason"]) == (
        catalog.EVENT_REJECTED,
        str(refused.id),
        "unauthorized",
    )
    assert f"EC: {RULE}: Ecuador takes Peru's messages through its embassy" in told.data["detail"]
    assert [(e.type, e.data["message_id"]) for e in seen_by_co] == [(catalog.MESSAGE_DELIVERED, str(again.id))]
    assert seen_by_ec[0].data["message_id"] == str(from_bolivia.id)
    assert (refusal["action"], refusal["actor"], refusal["detail"]["policy"]) == (
        MESSAGE_REFUSED,
        "PE",
        f"EC deny {RULE}",
    )
    assert (permit["action"], permit["actor"], permit["detail"]["to"], permit["detail"]["policies"]) == (
        MESSAGE_RELAYED,
        "PE",
        "CO",
        f"CO {PERMIT}",
    )
