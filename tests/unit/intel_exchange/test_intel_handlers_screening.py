"""Screening: the answer to the asker only, a notice to the owner, an alert when asked for; the
members' policies keep records out of a screening, or withhold a hit, and every step is audited."""

from __future__ import annotations

import pytest

from andina.contract.events.catalogs import intel_exchange as catalog
from andina.contract.events.intel_exchange import ScreeningQuery
from andina.contract.rejections import Reason, Rejected
from andina.intel_exchange.handlers.screening import screening_requested
from andina.shared.ids import derived_event_id
from andina.shared.policy.members import example_text
from tests.fakes import delivered_to
from tests.unit.intel_exchange.fakes import OUTBOX, Fakes
from tests.unit.intel_exchange.samples import (
    ARMY,
    BY_DOCUMENT,
    BY_NAME,
    NAMES_ONLY,
    filed,
    person,
    screened,
    sent,
    types_by_recipient,
)


async def test_a_hit_answers_the_asker_notifies_the_owner_and_raises_the_alert_the_owner_asked_for() -> None:
    fakes = Fakes()
    await filed(fakes, person("EC-1"))
    screening = sent(catalog.SCREENING_REQUESTED, BY_DOCUMENT, "CO")

    outputs = await screening_requested(screening, fakes.ports)

    assert types_by_recipient(outputs) == [
        (OUTBOX.deliveries, "CO", catalog.SCREENING_ANSWERED),
        (OUTBOX.deliveries, "EC", catalog.HIT_NOTIFIED),
        (OUTBOX.signals, "EC", catalog.ALERT_REQUESTED),
    ]
    answer = delivered_to(outputs, catalog.SCREENING_ANSWERED)["CO"]
    assert (answer["outcome"], answer["not_searched"], answer["possible_matches"]) == ("hit", None, [])
    [hit] = answer["hits"]
    assert (hit["record_id"], hit["owner"], hit["kind"]) == ("EC-1", "EC", "hit")
    assert "given_names" not in hit  # a reference to the record, never the record
    notice = delivered_to(outputs, catalog.HIT_NOTIFIED)["EC"]
    assert (notice["asked_by"], notice["agency"], notice["place"]) == ("CO", "policia", BY_DOCUMENT.place)
    # One notice per record hit: the record id is the part that tells them apart, as it always was.
    cause = screening.envelope.id
    assert outputs[1].attributes["id"] == str(derived_event_id(cause, catalog.HIT_NOTIFIED, "EC", "EC-1"))
    assert outputs[2].attributes["data"]["recipients"] == ["CO", "EC"]
    assert await fakes.followups.hit_for(cause, "EC-1", "CO") is not None
    assert [(a, s) for a, _, s in fakes.audit.actions()][-2:] == [("screening", str(cause)), ("hit", "EC-1")]
    assert fakes.counted("hits", owner="EC", asker="CO") == 1
    assert fakes.counted("screenings", origin="CO", outcome="hit") == 1


async def test_a_country_the_owner_did_not_share_with_gets_no_hit_and_the_owner_learns_nothing() -> None:
    fakes = Fakes()
    await filed(fakes, person("EC-1", share_with=["CO"]))

    outputs = await screening_requested(sent(catalog.SCREENING_REQUESTED, BY_DOCUMENT, "BO"), fakes.ports)

    assert types_by_recipient(outputs) == [(OUTBOX.deliveries, "BO", catalog.SCREENING_ANSWERED)]
    assert delivered_to(outputs, catalog.SCREENING_ANSWERED)["BO"]["outcome"] == "no-hit"
    assert fakes.followups.hits == {}


async def test_names_alone_give_possible_matches_to_verify_and_raise_no_alert() -> None:
    fakes = Fakes()
    await filed(fakes, person("EC-1"))

    outputs = await screening_requested(sent(catalog.SCREENING_REQUESTED, NAMES_ONLY, "CO"), fakes.ports)

    answer = delivered_to(outputs, catalog.SCREENING_ANSWERED)["CO"]
    assert (answer["outcome"], answer["hits"]) == ("possible", [])
    assert [p["record_id"] for p in answer["possible_matches"]] == ["EC-1"]
    assert delivered_to(outputs, catalog.HIT_NOTIFIED)["EC"]["kind"] == "possible"
    assert delivered_to(outputs, catalog.ALERT_REQUESTED) == {}
    assert fakes.counted("possible_matches", owner="EC", asker="CO") == 1


