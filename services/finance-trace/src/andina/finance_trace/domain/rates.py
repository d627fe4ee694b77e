"""Dated exchange rates: every amount is normalised to US dollars at the rate of its day.

The table is data (CSV: ``date,currency,usd_per_unit``; ``#`` starts a comment). A rate is
valid from its date until the currency's next row, and for at most ``max_age`` days, so
a table nobody updated refuses amounts instead of converting them at a stale rate.
"""

from __future__ import annotations

import bisect
import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from andina.contract.rejections import Reason, Rejected

CENT = Decimal("0.01")


@dataclass(frozen=True)
class RateTable:
    max_age: timedelta = timedelta(days=45)
    _days: dict[str, list[date]] = field(default_factory=dict)
    _rates: dict[str, list[Decimal]] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str, max_age: timedelta = timedelta(days=45)) -> RateTable:
        rows: dict[str, list[tuple[date, Decimal]]] = {}
        lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        for number, row in enumerate(csv.DictReader(io.StringIO("\n".join(lines))), start=1):
            try:
                day, currency = date.fromisoformat(row["date"]), row["currency"].strip()
                rate = Decimal(row["usd_per_unit"])
            except (KeyError, ValueError, ArithmeticError) as exc:
                raise ValueError(f"rates table row {number} is not date,currency,usd_per_unit: {row}") from exc
            if rate <= 0 or len(currency) != 3 or not currency.isupper():
                raise ValueError(f"rates table row {number}: {currency} {rate} is not a positive rate of a currency")
            rows.setdefault(currency, []).append((day, rate))
        table = cls(max_age)
        for currency, dated in rows.items():
            dated.sort()
            table._days[currency] = [day for day, _ in dated]
            table._rates[currency] = [rate for _, rate in dated]
        return table

    @property
    def currencies(self) -> frozenset[str]:
        return frozenset(self._days)

    def usd_per_unit(self, currency: str, on: date) -> Decimal:
        days = self._days.get(currency)
        if days is None:
            known = ", ".join(sorted(self._days))
            raise Rejected(Reason.INVALID_PAYLOAD, f"unknown currency {currency!r}: the rates table has {known}")
        index = bisect.bisect_right(days, on) - 1
        if index < 0 or on - days[index] > self.max_age:
            raise Rejected(Reason.INVALID_PAYLOAD, f"no {currency} to USD rate for {on.isoformat()} in the rates table")
        return self._rates[currency][index]

    def to_usd(self, amount: Decimal, currency: str, on: date) -> Decimal:
        return (amount * self.usd_per_unit(currency, on)).quantize(CENT, ROUND_HALF_UP)
