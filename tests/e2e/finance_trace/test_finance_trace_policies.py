"""A member's policy at finance-trace, through the bus: Colombia sends (once, for every service) a rule
giving Peru no financial detail; Peru's request for a Colombian account's details is refused naming the rule
and never reaches Colombia, while Colombia's request to Peru goes ahead; both decisions are in the audit
chain."""

from __future__ import annotations

import pytest

from andina.finance_trace.app import create_app
from andina.finance_trace.handlers.policies import DETAIL_REQUEST_REFUSED
from andina.finance_trace.settings import Settings
from andina.shared.store import database_name, mongo_client
from tests.conftest import ServiceSettingsFactory
from tests.e2e.finance_trace.fius import Fius, of_type
from tests.e2e.finance_trace.test_finance_trace_requests import CO_ACCOUNT, PE_ACCOUNT, reversed_wire, wire
from tests.policy_e2e import in_force, policy_service, send_policy
from tests.unit.finance_trace.test_finance_handlers_policies import CO_DETAILS_NOT_FOR_PE

pytestmark = pytest.mark.integration

RULE = "CO@v1/co-no-details-to-pe"


async def test_a_members_rule_refuses_the_detail_request_it_names_and_lets_the_others_through(
    fius: Fius, service_settings: ServiceSettingsFactory, mongo_url: str
) -> None:
    settings = service_settings(Settings)
    finance = create_app(settings)
    async with finance.start_lifespan_context():
        await fius.send("PE", "report-submitted", wire("PE-1", 30))
        await fius.send("CO", "report-submitted", reversed_wire("CO-1", 10))
        await fius.wait_for("PE", "subject-shared")
        async with policy_service(service_settings):
            await send_policy(fius.agencies["CO"], "CO", CO_DETAILS_NOT_FOR_PE, "Ley 526 de 1999")
            await in_force(finance, 1)
        refused = await fius.send(
            "PE", "detail-requested", {"subject": CO_ACCOUNT["ref"], "owner": "CO", "purpose": "1"}
        )
        await fius.send("CO", "detail-requested", {"subject": PE_ACCOUNT["ref"], "owner": "PE", "purpose": "2"})
        (refusal,) = await fius.wait_for("PE", "event-rejected")
        (received,) = await fius.wait_for("PE", "detail-request-received")
        seen_by_co = await fius.read("CO", lambda events: bool(of_type(events, "subject-shared")))
    client = mongo_client(mongo_url)
    audit = client[database_name(settings.database_prefix, "finance-trace")]["audit"]
    decided = await audit.find({"action": {"$in": [DETAIL_REQUEST_REFUSED, "detail-request"]}}).to_list()
    await client.close()

    assert (refusal["data"]["event_id"], refusal["data"]["reason"]) == (str(refused.id), "unauthorized")
    assert f"{RULE}: Colombia gives Peru no financial detail" in refusal["data"]["detail"]
    assert received["data"]["requester"] == "CO"
    assert of_type(seen_by_co, "detail-request-received") == []
    assert sorted((a["action"], a["actor"], a["detail"]["policy"]) for a in decided) == [
        ("detail-request", "CO", "permit baseline/agencies-act-within-the-network"),
        (DETAIL_REQUEST_REFUSED, "PE", f"deny {RULE}"),
    ]
