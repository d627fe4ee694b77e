"""Filing a declaration: bad input is refused before anything is kept."""

import datetime as dt
from decimal import Decimal

import orjson
import pytest
from pydantic import ValidationError

from andina.contract.events.customs.declarations import Declaration
from andina.contract.rejections import Rejected
from tests.customs_samples import RECEIVED, filed, gold_export, gold_import


def test_an_export_and_an_import_name_the_same_lane() -> None:
    export, imported = filed(gold_export(), "PE"), filed(gold_import(), "CO")

    assert (export.exporter, export.importer) == (imported.exporter, imported.importer) == ("PE", "CO")


def test_values_are_converted_to_usd_at_the_declarations_date() -> None:
    export = filed(gold_export(value={"amount": "3396.5", "currency": "PEN"}), "PE")

    assert export.value_usd == Decimal("1000.00")


def test_units_are_brought_to_kilograms() -> None:
    export = filed(gold_export(quantity="0.1205", unit="t"), "PE")

    assert (export.dimension, export.quantity) == ("mass", Decimal("120.5"))


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        ({"hs_code": "719999"}, "unknown HS code"),
        ({"value": {"amount": "10", "currency": "XAU"}}, "no exchange rate for currency XAU"),
        ({"declared_on": "2024-06-01"}, "no exchange rate for PEN on 2024-06-01"),
        ({"quantity": "5000", "gross_weight_kg": "121"}, "exceeds the gross weight"),
        ({"partner": "PE"}, "another country than the filer"),
        ({"declared_on": (RECEIVED.date() + dt.timedelta(days=5)).isoformat()}, "in the future"),
    ],
    ids=["unknown-hs", "no-currency-rate", "no-rate-for-the-date", "absurd-quantity", "self-partner", "future"],
)
def test_bad_declarations_are_refused_with_a_clear_reason(changes: dict[str, object], detail: str) -> None:
    with pytest.raises(Rejected, match=detail):
        filed(gold_export(**changes), "PE")


@pytest.mark.parametrize(
    "changes",
    [{"quantity": "-3"}, {"quantity": "0"}, {"gross_weight_kg": "1e12"}, {"quantity": 12.5}],
    ids=["negative", "zero", "absurd-weight", "number-not-string"],
)
def test_the_contract_refuses_negative_absurd_or_inexact_figures(changes: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Declaration.model_validate_json(orjson.dumps(gold_export(**changes)), strict=True)
