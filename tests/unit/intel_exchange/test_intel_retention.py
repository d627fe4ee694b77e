"""A member's retention rule judges every record from its first filing: the records filed before the
rule came into force too, and an update does not restart the count."""

from __future__ import annotations

from datetime import timedelta

from andina.contract.events.catalogs import intel_exchange as catalog
from andina.contract.events.intel_exchange import RecordWithdrawal
from andina.contract.events.policies import PolicyChange
from andina.intel_exchange.handlers.records import record_withdrawn
from andina.intel_exchange.handlers.retention import PAST_RETENTION, policy_changed_retained
from andina.shared.policy.members import example_text
from tests.unit.intel_exchange.fakes import Fakes
from tests.unit.intel_exchange.samples import BY_DOCUMENT, filed, person, screened, sent

DEPORTED = person("EC-5", record_type="deportation")
EC_RETENTION = PolicyChange(country="EC", policy=example_text("EC"), note="Ley Orgánica de Movilidad Humana")
FIVE_YEARS = timedelta(days=1825)


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
