"""A member's retention rule judges every record from its first filing: the records filed before the
rule came into force too, and an update does not restart the count. A record past it neither hits
nor is released, whenever the request for it was opened."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from andina.contract.events.catalogs import intel_exchange as catalog
from andina.contract.events.intel_exchange import RecordWithdrawal
from andina.contract.events.policies import PolicyChange
from andina.contract.rejections import Reason, Rejected
from andina.intel_exchange.handlers.records import record_request_answered, record_requested, record_withdrawn
from andina.intel_exchange.handlers.retention import PAST_RETENTION, policy_changed_retained
from andina.shared.policy.members import example_text
from tests.fakes import delivered_to
from tests.unit.intel_exchange.fakes import Fakes
from tests.unit.intel_exchange.samples import BY_DOCUMENT, filed, person, screened, sent
from tests.unit.intel_exchange.test_intel_handlers_requests import answer_of, hit_on, request_for

DEPORTED = person("EC-5", record_type="deportation")
EC_RETENTION = PolicyChange(country="EC", policy=example_text("EC"), note="Ley Orgánica de Movilidad Humana")
FIVE_YEARS = timedelta(days=1825)
EC_RULE = "EC@v1/ec-deportations-kept-5-years"
EC_REASON = "Ecuadorian law keeps deportation records five years (1825 days)"


async def hits(fakes: Fakes) -> list[str]:
    _, answer = await screened(fakes, "CO", BY_DOCUMENT)
    return [h["record_id"] for h in answer["hits"]]


async def test_a_record_filed_before_the_rule_stops_hitting_five_years_after_its_own_filing() -> None:
    fakes = Fakes()
    filing_day = fakes.clock().date()
    await filed(fakes, DEPORTED)
    fakes.clock.advance(timedelta(days=1000))

    await policy_changed_retained(sent(catalog.POLICY_CHANGED, EC_RETENTION, "EC"), fakes.ports)
    still = await hits(fakes)
    fakes.clock.advance(FIVE_YEARS - timedelta(days=1001))
    last_day = await hits(fakes)
    fakes.clock.advance(timedelta(days=1))

    assert (still, last_day, await hits(fakes)) == (["EC-5"], ["EC-5"], [])
    assert filing_day + FIVE_YEARS == fakes.clock().date()
    assert "record-expired" not in [action for action, _, _ in fakes.audit.actions()]  # none was past it then


async def test_a_record_already_past_its_retention_when_the_rule_arrives_stops_hitting_at_once_and_is_audited() -> None:
    fakes = Fakes()
    filing_day = fakes.clock().date()
    await filed(fakes, DEPORTED, person("EC-6"))
    fakes.clock.advance(timedelta(days=2000))
    before = await hits(fakes)

    await policy_changed_retained(sent(catalog.POLICY_CHANGED, EC_RETENTION, "EC"), fakes.ports)

    assert (before, await hits(fakes)) == (["EC-5", "EC-6"], ["EC-6"])  # its warrant has no limit
    expired = fakes.audited("record-expired")
    assert (expired["subject"], expired["why"]) == ("EC-5", PAST_RETENTION)
    assert (expired["kept_until"], expired["retention"]) == (
        (filing_day + FIVE_YEARS).isoformat(),
        "deny EC@v1/ec-deportations-kept-5-years",
    )


async def test_an_update_keeps_the_first_filing_date_and_does_not_extend_the_retention() -> None:
    fakes = Fakes()
    fakes.policies.enact("EC", example_text("EC"))
    filing_day = fakes.clock().date()
    await filed(fakes, DEPORTED)
    fakes.clock.advance(timedelta(days=1000))

    await filed(fakes, person("EC-5", record_type="deportation", sex="X"))
    updated = await hits(fakes)
    fakes.clock.advance(FIVE_YEARS - timedelta(days=1000))

    assert (updated, await hits(fakes)) == (["EC-5"], [])
    kept = [e.detail["kept_until"] for e in fakes.audit.by_id.values() if e.action == "record-stored"]
    assert kept == [(filing_day + FIVE_YEARS).isoformat()] * 2


async def test_a_record_filed_again_after_its_withdrawal_counts_from_its_new_filing() -> None:
    fakes = Fakes()
    fakes.policies.enact("EC", example_text("EC"))
    await filed(fakes, DEPORTED)
    fakes.clock.advance(timedelta(days=1000))
    withdrawal = RecordWithdrawal(record_id="EC-5", reason="filed in error")
    await record_withdrawn(sent(catalog.RECORD_WITHDRAWN, withdrawal, "EC"), fakes.ports)

    await filed(fakes, DEPORTED)
    fakes.clock.advance(FIVE_YEARS - timedelta(days=1))

    assert await hits(fakes) == ["EC-5"]


async def test_a_request_opened_on_the_last_day_and_approved_after_it_withholds_the_record_naming_the_rule() -> None:
    fakes = Fakes()
    fakes.policies.enact("EC", example_text("EC"))
    screening_id = await hit_on(fakes, "EC-5", record_type="deportation")
    fakes.clock.advance(FIVE_YEARS - timedelta(days=1))
    request = request_for(screening_id, "EC-5")
    await record_requested(request, fakes.ports)
    fakes.clock.advance(timedelta(days=2))

    outputs = await record_request_answered(answer_of(request, "EC", "approved"), fakes.ports)

    assert delivered_to(outputs, catalog.RECORD_RELEASED) == {}
    assert delivered_to(outputs, catalog.RECORD_REQUEST_REFUSED)["CO"] == {
        "request_id": str(request.envelope.id),
        "record_id": "EC-5",
        "reason": f"refused by the policies in force: {EC_RULE}: {EC_REASON}",
    }
    withheld = fakes.audited("record-withheld")
    assert (withheld["subject"], withheld["to"], withheld["policy"]) == ("EC-5", "CO", f"deny {EC_RULE}")


async def test_a_request_for_a_record_past_its_retention_is_refused_naming_the_rule_and_the_owner_never_hears() -> None:
    fakes = Fakes()
    fakes.policies.enact("EC", example_text("EC"))
    screening_id = await hit_on(fakes, "EC-5", record_type="deportation")
    fakes.clock.advance(FIVE_YEARS)

    with pytest.raises(Rejected) as refused:
        await record_requested(request_for(screening_id, "EC-5"), fakes.ports)

    assert refused.value.reason is Reason.UNAUTHORIZED
    assert refused.value.detail == f"refused by the policies in force: {EC_RULE}: {EC_REASON}"
    assert fakes.audited("record-request-refused")["policy"] == f"deny {EC_RULE}"
    assert fakes.followups.requests == {}


async def test_a_warrant_of_the_same_owner_is_still_released_after_five_years() -> None:
    fakes = Fakes()
    fakes.policies.enact("EC", example_text("EC"))
    request = request_for(await hit_on(fakes, "EC-6"), "EC-6")
    fakes.clock.advance(FIVE_YEARS + timedelta(days=1))
    await record_requested(request, fakes.ports)

    outputs = await record_request_answered(answer_of(request, "EC", "approved"), fakes.ports)

    assert delivered_to(outputs, catalog.RECORD_RELEASED)["CO"]["record"]["record_id"] == "EC-6"


async def test_a_record_past_its_owners_own_expiry_is_neither_released_nor_asked_for_again() -> None:
    fakes = Fakes()
    expires_on = date(2027, 3, 2)  # the day after the demo record's review date
    screening_id = await hit_on(fakes, "EC-6", expires_on=expires_on.isoformat())
    request = request_for(screening_id, "EC-6")
    await record_requested(request, fakes.ports)
    fakes.clock.advance(expires_on - fakes.clock().date())

    with pytest.raises(Rejected) as approval_refused:
        await record_request_answered(answer_of(request, "EC", "approved"), fakes.ports)
    with pytest.raises(Rejected) as asked_again:
        await record_requested(request_for(screening_id, "EC-6"), fakes.ports)

    assert approval_refused.value.detail == "record EC-6 expired on 2027-03-02: nothing to release"
    assert asked_again.value.detail == f"CO got no hit on EC-6 in screening {screening_id}"
