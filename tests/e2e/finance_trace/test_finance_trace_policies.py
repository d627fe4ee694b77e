"""Members' policies at finance-trace, through the bus: Colombia sends (once, for every service) a rule
giving Peru no financial detail; Peru's request for a Colombian account's details is refused naming the rule
and never reaches Colombia, while Colombia's request to Peru goes ahead. Peru sends a rule that Bolivia may not
trace its transfers: Bolivia's trace does not show the party only Peru's report linked to Colombia's account,
Ecuador's does. Every decision is in the audit chain."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from andina.deploy.demo_finance_trace import trace_request
from andina.finance_trace.app import create_app
from andina.finance_trace.handlers.policies import DETAIL_REQUEST_REFUSED, TRACE_DECIDED
from andina.finance_trace.settings import Settings
from andina.shared.store import database_name, mongo_client
from tests.conftest import ServiceSettingsFactory
from tests.e2e.finance_trace.fius import Fius, of_type
from tests.e2e.finance_trace.test_finance_trace_requests import CO_ACCOUNT, PE_ACCOUNT, reversed_wire, wire
from tests.policy_e2e import in_force, policy_service, send_policy
from tests.unit.finance_trace.reporting import with_holders
from tests.unit.finance_trace.test_finance_handlers_policies import (
    BY_PE_AND_CO,
    BY_PE_ONLY,
    CO_DETAILS_NOT_FOR_PE,
    PE_TRACED_BY_NO_BOLIVIAN,
)

pytestmark = pytest.mark.integration

RULE, TRACE_RULE = "CO@v1/co-no-details-to-pe", "PE@v1/pe-no-traces-for-bo"


async def test_members_rules_refuse_the_detail_request_and_the_trace_parties_they_name_and_let_the_others_through(
    fius: Fius, service_settings: ServiceSettingsFactory, mongo_url: str
) -> None:
    settings = service_settings(Settings)
    finance = create_app(settings)
    async with finance.start_lifespan_context():
        await fius.send("PE", "report-submitted", with_holders(wire("PE-1", 30), CO_ACCOUNT, BY_PE_ONLY, BY_PE_AND_CO))
        await fius.send("CO", "report-submitted", with_holders(reversed_wire("CO-1", 10), CO_ACCOUNT, BY_PE_AND_CO))
        await fius.wait_for("PE", "subject-shared")
        async with policy_service(service_settings):
            await send_policy(fius.agencies["CO"], "CO", CO_DETAILS_NOT_FOR_PE, "Ley 526 de 1999")
            await send_policy(fius.agencies["PE"], "PE", PE_TRACED_BY_NO_BOLIVIAN, "Ley 27693")
            await in_force(finance, 2)
        refused = await fius.send(
            "PE", "detail-requested", {"subject": CO_ACCOUNT["ref"], "owner": "CO", "purpose": "1"}
        )
        await fius.send("CO", "detail-requested", {"subject": PE_ACCOUNT["ref"], "owner": "PE", "purpose": "2"})
        (refusal,) = await fius.wait_for("PE", "event-rejected")
        (received,) = await fius.wait_for("PE", "detail-request-received")
        seen_by_co = await fius.read("CO", lambda events: bool(of_type(events, "subject-shared")))
        trace = trace_request(CO_ACCOUNT["ref"], datetime.now(UTC))
        for tracer in ("BO", "EC"):
            await fius.send(tracer, "trace-requested", trace)
        traced = [(await fius.wait_for(tracer, "trace-completed"))[0] for tracer in ("BO", "EC")]
    client = mongo_client(mongo_url)
    audit = client[database_name(settings.database_prefix, "finance-trace")]["audit"]
    decided = await audit.find({"action": {"$in": [DETAIL_REQUEST_REFUSED, "detail-request"]}}).to_list()
    traces_decided = await audit.find({"action": TRACE_DECIDED}).sort("actor").to_list()
    await client.close()

    assert (refusal["data"]["event_id"], refusal["data"]["reason"]) == (str(refused.id), "unauthorized")
    assert f"{RULE}: Colombia gives Peru no financial detail" in refusal["data"]["detail"]
    assert received["data"]["requester"] == "CO"
    assert of_type(seen_by_co, "detail-request-received") == []
    assert sorted((a["action"], a["actor"], a["detail"]["policy"]) for a in decided) == [
        ("detail-request", "CO", "permit baseline/agencies-act-within-the-network"),
        (DETAIL_REQUEST_REFUSED, "PE", f"deny {RULE}"),
    ]
    holders = [{n["ref"]: n["holders"] for n in t["data"]["nodes"]}[CO_ACCOUNT["ref"]] for t in traced]
    assert holders == [[BY_PE_AND_CO], sorted([BY_PE_ONLY, BY_PE_AND_CO])]  # to Bolivia, to Ecuador
    assert [t["data"]["withheld"] for t in traced] == [
        {"PE": f"{TRACE_RULE}: Peru's transfers are not traced for Bolivia"},
        {},
    ]
    assert [(d["actor"], f"PE deny {TRACE_RULE}" in d["detail"]["policies"]) for d in traces_decided] == [
        ("BO", True),
        ("EC", False),
    ]
