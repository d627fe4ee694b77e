"""Filing and withdrawing person records: only the owner, only under the policies in force, all audited."""

from __future__ import annotations

from datetime import timedelta

import pytest

from andina.contract.events.catalogs import intel_exchange as catalog
from andina.contract.events.intel_exchange import PersonRecord, RecordWithdrawal
from andina.contract.rejections import Reason, Rejected
from andina.intel_exchange.domain.screening import kept_until as kept_by_law
from andina.intel_exchange.handlers.records import record_submitted, record_withdrawn
from andina.shared.ids import derived_event_id
from andina.shared.policy.members import example_text
from tests.e2e.intel_exchange.test_intel_policies import ARMY_DOES_NOT_FILE
from tests.fakes import delivered_to
from tests.unit.intel_exchange.fakes import OUTBOX, Fakes
from tests.unit.intel_exchange.samples import ARMY, BY_DOCUMENT, filed, person, screened, sent


async def test_the_owner_files_a_record_it_is_screened_and_acknowledged_to_the_owner_only() -> None:
    fakes = Fakes()
    filing = sent(catalog.RECORD_SUBMITTED, person("EC-1"), "EC")

    outputs = await record_submitted(filing, fakes.ports)

    assert delivered_to(outputs, catalog.RECORD_ACKNOWLEDGED) == {
        "EC": {"record_id": "EC-1", "status": "stored", "version": 1}
    }
    # The id an acknowledgement always had: derived from the filing, its type, the owner and an empty part.
    assert outputs[0].attributes["id"] == str(
        derived_event_id(filing.envelope.id, catalog.RECORD_ACKNOWLEDGED, "EC", "")
    )
    assert outputs[0].topic == OUTBOX.deliveries
    assert fakes.records.stored["EC-1"][0] == person("EC-1")
    assert fakes.audited("record-stored") == {
        "actor": "EC",
        "subject": "EC-1",
        "why": "owner filed or updated",
        "policy": "permit baseline/agencies-act-within-the-network",
        "agency": filing.envelope.source,
        "correlation_id": str(filing.envelope.correlationid),
    }
    _, answer = await screened(fakes, "CO", BY_DOCUMENT)
    assert [h["record_id"] for h in answer["hits"]] == ["EC-1"]


async def test_an_update_is_the_next_version_and_its_audit_entry_has_its_own_id() -> None:
    fakes = Fakes()
    await record_submitted(sent(catalog.RECORD_SUBMITTED, person("EC-1"), "EC"), fakes.ports)

    outputs = await record_submitted(sent(catalog.RECORD_SUBMITTED, person("EC-1", sex="X"), "EC"), fakes.ports)

    assert delivered_to(outputs, catalog.RECORD_ACKNOWLEDGED)["EC"]["version"] == 2
    assert [a for a, _, _ in fakes.audit.actions()] == ["record-stored", "record-stored"]


@pytest.mark.parametrize(
    ("record", "origin", "reason"),
    [
        (person("EC-1"), "CO", Reason.UNAUTHORIZED),  # only the owner files
        (person("EC-1", owner="CO"), "CO", Reason.INVALID_PAYLOAD),  # the id starts with the owner's code
        (person("EC-1", paternal_surname=None, maternal_surname=None), "EC", Reason.INVALID_PAYLOAD),
        (person("EC-1", expires_on="2027-01-01"), "EC", Reason.INVALID_PAYLOAD),  # before its review date
    ],
)
async def test_a_record_refused_changes_nothing(record: PersonRecord, origin: str, reason: Reason) -> None:
    fakes = Fakes()

    with pytest.raises(Rejected) as refused:
        await record_submitted(sent(catalog.RECORD_SUBMITTED, record, origin), fakes.ports)

    assert refused.value.reason is reason
    assert (fakes.records.stored, fakes.audit.by_id) == ({}, {})


