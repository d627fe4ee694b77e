"""Rules of a return case: consent, a minor's guardian, whose step it is, dates in order, deadlines."""

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from andina.alerts.domain.returns import ReturnCase
from andina.contract.envelope import Handling
from andina.contract.events.returns import (
    OPENED,
    Placement,
    ReceptionPlan,
    ReturnCaseOpened,
    ReturnStatus,
    TravelPlan,
)
from andina.contract.rejections import Reason, Rejected
from tests.unit.alerts.fakes import COUNTRIES, RETURN_DEADLINES

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

PLAN = ReceptionPlan(receiving_agency="MIMP", placement=Placement.SHELTER, follow_up_agency="MIMP UPE")


def opened(destination: str = "EC", handling: Handling = Handling.H3, **fields: Any) -> ReturnCase:
    return ReturnCase.open(
        uuid4(), destination, ReturnCaseOpened.model_validate({**OPENED, **fields}), handling, NOW, COUNTRIES
    )


def travel(*legs: tuple[str, int, int], departs: int = 24, arrives: int = 48) -> TravelPlan:
    route = [
        {
            "country": country,
            "enters_at": NOW + timedelta(hours=enters),
            "leaves_at": NOW + timedelta(hours=leaves),
            "border_posts": "Rumichaca",
        }
        for country, enters, leaves in legs
    ]
    return TravelPlan.model_validate(
        {
            "departs_at": NOW + timedelta(hours=departs),
            "arrives_at": NOW + timedelta(hours=arrives),
            "route": route,
            "escort": "DINAPEN",
            "travel_document": "salvoconducto 114",
        }
    )


@pytest.mark.parametrize(
    ("change", "why", "rule"),
    [
        ({"consent_given": False}, Reason.INVALID_PAYLOAD, "informed consent"),
        ({"age_group": "minor"}, Reason.INVALID_PAYLOAD, "guardian"),
        ({"origin_country": "EC"}, Reason.INVALID_PAYLOAD, "another country"),
        ({"origin_country": "VE"}, Reason.UNKNOWN_COUNTRY, "not a member of the returns"),
        ({"identified_on": "2026-11-30"}, Reason.INVALID_PAYLOAD, "in the future"),
    ],
)
def test_a_case_that_breaks_a_rule_is_refused_naming_it(change: dict[str, Any], why: Reason, rule: str) -> None:
    with pytest.raises(Rejected, match=rule) as refused:
        opened(**change)
    assert refused.value.reason is why


def test_a_case_is_h3_only() -> None:
    with pytest.raises(Rejected, match="h3"):
        opened(handling=Handling.H2)


def test_a_programme_only_member_may_be_either_country_of_a_case() -> None:
    case = opened(destination="CL", origin_country="PY")
    assert (case.destination, case.origin, case.corridor) == ("CL", "PY", "CL-PY")


def test_each_step_is_for_its_country_and_a_country_not_party_to_the_case_is_refused() -> None:
    case = opened()
    with pytest.raises(Rejected, match="CO is not a country of return case") as outsider:
        case.reception_proposed("CO", True, PLAN, NOW)
    assert outsider.value.reason is Reason.UNAUTHORIZED
    with pytest.raises(Rejected, match="reception-proposed is for PE"):
        case.reception_proposed("EC", True, PLAN, NOW)
    with pytest.raises(Rejected, match="not awaiting travel-planned"):
        case.travel_planned("EC", travel(), NOW, COUNTRIES)
    with pytest.raises(Rejected, match="verified"):
        case.reception_proposed("PE", False, PLAN, NOW)
    assert case.reception_proposed("PE", True, PLAN, NOW).status is ReturnStatus.RECEPTION_PROPOSED


@pytest.mark.parametrize(
    ("plan", "rule"),
    [
        (travel(("CO", 30, 20)), "out of order"),
        (travel(("CO", 20, 30)), "out of order"),  # enters before departure
        (travel(departs=-1), "out of order"),
        (travel(("PE", 30, 40)), "neither country of the case"),
        (travel(("CO", 26, 30), ("CO", 31, 40)), "each country of transit once"),
        (travel(("VE", 26, 30)), "not on the network"),
    ],
)
def test_a_travel_plan_with_dates_out_of_order_or_a_wrong_route_is_refused(plan: TravelPlan, rule: str) -> None:
    case = opened().reception_proposed("PE", True, PLAN, NOW)
    with pytest.raises(Rejected, match=rule):
        case.travel_planned("EC", plan, NOW, COUNTRIES)


