from datetime import date
from decimal import Decimal

import pytest

from andina.contract.rejections import Reason, Rejected
from andina.finance_trace.domain.rates import RateTable

TABLE = RateTable.parse(
    """# a comment
date,currency,usd_per_unit
2026-10-01,PEN,0.26
2026-11-01,PEN,0.27
2026-11-01,USD,1
"""
)


def test_an_amount_is_converted_at_the_rate_of_its_day() -> None:
    assert TABLE.to_usd(Decimal("1000"), "PEN", date(2026, 10, 31)) == Decimal("260.00")
    assert TABLE.to_usd(Decimal("1000"), "PEN", date(2026, 11, 1)) == Decimal("270.00")


def test_an_unknown_currency_is_refused_clearly() -> None:
    with pytest.raises(Rejected) as caught:
        TABLE.to_usd(Decimal(1), "XAU", date(2026, 11, 1))
    assert caught.value.reason is Reason.INVALID_PAYLOAD
    assert "unknown currency 'XAU'" in caught.value.detail


@pytest.mark.parametrize("day", [date(2026, 9, 30), date(2027, 1, 1)])
def test_a_day_before_the_table_or_long_after_its_last_rate_has_no_rate(day: date) -> None:
    with pytest.raises(Rejected, match="no PEN to USD rate"):
        TABLE.to_usd(Decimal(1), "PEN", day)


def test_a_malformed_table_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="row 1"):
        RateTable.parse("date,currency,usd_per_unit\n2026-01-01,PEN,-3\n")


def test_the_packaged_table_has_the_members_currencies_and_the_euro() -> None:
    from andina.finance_trace.settings import Settings

    assert {"BOB", "COP", "PEN", "USD", "EUR"} <= Settings().report_rules().rates.currencies