async def test_a_filing_the_owners_policy_forbids_is_refused_and_audited() -> None:
    fakes = Fakes()
    fakes.policies.enact("BO", ARMY_DOES_NOT_FILE)

    with pytest.raises(Rejected) as refused:
        await record_submitted(sent(catalog.RECORD_SUBMITTED, person("BO-8"), "BO", ARMY), fakes.ports)

    assert refused.value.reason is Reason.UNAUTHORIZED
    assert "bo-army-files-no-records" in refused.value.detail
    assert fakes.records.stored == {}
    assert fakes.audited("record-filing-refused")["policy"] == "deny BO@v1/bo-army-files-no-records"


async def test_a_record_the_owners_law_keeps_five_years_stops_hitting_then() -> None:
    fakes = Fakes()
    fakes.policies.enact("EC", example_text("EC"))

    await record_submitted(sent(catalog.RECORD_SUBMITTED, person("EC-3", record_type="deportation"), "EC"), fakes.ports)

    kept_until = fakes.clock().date() + timedelta(days=1825)
    stored = fakes.audited("record-stored")
    assert (stored["kept_until"], stored["retention"]) == (
        kept_until.isoformat(),
        "deny EC@v1/ec-deportations-kept-5-years",
    )
    listing = fakes.records.index.listing("EC-3")
    assert listing is not None
    assert kept_by_law(listing, fakes.records.index.retention) == kept_until
    fakes.clock.advance(timedelta(days=1824))
    _, last_day = await screened(fakes, "CO", BY_DOCUMENT)
    fakes.clock.advance(timedelta(days=1))
    _, after = await screened(fakes, "CO", BY_DOCUMENT)
    assert ([h["record_id"] for h in last_day["hits"]], after["outcome"]) == (["EC-3"], "no-hit")


async def test_a_record_of_a_type_or_owner_the_retention_rule_does_not_name_keeps_hitting_after_five_years() -> None:
    fakes = Fakes()
    fakes.policies.enact("EC", example_text("EC"))
    await filed(fakes, person("EC-4"), person("PE-4", record_type="deportation"))

    fakes.clock.advance(timedelta(days=1826))
    _, answer = await screened(fakes, "CO", BY_DOCUMENT)

    assert sorted(h["record_id"] for h in answer["hits"]) == ["EC-4", "PE-4"]
    assert not any(e.detail.get("kept_until") for e in fakes.audit.by_id.values())


async def test_the_owner_withdraws_a_record_and_it_no_longer_hits() -> None:
    fakes = Fakes()
    await record_submitted(sent(catalog.RECORD_SUBMITTED, person("EC-1"), "EC"), fakes.ports)
    withdrawal = RecordWithdrawal(record_id="EC-1", reason="detained")

    outputs = await record_withdrawn(sent(catalog.RECORD_WITHDRAWN, withdrawal, "EC"), fakes.ports)

    assert delivered_to(outputs, catalog.RECORD_ACKNOWLEDGED) == {
        "EC": {"record_id": "EC-1", "status": "withdrawn", "version": 2}
    }
    assert fakes.audited("record-withdrawn")["why"] == "detained"
    _, answer = await screened(fakes, "CO", BY_DOCUMENT)
    assert answer["outcome"] == "no-hit"


@pytest.mark.parametrize(
    ("record_id", "origin", "reason"),
    [("EC-1", "CO", Reason.UNAUTHORIZED), ("EC-2", "EC", Reason.INVALID_PAYLOAD)],
    ids=["not-the-owner", "no-live-record"],
)
async def test_a_withdrawal_of_another_members_or_of_no_live_record_is_refused(
    record_id: str, origin: str, reason: Reason
) -> None:
    fakes = Fakes()
    await record_submitted(sent(catalog.RECORD_SUBMITTED, person("EC-1"), "EC"), fakes.ports)

    with pytest.raises(Rejected) as refused:
        await record_withdrawn(
            sent(catalog.RECORD_WITHDRAWN, RecordWithdrawal(record_id=record_id, reason="x"), origin), fakes.ports
        )

    assert refused.value.reason is reason
    assert "EC-1" in fakes.records.index
