from datetime import UTC, datetime, time, timedelta
from uuid import uuid4

import pytest

from andina.alerts.domain.directory import VersionedEntry, replace_entry
from andina.alerts.domain.relay import RelayRequest
from andina.alerts.domain.rules import SignalRule, priority_for
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Handling
from andina.contract.events.alerts import Priority, RequestStatus, RequestUrgency
from andina.contract.events.directory import ContactPoint, DirectoryEntry, Shift
from andina.contract.events.relay import RequestSubmitted
from andina.contract.events.signals import AlertRequested, Severity
from andina.contract.rejections import Reason, Rejected

NOW = datetime(2026, 11, 23, 3, 40, tzinfo=UTC)
DEADLINES = {RequestUrgency.URGENT: timedelta(hours=8), RequestUrgency.NORMAL: timedelta(days=7)}


def submit(**fields: object) -> RelayRequest:
    payload = {"to": "PE", "subject": "s", "legal_basis": "b", "requesting_authority": "a", "urgency": "urgent"}
    submitted = RequestSubmitted.model_validate({**payload, **fields})
    return RelayRequest.submit(uuid4(), "BO", submitted, Handling.H1, NOW, DEADLINES, CountryRegistry.load())


def test_urgent_requests_are_due_in_8_hours_and_normal_ones_in_7_days() -> None:
    assert submit().answer_by == NOW + timedelta(hours=8)
    assert submit(urgency="normal").answer_by == NOW + timedelta(days=7)


def test_the_lifecycle_belongs_to_the_counterpart_and_closing_to_the_requester() -> None:
    request = submit()
    with pytest.raises(Rejected, match="only PE"):
        request.answered("CO", "x", NOW)
    answered = request.acknowledged("PE").answered("PE", "respuesta", NOW + timedelta(hours=1))
    assert (answered.status, answered.in_time) == (RequestStatus.ANSWERED, True)
    with pytest.raises(Rejected, match="already answered"):
        answered.refused("PE", "late", NOW)
    with pytest.raises(Rejected, match="only the requester"):
        answered.closed("PE")
    assert answered.closed("BO").status is RequestStatus.CLOSED


def test_a_late_answer_is_recorded_as_not_in_time() -> None:
    assert submit().answered("PE", "x", NOW + timedelta(hours=9)).in_time is False


@pytest.mark.parametrize(
    ("fields", "why"), [({"to": "XX"}, Reason.UNKNOWN_COUNTRY), ({"to": "BO"}, Reason.INVALID_PAYLOAD)]
)
def test_requests_to_non_members_or_to_oneself_are_refused(fields: dict[str, object], why: Reason) -> None:
    with pytest.raises(Rejected) as caught:
        submit(**fields)
    assert caught.value.reason is why


def entry(*shifts: Shift) -> VersionedEntry:
    point = ContactPoint(agency="PNP", post="24/7", languages=["es"], time_zone="America/Lima")
    return VersionedEntry(
        "PE", 1, DirectoryEntry(coordinator=point, primary=point, alternate=point, roster=list(shifts))
    )


def test_who_is_on_duty_follows_the_local_clock_and_night_shifts_cross_midnight() -> None:
    day = Shift(officer="Cap. Huamán", starts=time(7), ends=time(19))
    night = Shift(officer="Tte. Quispe", starts=time(19), ends=time(7), weekdays=[0])  # Monday night only
    book = entry(day, night)
    # 03:40 UTC on Monday 23 Nov is 22:40 on Sunday in Lima: Sunday night is not on the roster.
    assert book.on_duty(NOW) == []
    assert book.on_duty(NOW + timedelta(hours=12)) == ["Cap. Huamán"]  # 10:40 Monday in Lima
    assert book.on_duty(NOW + timedelta(days=1, hours=1)) == ["Tte. Quispe"]  # 23:40 Monday
    assert book.on_duty(NOW + timedelta(days=1, hours=6)) == ["Tte. Quispe"]  # 04:40 Tuesday, same shift


def test_a_country_replaces_only_its_own_entry_and_each_change_is_a_new_version() -> None:
    current = entry()
    assert replace_entry(current, "PE", "PE", current.entry).version == 2
    with pytest.raises(Rejected) as caught:
        replace_entry(current, "CO", "PE", current.entry)
    assert caught.value.reason is Reason.UNAUTHORIZED


def test_signal_rules_pick_the_first_matching_priority_or_none() -> None:
    rules = [
        SignalRule("intel-exchange", "screening-hit", Severity.HIGH, Priority.FLASH),
        SignalRule("*", "*", Severity.MEDIUM, Priority.ROUTINE),
    ]
    signal = {"signal": "screening-hit", "category": "wanted-person", "summary": "s", "country": "EC"}
    hit = AlertRequested.model_validate({**signal, "severity": "critical", "recipients": ["CO"], "reference": "r"})

    assert priority_for(rules, "intel-exchange", hit) is Priority.FLASH
    assert priority_for(rules, "customs", hit) is Priority.ROUTINE
    low = hit.model_copy(update={"severity": Severity.LOW})
    assert priority_for(rules, "intel-exchange", low) is None
