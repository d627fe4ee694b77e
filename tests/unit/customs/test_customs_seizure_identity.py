"""One seizure, one report: which two reports are the same seizure."""

from decimal import Decimal
from typing import Any

import pytest

from andina.contract.events.customs.seizures import SeizureReport
from andina.customs.domain.seizures import SeizureIdentity, identity, same_seizure
from tests.customs_samples import HS, mercury_seizure

TOLERANCE = Decimal("0.05")
# BO's report of the joint operation: its own case number, office name, units and a day later.
BOLIVIAN_VIEW = {
    "office": "Desaguadero",
    "quantity": "0.305",
    "unit": "t",
    "seized_on": "2026-11-21",
    "reference": "ANB-2026-CD-118",
    "vehicles": ["2345XYZ"],
}


def seizure(reporter: str, **changes: Any) -> SeizureIdentity:
    return identity(reporter, SeizureReport.model_validate(mercury_seizure(**changes)), HS)


def test_the_same_report_sent_again_is_the_same_seizure() -> None:
    assert same_seizure(seizure("PE"), seizure("PE", concealment="Cisterna"), TOLERANCE)


def test_both_sides_of_a_joint_operation_report_one_seizure() -> None:
    assert same_seizure(seizure("PE"), seizure("BO", **BOLIVIAN_VIEW), TOLERANCE)


def test_a_shared_vehicle_identifies_the_place_when_the_offices_are_named_differently() -> None:
    other_office = {**BOLIVIAN_VIEW, "office": "Administración Aduana Frontera Guaqui"}

    assert same_seizure(seizure("PE"), seizure("BO", **other_office), TOLERANCE)


def test_one_administrations_two_case_numbers_are_two_seizures() -> None:
    assert not same_seizure(seizure("PE"), seizure("PE", reference="SUNAT-DEC-2026-0312"), TOLERANCE)


@pytest.mark.parametrize(
    "changes",
    [
        {"quantity": "250"},
        {"seized_on": "2026-11-23"},
        {"commodity": {"hs_code": "710812", "description": "Oro"}},
        {"office": "Aduana de Tumbes", "vehicles": []},
    ],
    ids=["other-quantity", "other-day", "other-goods", "other-place"],
)
def test_reports_that_differ_in_what_identifies_a_seizure_are_two_seizures(changes: dict[str, Any]) -> None:
    assert not same_seizure(seizure("PE"), seizure("BO", **{**BOLIVIAN_VIEW, **changes}), TOLERANCE)
