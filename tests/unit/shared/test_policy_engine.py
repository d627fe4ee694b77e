"""Members' Cedar policies over the baseline: the four shipped examples, permit and deny each, and bad input."""

from __future__ import annotations

import re

import pytest
from prometheus_client import CollectorRegistry

from andina.shared.policy.book import PolicyBook
from andina.shared.policy.engine import ACTIONS, Agency, Member, PolicyEngine, Resource
from andina.shared.policy.members import MemberPolicy, PolicyRefused, example_text, schema_text
from andina.shared.policy.registry import AgencyRegistry


def engine_with(*countries: str) -> PolicyEngine:
    engine = PolicyEngine(AgencyRegistry.load())
    for country in countries:
        engine = engine.with_member(MemberPolicy.check(country, 1, example_text(country)))
    return engine


def record(owner: str, record_type: str = "warrant") -> Resource:
    return Resource("PersonRecord", f"{owner}-2026-1", owner, {"record_type": record_type})


def bank(owner: str) -> Resource:
    return Resource("RecordBank", owner, owner)


ENGINE = engine_with("BO", "CO", "EC", "PE")


def test_co_records_never_reach_a_military_body_but_reach_the_police() -> None:
    denied = ENGINE.decide(Agency("PE", "ejercito"), "receive-record", record("CO"), {"treaty": "Decisión 505"})
    permitted = ENGINE.decide(Agency("PE", "dirincri"), "receive-record", record("CO"), {"treaty": ""})
    assert not denied.permitted
    assert denied.policy_ids == ("CO@v1/co-no-person-records-to-military",)
    assert "military" in denied.refusal()
    assert permitted.permitted
    assert permitted.policy_ids == ("baseline/agencies-act-within-the-network",)


def test_co_forbids_only_its_own_records_to_the_military() -> None:
    assert ENGINE.decide(Agency("CO", "ejercito"), "receive-hit", record("EC"), {"name_only": False, "possible": False})


def test_bo_records_are_not_screened_by_name_alone_but_are_with_a_document() -> None:
    by_name = ENGINE.decide(Agency("CO", "migracion"), "screen", bank("BO"), {"name_only": True})
    by_document = ENGINE.decide(Agency("CO", "migracion"), "screen", bank("BO"), {"name_only": False})
    others_by_name = ENGINE.decide(Agency("CO", "migracion"), "screen", bank("EC"), {"name_only": True})
    assert by_name.policy_ids == ("BO@v1/bo-no-name-only-screening",)
    assert not by_name.permitted
    assert by_document.permitted
    assert others_by_name.permitted


def test_pe_releases_a_full_record_only_on_a_treaty() -> None:
    without = ENGINE.decide(Agency("CO", "dijin"), "receive-record", record("PE"), {"treaty": ""})
    with_treaty = ENGINE.decide(Agency("CO", "dijin"), "receive-record", record("PE"), {"treaty": "Decisión 505"})
    assert without.policy_ids == ("PE@v1/pe-full-record-needs-a-treaty",)
    assert not without.permitted
    assert with_treaty.permitted


def test_ec_keeps_deportation_records_five_years_and_other_records_without_limit() -> None:
    assert ENGINE.retention_days("intel-exchange", record("EC", "deportation")) == 1825
    assert ENGINE.retention_days("intel-exchange", record("EC", "warrant")) is None
    assert ENGINE.retention_days("intel-exchange", record("PE", "deportation")) is None


def test_the_recipients_own_policy_applies_to_what_it_receives() -> None:
    inbound = (
        '@id("pe-no-name-only-hits")\n@reason("PE agencies act on documents only")\n'
        'forbid (principal, action == Action::"receive-hit", resource) when { principal.country == Country::"PE" '
        "&& context.name_only };"
    )
    engine = ENGINE.with_member(MemberPolicy.check("PE", 2, inbound))
    context = {"name_only": True, "possible": False}
    assert not engine.decide(Agency("PE", "dirincri"), "receive-hit", record("EC"), context).permitted
    assert engine.decide(Agency("CO", "dijin"), "receive-hit", record("EC"), context).permitted


def test_a_members_rule_does_not_reach_flows_between_other_members() -> None:
    overreach = "forbid (principal, action, resource) when { principal has kind };"
    engine = engine_with().with_member(MemberPolicy.check("BO", 1, overreach))
    assert engine.decide(Agency("PE", "dirincri"), "receive-record", record("EC"), {"treaty": ""}).permitted
    assert not engine.decide(Agency("PE", "dirincri"), "receive-record", record("BO"), {"treaty": ""}).permitted


