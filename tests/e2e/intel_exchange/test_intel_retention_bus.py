"""EC's retention, the deny path through the bus: a deportation record past the limit of EC's version
in force no longer hits and is not released, while EC's warrant still hits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from andina.contract.client import AgencyClient
from andina.contract.events.intel_exchange import intel_type
from andina.intel_exchange.app import create_app
from andina.intel_exchange.settings import Settings
from andina.shared.policy.members import example_text
from tests.conftest import ServiceSettingsFactory
from tests.e2e.intel_exchange.partitions import Bus, of_type, only
from tests.e2e.intel_exchange.test_intel_policies import BY_DOCUMENT, audit_of, file, record_of, send_policy
from tests.e2e.intel_exchange.test_intel_rejections import rejections

pytestmark = pytest.mark.integration


EC_DEPORTATIONS_NO_LONGER_KEPT = """
@id("ec-deportations-no-longer-kept")
@reason("Ecuador no longer keeps deportation records at the Banco Andino")
forbid (principal, action == Action::"keep", resource is PersonRecord)
when { resource.owner == Country::"EC" && resource.record_type == "deportation" && context.age_days >= 0 };
"""


async def test_ec_deportation_record_past_its_retention_stops_hitting_and_is_not_released_but_its_warrant_is(
    service_settings: ServiceSettingsFactory, agencies: dict[str, AgencyClient], bus: Bus, mongo_url: str
) -> None:
    """The deny path of EC's retention with the service's own clock: five years cannot pass in a test, so EC
    sends a version whose limit every record held has already reached. A limit of 0 days (refused from
    ``age_days >= 0``, the smallest the schema's ``Long`` expresses, an age never being negative) is that
    honestly: a record is past it on the day it is filed. It takes the path of a law that shortens
    (each record judged again, each expired at once audited as ``record-expired`` with the rule); a
    record reaching its limit by the calendar is refused the same way, unaudited (the unit tests move a
    clock, tests/unit/intel_exchange/test_intel_retention.py)."""
    settings = service_settings(Settings)
    co = agencies["CO"]
    async with create_app(settings).start_lifespan_context():
        await send_policy(agencies, bus, "EC", example_text("EC"))
        await file(agencies, bus, record_of("EC", 4, "deportation"))
        await file(agencies, bus, record_of("EC", 5))
        before = co.event(intel_type("screening-requested"), BY_DOCUMENT)
        await co.submit(Bus.SERVICE, before)
        await bus.read("CO", of_type("screening-answered"))
        await send_policy(agencies, bus, "EC", EC_DEPORTATIONS_NO_LONGER_KEPT)
        await co.submit(Bus.SERVICE, co.event(intel_type("screening-requested"), BY_DOCUMENT))
        request = {"screening_id": str(before.id), "record_id": "EC-2026-4", "reason": "held at Huaquillas"}
        await co.submit(Bus.SERVICE, co.event(intel_type("record-requested"), request))
        co_events = await bus.read("CO", lambda e: of_type("screening-answered", 2)(e) and len(rejections(e)) >= 1)

    hits = [sorted(h["record_id"] for h in answer["hits"]) for answer in only(co_events, "screening-answered")]
    assert hits == [["EC-2026-4", "EC-2026-5"], ["EC-2026-5"]]
    rule = "EC@v2/ec-deportations-no-longer-kept"
    [refusal] = [e["data"]["detail"] for e in co_events if "event-rejected" in e["type"]]
    assert refusal == (
        f"refused by the policies in force: {rule}: Ecuador no longer keeps deportation records at the Banco Andino"
    )
    audit = await audit_of(mongo_url, settings)
    [stored] = [d["detail"] for d in audit if d["action"] == "record-stored" and d["subject"] == "EC-2026-4"]
    [expired] = [d for d in audit if d["action"] == "record-expired"]
    assert (expired["subject"], expired["detail"]["retention"]) == ("EC-2026-4", f"deny {rule}")
    filed = date.fromisoformat(stored["kept_until"]) - timedelta(days=1825)  # under EC's five years
    assert date.fromisoformat(expired["detail"]["kept_until"]) == filed  # under 0 days: its filing day
    [request_refused] = [d for d in audit if d["action"] == "record-request-refused"]
    assert request_refused["detail"]["policy"] == f"deny {rule}"
