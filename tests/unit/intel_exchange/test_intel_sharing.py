"""The owner's sharing restrictions and the rules on who may change a record."""

from __future__ import annotations

from datetime import date

import pytest

from andina.contract.envelope import Handling
from andina.contract.events.base import Payload
from andina.contract.events.catalogs.intel_exchange import RECORD_SUBMITTED, RECORD_WITHDRAWN
from andina.contract.events.intel_exchange import PersonRecord, RecordWithdrawal
from andina.contract.published import example_event
from andina.contract.rejections import Reason, Rejected
from andina.intel_exchange.domain.records import admit_record, owned_by
from andina.intel_exchange.domain.sharing import may_read_report, may_see, sharing_list

MEMBERS = ("BO", "CO", "EC", "PE")
TODAY = date(2026, 11, 23)
RECORD = PersonRecord.model_validate(PersonRecord.model_json_schema()["examples"][0])


def test_a_named_country_sees_the_record_and_an_excluded_one_does_not() -> None:
    assert may_see("CO", "EC", frozenset({"CO", "PE"}))
    assert not may_see("BO", "EC", frozenset({"CO", "PE"}))


def test_the_owner_always_sees_its_own_record_and_all_means_every_member() -> None:
    assert may_see("EC", "EC", frozenset())
    assert may_see("BO", "EC", None)


def test_all_members_is_refused_under_h3() -> None:
    with pytest.raises(Rejected) as refused:
        sharing_list("all", Handling.H3, "EC", MEMBERS)
    assert refused.value.reason is Reason.UNAUTHORIZED


def test_sharing_with_a_non_member_is_refused() -> None:
    with pytest.raises(Rejected) as refused:
        sharing_list(["CO", "AR"], Handling.H1, "EC", MEMBERS)
    assert refused.value.reason is Reason.UNKNOWN_COUNTRY


def test_a_record_submitted_by_another_country_than_its_owner_is_refused() -> None:
    with pytest.raises(Rejected) as refused:
        admit_record(RECORD, "CO", Handling.H1, MEMBERS, TODAY)
    assert refused.value.reason is Reason.UNAUTHORIZED


def test_the_owner_submits_its_record_with_its_restrictions() -> None:
    listing = admit_record(RECORD, "PE", Handling.H1, MEMBERS, TODAY)

    assert (listing.owner, listing.share_with, listing.immediate_alert) == ("PE", frozenset({"CO", "EC"}), True)


@pytest.mark.parametrize(
    ("event_type", "payload"), [(RECORD_SUBMITTED, PersonRecord), (RECORD_WITHDRAWN, RecordWithdrawal)]
)
def test_the_published_examples_are_sent_by_the_records_owner(event_type: str, payload: type[Payload]) -> None:
    event = example_event(event_type, payload)

    owned_by(event["data"]["record_id"], event["origin"])


def test_a_malformed_date_of_birth_is_refused_as_invalid() -> None:
    record = RECORD.model_copy(update={"date_of_birth": "1985-02-30"})
    with pytest.raises(Rejected) as refused:
        admit_record(record, "PE", Handling.H1, MEMBERS, TODAY)
    assert refused.value.reason is Reason.INVALID_PAYLOAD


def test_only_the_owner_may_withdraw_or_update_by_record_id() -> None:
    owned_by("EC-2026-000113", "EC")
    with pytest.raises(Rejected) as refused:
        owned_by("EC-2026-000113", "CO")
    assert refused.value.reason is Reason.UNAUTHORIZED


def test_a_report_is_read_by_its_sender_and_named_recipients_only() -> None:
    assert may_read_report("CO", "PE", ["CO"])
    assert may_read_report("PE", "PE", ["CO"])
    assert not may_read_report("BO", "PE", ["CO"])
