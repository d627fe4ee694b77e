"""Dated exchange rates: declared values are compared in one currency at each declaration's date."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from andina.contract.rejections import Reason, Rejected


class CurrencyRates:
    """Units of each currency per unit of ``base``; a rate holds from its date until the next one, up to ``max_age``."""

    def __init__(self, base: str, rates: Mapping[str, Mapping[dt.date, Decimal]], max_age: dt.timedelta) -> None:
        self.base = base
        self._max_age = max_age
        self._dates = {currency: sorted(by_date) for currency, by_date in rates.items()}
        self._rates = {currency: dict(by_date) for currency, by_date in rates.items()}

    @classmethod
    def from_document(cls, document: Mapping[str, Any], max_age: dt.timedelta) -> CurrencyRates:
        """From the JSON form: ``{"base": "USD", "rates": {"PEN": {"2026-01-01": "3.40"}}}``."""
        rates = {
            currency: {dt.date.fromisoformat(day): Decimal(rate) for day, rate in by_date.items()}
            for currency, by_date in document["rates"].items()
        }
        return cls(document["base"], rates, max_age)

    def to_base(self, amount: Decimal, currency: str, on: dt.date) -> Decimal:
        """``amount`` of ``currency`` in the base currency at the rate in force ``on`` that day."""
        if currency == self.base:
            return amount
        dates = self._dates.get(currency)
        if not dates:
            raise Rejected(Reason.INVALID_PAYLOAD, f"no exchange rate for currency {currency}")
        position = bisect.bisect_right(dates, on)
        if position == 0 or on - dates[position - 1] > self._max_age:
            raise Rejected(Reason.INVALID_PAYLOAD, f"no exchange rate for {currency} on {on.isoformat()}")
        return amount / self._rates[currency][dates[position - 1]]
