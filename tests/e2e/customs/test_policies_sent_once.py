"""One policy change, sent once by the member, changes decisions on every service that reads the policies
topic: here customs (a seizure report withheld) and the Banco Andino (an intelligence report refused).
The time from the send to "in force" on each is printed, never asserted (speed belongs in bench/)."""

from __future__ import annotations

import time

import pytest

from andina.contract.client import AgencyClient
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Handling
from andina.contract.events import customs as types
from andina.contract.events.catalogs.intel_exchange import POLICY_ACCEPTED, REPORT_DELIVERED, REPORT_SUBMITTED
from andina.contract.events.catalogs.intel_exchange import SERVICE as POLICY_SERVICE
from andina.contract.topics import TopicRegistry
from andina.customs.settings import Settings
from tests.conftest import Keys, ServiceSettingsFactory
from tests.customs_e2e import Partitions, running, send
from tests.customs_samples import mercury_seizure
from tests.e2e.intel_exchange.partitions import Bus
from tests.e2e.intel_exchange.test_intel_reports import ROUTE_REPORT
from tests.policy_e2e import in_force, policy_service, send_policy
from tests.unit.customs.test_customs_handlers_policies import PE_KEEPS_FINDINGS_FROM_EC
from tests.unit.shared.test_policy_engine import REPORTS_RULE

pytestmark = pytest.mark.integration


async def test_a_policy_sent_once_changes_decisions_at_customs_and_at_the_banco_andino(
    settings: Settings,
    service_settings: ServiceSettingsFactory,
    agencies: dict[str, AgencyClient],
    partitions: Partitions,
    kafka_bootstrap: str,
    topics: TopicRegistry,
    countries: CountryRegistry,
    keys: Keys,
) -> None:
    pe = agencies["PE"]
    bus = Bus(kafka_bootstrap, topics, countries, keys)
    report = ROUTE_REPORT | {"recipients": ["BO"]}
    async with running(settings) as customs, policy_service(service_settings) as intel:
        await send(pe, types.SEIZURE_REPORTED, mercury_seizure())
        [before_customs] = await partitions.read("PE", [types.SEIZURE_RECORDED])
        before_intel = pe.event(REPORT_SUBMITTED, report, Handling.H3)
        await pe.submit(POLICY_SERVICE, before_intel)
        await bus.read("BO", lambda events: any(e["type"] == REPORT_DELIVERED for e in events))

        sent_at = time.perf_counter()
        change = await send_policy(pe, "PE", PE_KEEPS_FINDINGS_FROM_EC + REPORTS_RULE, "Acuerdo bilateral")
        seconds = {}
        for name, app in (("intel-exchange", intel), ("customs", customs)):
            await in_force(app, 1)
            seconds[name] = time.perf_counter() - sent_at
        print(f"\nfrom the send to in force: {', '.join(f'{s} {t:.3f} s' for s, t in seconds.items())}")

        await send(pe, types.SEIZURE_REPORTED, mercury_seizure(quantity="40"))
        after_customs = (await partitions.read("PE", [types.SEIZURE_RECORDED], count=2))[1]
        after_intel = pe.event(REPORT_SUBMITTED, report, Handling.H3)
        await pe.submit(POLICY_SERVICE, after_intel)
        pe_events = await bus.read(
            "PE", lambda events: any(e.get("causationid") == str(after_intel.id) for e in events)
        )

    [accepted] = [e["data"] for e in pe_events if e["type"] == POLICY_ACCEPTED and e["causationid"] == str(change.id)]
    assert accepted["version"] == 1
    assert before_customs["data"]["withheld"] == {}
    assert list(after_customs["data"]["withheld"]) == ["EC"]
    [answer] = [e for e in pe_events if e.get("causationid") == str(after_intel.id)]
    assert answer["data"]["reason"] == "unauthorized"
    assert "PE@v1/pe-no-h3-reports-to-bo" in answer["data"]["detail"]
