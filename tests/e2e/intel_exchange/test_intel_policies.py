"""Each member's law as policy, through the bus: the members send their shipped example policies
as signed events, then each rule shows its permit and its deny path at the Banco Andino.

CO: person records never to military bodies. BO: no name-only screening of its records.
PE: a full record only on a treaty. EC: deportation records kept five years (the deny path, a
version whose limit is already past: test_intel_retention_bus.py). And the bad
input: another country's change and a text that does not validate are refused, audited,
and the version in force stays.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from andina.contract.client import AgencyClient, agency_event
from andina.contract.envelope import Handling
from andina.contract.events.intel_exchange import intel_type
from andina.deploy.demo_intel_exchange import wanted_person
from andina.intel_exchange.app import create_app
from andina.intel_exchange.settings import Settings
from andina.shared.policy.members import example_text
from andina.shared.store import Document, mongo_client
from tests.conftest import Keys, ServiceSettingsFactory
from tests.e2e.intel_exchange.partitions import Bus, Events, of_type, only
from tests.e2e.intel_exchange.test_intel_rejections import rejections
from tests.e2e.intel_exchange.test_intel_reports import ROUTE_REPORT
from tests.unit.shared.test_policy_engine import REPORTS_RULE

pytestmark = pytest.mark.integration

DOCUMENT = {"type": "national-id", "number": "40.123.456", "issuing_country": "PE"}
BY_NAME = {
    "given_names": ["Juan Carlos"],
    "paternal_surname": "Quispe",
    "maternal_surname": "Huamán",
    "date_of_birth": "1985-03-12",
    "place": "Desaguadero",
    "purpose": "border-control",
}
BY_DOCUMENT = BY_NAME | {"documents": [DOCUMENT]}


ARMY_DOES_NOT_FILE = """
@id("bo-army-files-no-records")
@reason("in Bolivia the police files person records, not the army")
forbid (principal, action == Action::"file", resource) when { principal.kind == "military" };
"""


def record_of(owner: str, number: int, record_type: str = "warrant") -> dict[str, Any]:
    return wanted_person(f"{owner}-2026-{number}") | {"owner": owner, "share_with": "all", "record_type": record_type}


async def send_policy(agencies: dict[str, AgencyClient], bus: Bus, country: str, text: str) -> Events:
    event = agencies[country].event(intel_type("policy-changed"), {"country": country, "policy": text})
    await agencies[country].submit(Bus.SERVICE, event)
    return await bus.read(country, lambda events: any(e.get("causationid") == str(event.id) for e in events))


async def file(agencies: dict[str, AgencyClient], bus: Bus, record: dict[str, Any]) -> None:
    owner = record["owner"]
    await agencies[owner].submit(Bus.SERVICE, agencies[owner].event(intel_type("person-record-submitted"), record))
    await bus.read(owner, of_type("person-record-acknowledged"))


async def audit_of(mongo_url: str, settings: Settings) -> list[Document]:
    client = mongo_client(mongo_url)
    return [d async for d in client[f"{settings.database_prefix}intel_exchange"]["audit"].find({})]


async def test_a_member_changes_only_its_own_policy_and_a_bad_text_leaves_the_version_in_force(
    service_settings: ServiceSettingsFactory,
    agencies: dict[str, AgencyClient],
    bus: Bus,
    mongo_url: str,
    keys: Keys,
) -> None:
    settings = service_settings(Settings)
    async with create_app(settings).start_lifespan_context():
        co_events = await send_policy(agencies, bus, "CO", example_text("CO"))
        ec = agencies["EC"]
        await ec.submit(Bus.SERVICE, ec.event(intel_type("policy-changed"), {"country": "CO", "policy": ""}))
        ec_events = await bus.read("EC", lambda e: len(rejections(e)) >= 1)
        bad = 'forbid (principal, action == Action::"delete", resource);'
        co_events = await send_policy(agencies, bus, "CO", bad)
        # Still version 1: its rule still keeps CO's records from military bodies.
        await file(agencies, bus, record_of("CO", 1))
        pe = agencies["PE"]
        army = agency_event(keys.signers["PE"], "ejercito", intel_type("screening-requested"), BY_DOCUMENT)
        await pe.submit(Bus.SERVICE, army)
        pe_events = await bus.read("PE", of_type("screening-answered"))

    [accepted] = only(co_events, "policy-accepted")
    assert accepted == {"country": "CO", "version": 1, "policy_ids": ["CO@v1/co-no-person-records-to-military"]}
    [(_, refused)] = [(e["data"]["reason"], e["data"]["detail"]) for e in ec_events if "event-rejected" in e["type"]]
    assert refused == "only CO may change CO's policy, not EC"
    [invalid] = [e["data"] for e in co_events if "event-rejected" in e["type"]]
    assert invalid["reason"] == "invalid-payload"
    assert 'unrecognized action `Action::"delete"`' in invalid["detail"]
    assert invalid["detail"].endswith("the version in force stays")
    assert only(pe_events, "screening-answered")[0]["outcome"] == "no-hit"
    audit = await audit_of(mongo_url, settings)
    assert {(d["action"], d["actor"], d["subject"]) for d in audit if d["action"].startswith("policy-")} == {
        ("policy-changed", "CO", "CO@v1"),
        ("policy-refused", "EC", "CO"),
        ("policy-refused", "CO", "CO"),
    }


async def test_co_keeps_its_records_from_military_bodies_and_bo_from_name_only_screening(
    service_settings: ServiceSettingsFactory,
    agencies: dict[str, AgencyClient],
    bus: Bus,
    mongo_url: str,
    keys: Keys,
) -> None:
    settings = service_settings(Settings)
    pe = agencies["PE"]
    async with create_app(settings).start_lifespan_context():
        await send_policy(agencies, bus, "CO", example_text("CO"))
        await send_policy(agencies, bus, "BO", example_text("BO") + ARMY_DOES_NOT_FILE)
        await file(agencies, bus, record_of("CO", 7))
        await file(agencies, bus, record_of("BO", 7))
        bo_army = agency_event(
            keys.signers["BO"], "ejercito", intel_type("person-record-submitted"), record_of("BO", 8)
        )
        await agencies["BO"].submit(Bus.SERVICE, bo_army)
        bo_events = await bus.read("BO", lambda e: len(rejections(e)) >= 1)
        army = agency_event(keys.signers["PE"], "ejercito", intel_type("screening-requested"), BY_DOCUMENT)
        police = pe.event(intel_type("screening-requested"), BY_DOCUMENT)
        by_name = pe.event(intel_type("screening-requested"), BY_NAME)
        for event in (army, police, by_name):
            await pe.submit(Bus.SERVICE, event)
        pe_events = await bus.read("PE", of_type("screening-answered", 3))

    answers = {a["screening_id"]: a for a in only(pe_events, "screening-answered")}
    owners = {
        key: sorted(h["owner"] for h in answers[str(e.id)]["hits"])
        for key, e in {"army": army, "police": police, "by_name": by_name}.items()
    }
    assert owners == {"army": ["BO"], "police": ["BO", "CO"], "by_name": ["CO"]}
    assert answers[str(police.id)]["not_searched"] is None
    assert answers[str(by_name.id)]["not_searched"] == {
        "BO": "BO@v1/bo-no-name-only-screening: Bolivia does not allow its records to be screened by name alone:"
        " give a document number"
    }
    assert rejections(bo_events) == [("person-record-submitted", "unauthorized")]
    audit = await audit_of(mongo_url, settings)
    [filing_refused] = [d for d in audit if d["action"] == "record-filing-refused"]
    assert (filing_refused["subject"], filing_refused["detail"]["policy"]) == (
        "BO-2026-8",
        "deny BO@v1/bo-army-files-no-records",
    )
    [withheld] = [d for d in audit if d["action"] == "hit-withheld"]
    assert (withheld["subject"], withheld["detail"]["policy"]) == (
        "CO-2026-7",
        "deny CO@v1/co-no-person-records-to-military",
    )
    [searched] = [d for d in audit if d["action"] == "screening" and d["subject"] == str(by_name.id)]
    assert "BO deny BO@v1/bo-no-name-only-screening" in searched["detail"]["policies"]


async def test_pe_releases_a_full_record_only_on_a_treaty_and_ec_keeps_deportations_five_years(
    service_settings: ServiceSettingsFactory, agencies: dict[str, AgencyClient], bus: Bus, mongo_url: str
) -> None:
    settings = service_settings(Settings)
    co, pe = agencies["CO"], agencies["PE"]
    async with create_app(settings).start_lifespan_context():
        for country in ("PE", "EC"):
            await send_policy(agencies, bus, country, example_text(country))
        await file(agencies, bus, record_of("PE", 3))
        await file(agencies, bus, record_of("EC", 3, "deportation"))
        query = co.event(intel_type("screening-requested"), BY_DOCUMENT)
        await co.submit(Bus.SERVICE, query)
        await bus.read("CO", of_type("screening-answered"))
        request = {"screening_id": str(query.id), "record_id": "PE-2026-3", "reason": "held at Tumbes"}
        await co.submit(Bus.SERVICE, co.event(intel_type("record-requested"), request))
        co_events = await bus.read("CO", lambda e: len(rejections(e)) >= 1)
        with_treaty = co.event(intel_type("record-requested"), request | {"treaty": "Decisión 505 de la CAN"})
        await co.submit(Bus.SERVICE, with_treaty)
        await bus.read("PE", of_type("record-request-received"))
        approval = {"request_id": str(with_treaty.id), "decision": "approved"}
        await pe.submit(Bus.SERVICE, pe.event(intel_type("record-request-answered"), approval))
        co_events = await bus.read("CO", of_type("record-released"))

    [(kind, reason)] = rejections(co_events)
    assert (kind, reason) == ("record-requested", "unauthorized")
    [refusal] = [e["data"]["detail"] for e in co_events if "event-rejected" in e["type"]]
    assert refusal == (
        "refused by the policies in force: PE@v1/pe-full-record-needs-a-treaty:"
        " Peru releases full records only on a legal basis naming a treaty"
    )
    [released] = only(co_events, "record-released")
    assert released["record"]["record_id"] == "PE-2026-3"
    [answer] = only(co_events, "screening-answered")
    assert sorted(h["record_id"] for h in answer["hits"]) == ["EC-2026-3", "PE-2026-3"]  # kept, and found, today
    audit = await audit_of(mongo_url, settings)
    [stored] = [d for d in audit if d["action"] == "record-stored" and d["subject"] == "EC-2026-3"]
    filed = datetime.now(UTC).date()  # the service's day of filing, unless the test ran across midnight
    assert date.fromisoformat(stored["detail"]["kept_until"]) - filed in {timedelta(days=1825), timedelta(days=1824)}
    assert stored["detail"]["retention"] == "deny EC@v1/ec-deportations-kept-5-years"
    assert stored["detail"]["policy"] == "permit baseline/agencies-act-within-the-network"
    assert "kept_until" not in next(d for d in audit if d["action"] == "record-stored" and d["subject"] == "PE-2026-3")


async def test_a_report_goes_only_where_the_owners_and_the_recipients_policies_let_it(
    service_settings: ServiceSettingsFactory, agencies: dict[str, AgencyClient], bus: Bus, mongo_url: str
) -> None:
    settings = service_settings(Settings)
    pe = agencies["PE"]
    async with create_app(settings).start_lifespan_context():
        await send_policy(agencies, bus, "PE", example_text("PE") + REPORTS_RULE)
        to_bo = pe.event(intel_type("report-submitted"), ROUTE_REPORT | {"recipients": ["BO", "CO"]}, Handling.H3)
        await pe.submit(Bus.SERVICE, to_bo)
        pe_events = await bus.read("PE", lambda e: len(rejections(e)) >= 1)
        to_co = pe.event(intel_type("report-submitted"), ROUTE_REPORT | {"recipients": ["CO"]}, Handling.H3)
        await pe.submit(Bus.SERVICE, to_co)
        co_events = await bus.read("CO", of_type("report-delivered"))
        bo_events = await bus.read("BO", of_type("report-delivered"), within=2.0)

    [refusal] = [e["data"]["detail"] for e in pe_events if "event-rejected" in e["type"]]
    assert refusal.startswith("refused by the policies in force: BO: PE@v1/pe-no-h3-reports-to-bo: Peru shares")
    assert [r["report_id"] for r in only(co_events, "report-delivered")] == [str(to_co.id)]
    assert only(bo_events, "report-delivered") == []
    audit = await audit_of(mongo_url, settings)
    assert {(d["action"], d["subject"]) for d in audit if d["action"].startswith("report-")} == {
        ("report-refused", str(to_bo.id)),
        ("report-filed", str(to_co.id)),
    }


TRACE_RULE = """
@id("bo-no-traces-for-military")
@reason("Bolivia answers firearm traces for police and prosecutors, not for military bodies")
forbid (principal, action == Action::"ask-trace", resource)
when { resource.owner == Country::"BO" && principal.kind == "military" };
"""


async def test_a_firearm_trace_asks_only_the_countries_whose_policies_let_the_asker(
    service_settings: ServiceSettingsFactory,
    agencies: dict[str, AgencyClient],
    bus: Bus,
    mongo_url: str,
    keys: Keys,
) -> None:
    settings = service_settings(Settings)
    trace: dict[str, Any] = {"make": "Glock", "model": "17", "serial_number": "BXK-448", "caliber": "9x19mm"}
    trace |= {"country_of_seizure": "EC", "recipients": ["BO", "PE"], "urgent": False}
    ec = agencies["EC"]
    async with create_app(settings).start_lifespan_context():
        await send_policy(agencies, bus, "BO", TRACE_RULE)
        army = agency_event(keys.signers["EC"], "ejercito", intel_type("firearm-trace-requested"), trace)
        await ec.submit(Bus.SERVICE, army)
        ec_events = await bus.read("EC", lambda e: len(rejections(e)) >= 1)
        police = ec.event(intel_type("firearm-trace-requested"), trace)
        await ec.submit(Bus.SERVICE, police)
        bo_events = await bus.read("BO", of_type("firearm-trace-received"))

    [refusal] = [e["data"]["detail"] for e in ec_events if "event-rejected" in e["type"]]
    assert refusal.startswith("refused by the policies in force: BO: BO@v1/bo-no-traces-for-military")
    assert [r["request_id"] for r in only(bo_events, "firearm-trace-received")] == [str(police.id)]
    audit = await audit_of(mongo_url, settings)
    assert {(d["action"], d["subject"]) for d in audit if d["action"].startswith("trace-")} == {
        ("trace-refused", str(army.id)),
        ("trace-asked", str(police.id)),
    }
