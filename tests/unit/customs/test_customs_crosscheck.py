"""Differences beyond tolerance, their severity, and the alert they ask for."""

from decimal import Decimal
from uuid import uuid4

import pytest

from andina.contract.events.customs.declarations import Compared, MatchMethod
from andina.contract.events.signals import Severity
from andina.customs.domain.crosscheck import Tolerances, differences, excess_severity
from andina.customs.domain.findings import discrepancy, discrepancy_alert
from andina.customs.domain.matching import Match
from tests.customs_samples import filed, gold_export, gold_import


def compared(export_changes: dict[str, object], import_changes: dict[str, object]) -> dict[Compared, Severity]:
    export, imported = filed(gold_export(**export_changes), "PE"), filed(gold_import(**import_changes), "CO")
    return {d.compared: d.severity for d in differences(export, imported, Tolerances())}


def test_the_same_shipment_declared_alike_on_both_sides_has_no_difference() -> None:
    assert compared({}, {}) == {}


def test_differences_within_tolerance_are_not_reported() -> None:
    assert compared({}, {"gross_weight_kg": "118", "value": {"amount": "8700000", "currency": "USD"}}) == {}


def test_thirty_percent_less_weight_is_a_high_difference() -> None:
    assert compared({"quantity": "80"}, {"quantity": "80", "gross_weight_kg": "84.7"}) == {
        Compared.GROSS_WEIGHT: Severity.HIGH
    }


def test_values_are_compared_after_conversion_to_usd() -> None:
    found = compared(
        {"value": {"amount": "1000000", "currency": "EUR"}}, {"value": {"amount": "700000", "currency": "USD"}}
    )

    assert set(found) == {Compared.VALUE}


def test_quantities_in_other_units_are_compared_in_common_units() -> None:
    assert compared({"quantity": "0.1205", "unit": "t"}, {"quantity": "120500", "unit": "g"}) == {}


@pytest.mark.parametrize(
    ("imported_hs", "severity"),
    [("710813", Severity.LOW), ("711291", Severity.MEDIUM), ("261690", Severity.HIGH)],
    ids=["subheading", "heading", "chapter"],
)
def test_another_hs_code_is_more_severe_the_coarser_the_difference(imported_hs: str, severity: Severity) -> None:
    assert compared({}, {"hs_code": imported_hs}) == {Compared.HS_CODE: severity}


@pytest.mark.parametrize(
    ("relative", "severity"),
    [("0.08", Severity.LOW), ("0.15", Severity.MEDIUM), ("0.3", Severity.HIGH), ("0.6", Severity.CRITICAL)],
)
def test_severity_grows_with_the_excess_over_the_tolerance(relative: str, severity: Severity) -> None:
    assert excess_severity(Decimal(relative), Decimal("0.05")) is severity


def test_sensitive_goods_raise_the_finding_one_step_and_alert_both_ends_in_the_importers_name() -> None:
    export, imported = filed(gold_export(), "PE"), filed(gold_import(gross_weight_kg="84.7", quantity="84.2"), "CO")
    match = Match(export, MatchMethod.TRANSPORT_DOCUMENT, 1.0)

    finding = discrepancy(uuid4(), imported, match, Tolerances())
    assert finding is not None
    alert = discrepancy_alert(finding, export)

    assert finding.severity is Severity.CRITICAL
    assert (finding.exported.country, finding.imported.country) == ("PE", "CO")
    assert (alert.country, alert.recipients, alert.category.value) == ("CO", ["CO", "PE"], "illegal-mining")


def test_a_matching_pair_in_agreement_is_no_finding() -> None:
    export, imported = filed(gold_export(), "PE"), filed(gold_import(), "CO")

    assert discrepancy(uuid4(), imported, Match(export, MatchMethod.TRANSPORT_DOCUMENT, 1.0), Tolerances()) is None