def test_a_rule_naming_one_record_holds_back_that_record_only_even_after_its_siblings_were_decided() -> None:
    # Records of one owner and kind share a decision until a rule names one of them.
    one_record = 'forbid (principal, action, resource == PersonRecord::"CO-2026-7");'
    asker, context = Agency("PE", "dirincri"), {"name_only": False, "possible": False}
    sibling, named = (Resource("PersonRecord", f"CO-2026-{n}", "CO", {"record_type": "warrant"}) for n in (1, 7))
    assert ENGINE.decide(asker, "receive-hit", sibling, context).permitted
    assert ENGINE.decide(asker, "receive-hit", named, context).permitted
    engine = ENGINE.with_member(MemberPolicy.check("CO", 2, one_record))
    assert engine.decide(asker, "receive-hit", sibling, context).permitted
    assert not engine.decide(asker, "receive-hit", named, context).permitted


def test_an_unregistered_agency_never_gets_a_full_record() -> None:
    decision = engine_with().decide(Agency("CO", "unknown-office"), "receive-record", record("EC"), {"treaty": ""})
    assert decision.policy_ids == ("baseline/records-stay-with-registered-agencies",)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("forbid (principal action, resource);", "does not parse"),
        ('forbid (principal, action == Action::"delete", resource);', "does not validate"),
        ("forbid (principal, action, resource) when { context.nope };", "does not validate"),
        ("permit (principal, action, resource);", "may only forbid"),
        ("forbid (principal == ?principal, action, resource);", "templates"),
    ],
)
def test_a_policy_that_breaks_a_rule_is_refused_with_the_engines_message(text: str, rule: str) -> None:
    with pytest.raises(PolicyRefused, match=rule):
        MemberPolicy.check("CO", 2, text)


def test_a_refused_rule_is_named_by_its_own_id_not_by_a_version_or_position() -> None:
    invalid = '@id("no-deletes")\nforbid (principal, action == Action::"delete", resource);'
    with pytest.raises(PolicyRefused) as refused:
        MemberPolicy.check("EC", 2, invalid)
    assert "`no-deletes`" in str(refused.value)
    assert "policy0" not in str(refused.value)

    with pytest.raises(PolicyRefused, match=r"these rules permit: open-door$"):
        MemberPolicy.check("EC", 2, '@id("open-door")\npermit (principal, action, resource);')


def test_a_request_the_schema_does_not_foresee_is_an_error_not_a_decision() -> None:
    without_type = Resource("PersonRecord", "CO-2026-1", "CO")
    with pytest.raises(ValueError, match="record_type"):
        ENGINE.decide(Agency("PE", "ejercito"), "receive-record", without_type, {"treaty": ""})


def test_the_schema_declares_exactly_the_actions_the_code_names() -> None:
    assert set(re.findall(r'^action "([a-z-]+)"', schema_text(), re.M)) == set(ACTIONS)


def test_every_decision_of_a_service_is_counted_by_action_and_outcome() -> None:
    registry = CollectorRegistry()
    book = PolicyBook("intel-exchange", registry)
    book.engine = ENGINE
    book.decide(Agency("CO", "dijin"), "screen", bank("BO"), {"name_only": True})
    book.decide(Agency("CO", "dijin"), "screen", bank("BO"), {"name_only": False})
    book.decide(Agency("CO", "dijin"), "screen", bank("EC"), {"name_only": True})

    def count(outcome: str) -> float | None:
        labels = {"service": "intel-exchange", "action": "screen", "outcome": outcome}
        return registry.get_sample_value("andina_policy_decisions_total", labels)

    assert (count("permit"), count("deny")) == (2.0, 1.0)


REPORTS_RULE = (
    '@id("pe-no-h3-reports-to-bo")\n@reason("Peru shares named-recipient reports with Bolivia only case by case")\n'
    'forbid (principal, action == Action::"receive-report", resource is Report)\n'
    'when { resource.owner == Country::"PE" && resource.handling == "h3" && principal == Country::"BO" };'
)


def test_a_report_is_decided_per_recipient_country_by_handling() -> None:
    engine = ENGINE.with_member(MemberPolicy.check("PE", 2, REPORTS_RULE))
    report = Resource("Report", "r-1", "PE", {"handling": "h3", "subject": "drug-trafficking"})
    routine = Resource("Report", "r-2", "PE", {"handling": "h1", "subject": "drug-trafficking"})
    assert engine.decide(Member("BO"), "receive-report", report).policy_ids == ("PE@v2/pe-no-h3-reports-to-bo",)
    assert engine.decide(Member("CO"), "receive-report", report).permitted
    assert engine.decide(Member("BO"), "receive-report", routine).permitted
