"""The HS table and the dated currency rates the cross-checks rely on."""

import datetime as dt
from decimal import Decimal

import pytest

from andina.contract.events.alerts import AlertCategory
from andina.contract.rejections import Reason, Rejected
from andina.customs.domain.currency import CurrencyRates
from tests.customs_samples import HS, RATES


def test_a_code_is_known_by_its_heading() -> None:
    heading = HS.heading("7108120000")

    assert (heading.code, heading.category, heading.sensitive) == ("7108", AlertCategory.ILLEGAL_MINING, True)


def test_an_unknown_heading_is_refused_naming_the_code() -> None:
    with pytest.raises(Rejected) as refused:
        HS.heading("719999")

    assert refused.value.reason is Reason.INVALID_PAYLOAD
    assert "unknown HS code 719999" in refused.value.detail


def test_the_packaged_rates_cover_the_network_currencies() -> None:
    for currency in ("BOB", "COP", "PEN", "USD", "EUR"):
        assert RATES.to_base(Decimal(100), currency, dt.date(2026, 11, 18)) > 0


def test_a_rate_holds_from_its_date_until_the_next() -> None:
    rates = CurrencyRates(
        "USD",
        {"PEN": {dt.date(2026, 1, 1): Decimal("4"), dt.date(2026, 2, 1): Decimal("5")}},
        dt.timedelta(days=45),
    )

    assert rates.to_base(Decimal(100), "PEN", dt.date(2026, 1, 31)) == Decimal(25)
    assert rates.to_base(Decimal(100), "PEN", dt.date(2026, 2, 1)) == Decimal(20)


@pytest.mark.parametrize(
    ("currency", "day"),
    [("PEN", dt.date(2024, 12, 31)), ("PEN", dt.date(2026, 3, 20)), ("JPY", dt.date(2026, 1, 5))],
    ids=["before-the-first-rate", "rate-too-old", "unknown-currency"],
)
def test_a_currency_without_a_rate_for_the_date_is_refused(currency: str, day: dt.date) -> None:
    rates = CurrencyRates("USD", {"PEN": {dt.date(2026, 1, 1): Decimal("4")}}, dt.timedelta(days=45))

    with pytest.raises(Rejected, match="no exchange rate"):
        rates.to_base(Decimal(1), currency, day)
