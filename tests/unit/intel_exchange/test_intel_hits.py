"""What a hit tells whom: a reference without personal data, and the alert the owner asked for."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from andina.contract.events.alerts import AlertCategory
from andina.contract.events.intel_exchange import RecordType, RequestedAction
from andina.contract.events.signals import Severity
from andina.intel_exchange.domain.hits import alert_for, reference
from andina.intel_exchange.domain.identity import BirthDate, Profile
from andina.intel_exchange.domain.matching import Match
from andina.intel_exchange.domain.screening import Hit, Listing

HIT = Hit(
    Listing(
        record_id="EC-2026-000113",
        owner="EC",
        record_type=RecordType.MISSING_PERSON,
        requested_action=RequestedAction.INFORM_OWNER,
        share_with=None,
        immediate_alert=True,
        expires_on=None,
        profile=Profile(("rosa",), ("quispe",), BirthDate(2010, 5, 1)).encode(),
        filed_on=date(2026, 1, 5),
    ),
    Match(0.934, ("surnames", "date_of_birth")),
)


def test_a_hit_reference_carries_no_personal_data() -> None:
    text = reference(HIT).model_dump_json().lower()

    assert [word for word in ("rosa", "quispe", "2010") if word in text] == []
    assert reference(HIT).score == "0.93"


def test_the_alert_is_raised_in_the_owners_name_for_the_owner_and_the_asker() -> None:
    alert = alert_for(HIT, "CO", "Rumichaca", UUID(int=1))

    assert (alert.country, alert.recipients, alert.category) == ("EC", ["CO", "EC"], AlertCategory.MISSING_PERSON)
    assert alert.severity is Severity.HIGH