async def test_bolivias_records_are_not_searched_by_name_and_the_asker_is_told_by_rule() -> None:
    fakes = Fakes()
    fakes.policies.enact("BO", example_text("BO"))
    await filed(fakes, person("BO-1"), person("PE-1"))

    by_name = await screening_requested(sent(catalog.SCREENING_REQUESTED, BY_NAME, "CO"), fakes.ports)
    by_document = await screening_requested(sent(catalog.SCREENING_REQUESTED, BY_DOCUMENT, "CO"), fakes.ports)

    answer = delivered_to(by_name, catalog.SCREENING_ANSWERED)["CO"]
    assert [h["owner"] for h in answer["hits"]] == ["PE"]
    assert list(answer["not_searched"]) == ["BO"]
    assert answer["not_searched"]["BO"].startswith("BO@v1/bo-no-name-only-screening: Bolivia does not allow")
    assert sorted(h["owner"] for h in delivered_to(by_document, catalog.SCREENING_ANSWERED)["CO"]["hits"]) == [
        "BO",
        "PE",
    ]
    policies = [e.detail["policies"] for e in fakes.audit.by_id.values() if e.action == "screening"]
    assert "BO deny BO@v1/bo-no-name-only-screening" in policies[0]


async def test_colombias_records_are_withheld_from_military_bodies_silently_and_audited() -> None:
    fakes = Fakes()
    fakes.policies.enact("CO", example_text("CO"))
    await filed(fakes, person("CO-7"))

    army = await screening_requested(sent(catalog.SCREENING_REQUESTED, BY_DOCUMENT, "PE", ARMY), fakes.ports)
    police = await screening_requested(sent(catalog.SCREENING_REQUESTED, BY_DOCUMENT, "PE"), fakes.ports)

    assert types_by_recipient(army) == [(OUTBOX.deliveries, "PE", catalog.SCREENING_ANSWERED)]
    army_answer = delivered_to(army, catalog.SCREENING_ANSWERED)["PE"]
    assert (army_answer["outcome"], army_answer["not_searched"]) == ("no-hit", None)  # nothing says it exists
    withheld = fakes.audited("hit-withheld")
    assert (withheld["subject"], withheld["policy"]) == ("CO-7", "deny CO@v1/co-no-person-records-to-military")
    assert delivered_to(police, catalog.SCREENING_ANSWERED)["PE"]["outcome"] == "hit"


POSSIBLE_MATCHES_RULE = """
@id("ec-no-possible-matches")
@reason("Ecuador gives out only hits a document or a date of birth confirms")
forbid (principal, action == Action::"receive-hit", resource is PersonRecord)
when { resource.owner == Country::"EC" && context.possible };
"""


async def test_a_possible_match_the_owners_rule_refuses_is_withheld_silently_and_its_hits_still_go() -> None:
    fakes = Fakes()
    fakes.policies.enact("EC", POSSIBLE_MATCHES_RULE)
    await filed(fakes, person("EC-1"))

    _, names_only = await screened(fakes, "CO", NAMES_ONLY)
    _, by_name = await screened(fakes, "CO", BY_NAME)

    assert (names_only["outcome"], names_only["possible_matches"], names_only["not_searched"]) == (
        "no-hit",
        [],
        None,
    )
    assert fakes.audited("hit-withheld")["policy"] == "deny EC@v1/ec-no-possible-matches"
    assert [h["record_id"] for h in by_name["hits"]] == ["EC-1"]  # by name, with a date of birth: a hit


async def test_a_possible_match_obeys_the_owners_rule_on_its_recipients_too() -> None:
    fakes = Fakes()
    fakes.policies.enact("CO", example_text("CO"))
    await filed(fakes, person("CO-7"))

    _, army = await screened(fakes, "PE", NAMES_ONLY, ARMY)
    _, police = await screened(fakes, "PE", NAMES_ONLY)

    assert (army["outcome"], army["possible_matches"]) == ("no-hit", [])
    assert [p["record_id"] for p in police["possible_matches"]] == ["CO-7"]


@pytest.mark.parametrize(
    "query",
    [
        NAMES_ONLY.model_copy(update={"paternal_surname": None, "maternal_surname": None}),  # a lone given name
        NAMES_ONLY.model_copy(update={"date_of_birth": "1985-13-40"}),
    ],
    ids=["a-lone-name", "a-malformed-date"],
)
async def test_a_query_that_cannot_identify_anyone_is_refused_before_anything_is_written(query: ScreeningQuery) -> None:
    fakes = Fakes()
    await filed(fakes, person("EC-1"))
    stored = dict(fakes.audit.by_id)

    with pytest.raises(Rejected) as refused:
        await screening_requested(sent(catalog.SCREENING_REQUESTED, query, "CO"), fakes.ports)

    assert refused.value.reason is Reason.INVALID_PAYLOAD
    assert fakes.audit.by_id == stored
