"""The members' policies scene of ``andina demo`` and the ``andina policy`` commands' work, against the
service running in-process on this test's topics."""

from __future__ import annotations

from dataclasses import replace

import pytest

from andina.contract.events.policies import policy_accepted_type
from andina.deploy import demo_policies
from andina.deploy.policy_ops import explain, policies_in_force, send_policy
from andina.deploy.settings import Endpoints
from andina.intel_exchange import SERVICE
from andina.intel_exchange.app import create_app
from andina.intel_exchange.settings import Settings
from andina.shared.policy.members import example_text
from andina.shared.settings import AndinaSettings
from tests.conftest import ServiceSettingsFactory

pytestmark = pytest.mark.integration


def on_the_services_store(demo_endpoints: Endpoints, settings: Settings) -> Endpoints:
    """The demo's endpoints reading the store of the service this test runs (what the stack's demo reads)."""
    andina = AndinaSettings(
        topic_namespace=demo_endpoints.andina.topic_namespace, database_prefix=settings.database_prefix
    )
    return replace(demo_endpoints, andina=andina)


async def test_the_demo_shows_each_members_rule_holding_through_the_bus(
    service_settings: ServiceSettingsFactory,
    demo_endpoints: Endpoints,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = service_settings(Settings)
    async with create_app(settings).start_lifespan_context():
        await demo_policies.run(on_the_services_store(demo_endpoints, settings), patience=30.0)

    shown = " ".join(capsys.readouterr().out.split())  # as one line, however the console wrapped it
    assert all(f"{country}'s policy version" in shown for country in ("BO", "CO", "EC", "PE"))
    assert "PE's army got no hit" in shown
    assert "BO's records not searched" in shown
    assert "without a treaty refused" in shown
    assert "PE@v1/pe-full-record-needs-a-treaty" in shown
    assert "on a treaty reached PE" in shown
    assert "CO screened by document; BO's BO-POLICY-" in shown
    assert "its warrant without limit" in shown
    assert "deny EC@v1/ec-deportations-kept-5-years" in shown


async def test_the_operators_policy_commands_send_show_and_explain_on_the_running_service(
    service_settings: ServiceSettingsFactory, demo_endpoints: Endpoints
) -> None:
    settings = service_settings(Settings)
    ends = on_the_services_store(demo_endpoints, settings)
    async with create_app(settings).start_lifespan_context():
        accepted = await send_policy(ends, "CO", example_text("CO"), "Ley 1621", 30.0)
        refused = await send_policy(ends, "CO", "forbid (principal, action, resource", "", 30.0)
        engine, versions = await policies_in_force(ends)

    assert (accepted.type, accepted.data["version"]) == (policy_accepted_type(SERVICE), 1)
    assert (refused.data["reason"], refused.data["detail"].startswith("the policy does not parse")) == (
        "invalid-payload",
        True,
    )
    assert [(v["country"], v["version"], v["note"]) for v in versions] == [("CO", 1, "Ley 1621")]
    army = ["record_type=warrant"]
    decision = explain(engine, "PE/ejercito", "receive-record", "PersonRecord:CO-1", "CO", army, ["treaty="])
    assert (decision.permitted, decision.policy_ids) == (False, ("CO@v1/co-no-person-records-to-military",))
    assert explain(engine, "PE/dirincri", "receive-record", "PersonRecord:CO-1", "CO", army, ["treaty="]).permitted
