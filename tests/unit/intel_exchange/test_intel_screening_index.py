"""The in-memory screening index: hits only on live records the asker may see."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from andina.contract.events.intel_exchange import RecordType, RequestedAction
from andina.intel_exchange.domain.identity import NATIONAL_ID, BirthDate, Profile
from andina.intel_exchange.domain.readings import Reading
from andina.intel_exchange.domain.screening import Listing, ScreeningIndex
from andina.shared.horizon import Regrowth

TODAY = date(2026, 11, 23)
WANTED = Profile(("juan", "carlos"), ("quispe", "huaman"), BirthDate(1985, 3, 12))
QUERY = [Reading(Profile(("juan",), ("quispi", "guaman"), BirthDate(1985, 12, 3)))]


def listing(record_id: str, profile: Profile, **changes: object) -> Listing:
    base = Listing(
        record_id=record_id,
        owner=record_id[:2],
        record_type=RecordType.WARRANT,
        requested_action=RequestedAction.ARREST,
        share_with=frozenset({"CO"}),
        immediate_alert=False,
        expires_on=None,
        profile=profile.encode(),
        filed_on=TODAY,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def index_with(*listings: Listing) -> ScreeningIndex:
    index = ScreeningIndex()
    index.load([listing("PE-1", Profile(("rosa",), ("mamani", "condori"), BirthDate(1970, 1, 2))), *listings])
    return index


def test_a_variant_of_a_listed_person_hits_for_a_country_it_is_shared_with() -> None:
    hits = index_with(listing("EC-1", WANTED)).screen(QUERY, "CO", TODAY)

    assert [h.listing.record_id for h in hits] == ["EC-1"]


def test_an_excluded_country_gets_no_hit() -> None:
    assert index_with(listing("EC-1", WANTED)).screen(QUERY, "BO", TODAY) == []


def test_expired_records_stop_hitting_on_their_expiry_day() -> None:
    index = index_with(listing("EC-1", WANTED, expires_on=TODAY))

    assert index.screen(QUERY, "CO", TODAY) == []
    assert len(index.screen(QUERY, "CO", date(2026, 11, 22))) == 1


def test_withdrawn_records_stop_hitting() -> None:
    index = index_with(listing("EC-1", WANTED))
    index.remove("EC-1")

    assert index.screen(QUERY, "CO", TODAY) == []


def test_an_update_replaces_the_previous_version() -> None:
    index = index_with(listing("EC-1", WANTED))
    index.put(listing("EC-1", WANTED, share_with=frozenset({"BO"})))

    assert index.screen(QUERY, "CO", TODAY) == []
    assert [h.listing.share_with for h in index.screen(QUERY, "BO", TODAY)] == [frozenset({"BO"})]


def test_records_added_after_start_up_are_found() -> None:
    index = index_with()
    index.put(listing("EC-1", WANTED))

    assert len(index.screen(QUERY, "CO", TODAY)) == 1


def test_a_look_drops_records_no_longer_live_and_the_others_still_hit() -> None:
    others = [
        listing(f"PE-{i}", Profile(("rosa",), (f"apaza{i}", "condori"), BirthDate(1970, 1, 2))) for i in range(2, 9)
    ]
    index = index_with(listing("EC-1", WANTED), listing("EC-2", WANTED, expires_on=TODAY), *others)
    index.regrowth = Regrowth(minimum=13)
    index.put(listing("EC-1", WANTED, share_with=frozenset({"CO", "BO"})))  # replaces the first version
    index.put(listing("EC-3", WANTED))
    index.remove("PE-2")
    due_before = index.look_due()  # 12 filed, 3 no longer live (replaced, expired, withdrawn)
    index.put(listing("EC-4", WANTED))
    due, size = index.look_due(), index.blocking_bytes

    index.forget(TODAY)

    assert (due_before, due, index.look_due()) == (False, True, False)
    assert index.blocking_bytes < size
    assert sorted(h.listing.record_id for h in index.screen(QUERY, "CO", TODAY)) == ["EC-1", "EC-3", "EC-4"]
    assert [h.listing.record_id for h in index.screen(QUERY, "BO", TODAY)] == ["EC-1"]
    assert ("EC-2" in index, "PE-2" in index, index.listing("EC-2")) == (False, False, None)
    assert [index.listing(f"PE-{i}") is not None for i in range(3, 9)] == [True] * 6
    index.put(listing("EC-2", WANTED))  # filed again after it expired: hits again
    assert len(index.screen(QUERY, "CO", TODAY)) == 4


def test_a_namesake_born_another_year_is_no_hit_unless_a_document_agrees() -> None:
    document = f"EC{NATIONAL_ID}1712345678"
    index = index_with(listing("EC-1", replace(WANTED, documents=frozenset({document}))))
    namesake = replace(WANTED, birth=BirthDate(1991, 7, 30))

    assert index.screen([Reading(namesake)], "CO", TODAY) == []
    hits = index.screen([Reading(replace(namesake, documents=frozenset({document})))], "CO", TODAY)
    assert [(h.listing.record_id, "document" in h.match.matched_fields) for h in hits] == [("EC-1", True)]