def walk_to_reception(case: ReturnCase) -> ReturnCase:
    later = NOW + timedelta(hours=1)
    case = case.reception_proposed("PE", True, PLAN, NOW).travel_planned("EC", travel(("CO", 26, 30)), NOW, COUNTRIES)
    return case.travel_agreed("PE", NOW).handed_over("EC", NOW, later).received("PE", later, later)


def test_a_case_runs_to_its_follow_ups_in_order_and_closes_once_received() -> None:
    case = opened()
    with pytest.raises(Rejected, match="closes once the victim is received"):
        case.closed("EC", NOW)
    received = walk_to_reception(case)
    assert received.days_to_return() == (NOW.date() - date(2026, 11, 20)).days
    with pytest.raises(Rejected, match="day 30"):
        received.followed_up("PE", 90, "bien")
    with pytest.raises(Rejected, match="follow-ups are the origin's"):
        received.followed_up("EC", 30, "bien")
    followed = received.followed_up("PE", 30, "bien").followed_up("PE", 90, "bien")
    assert followed.awaiting(RETURN_DEADLINES) is not None
    assert followed.awaiting(RETURN_DEADLINES).step == "follow-up-180"  # type: ignore[union-attr]
    closed = followed.closed("EC", NOW)
    assert closed.status is ReturnStatus.CLOSED
    with pytest.raises(Rejected, match="already closed"):
        closed.withdrawn("PE", "x", NOW)


def test_a_handover_time_after_now_or_a_reception_before_the_handover_is_refused() -> None:
    agreed = (
        opened()
        .reception_proposed("PE", True, PLAN, NOW)
        .travel_planned("EC", travel(), NOW, COUNTRIES)
        .travel_agreed("PE", NOW)
    )
    with pytest.raises(Rejected, match="handover time"):
        agreed.handed_over("EC", NOW + timedelta(hours=2), NOW + timedelta(hours=1))
    handed = agreed.handed_over("EC", NOW + timedelta(hours=1), NOW + timedelta(hours=1))
    with pytest.raises(Rejected, match="reception time"):
        handed.received("PE", NOW, NOW + timedelta(hours=2))


def test_a_minors_or_urgent_health_case_has_the_shorter_deadline_for_every_step() -> None:
    adult, minor = opened(), opened(age_group="minor", guardian="DINAPEN, tutora asignada")
    urgent = opened(urgent_health_risk=True)
    assert adult.awaiting(RETURN_DEADLINES).due_by == NOW + timedelta(days=7)  # type: ignore[union-attr]
    assert minor.awaiting(RETURN_DEADLINES).due_by == NOW + timedelta(days=2)  # type: ignore[union-attr]
    assert urgent.awaiting(RETURN_DEADLINES).responsible == "PE"  # type: ignore[union-attr]
    assert urgent.awaiting(RETURN_DEADLINES).due_by == NOW + timedelta(days=2)  # type: ignore[union-attr]
    planned = minor.reception_proposed("PE", True, PLAN, NOW + timedelta(days=1))
    assert planned.awaiting(RETURN_DEADLINES).responsible == "EC"  # type: ignore[union-attr]
    assert planned.awaiting(RETURN_DEADLINES).due_by == NOW + timedelta(days=3)  # type: ignore[union-attr]


def test_either_country_may_withdraw_and_the_case_ends() -> None:
    withdrawn = opened().withdrawn("PE", "la víctima retiró su consentimiento", NOW)
    assert (withdrawn.status, withdrawn.withdrawn_by, withdrawn.awaiting(RETURN_DEADLINES)) == (
        ReturnStatus.WITHDRAWN,
        "PE",
        None,
    )
    with pytest.raises(Rejected, match="already withdrawn"):
        withdrawn.reception_proposed("PE", True, PLAN, NOW)
