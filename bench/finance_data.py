"""A synthetic transaction stream over four countries, with laundering patterns planted at known places.

Written apart from the service it scores: its thresholds are the defaults the docs give
(docs/configuration.md, docs/findings.md), its exchange rates rough public ones, its transfers
records of its own; bench.finance and bench.finance_service turn them into the service's input.
Ordinary traffic: retail and business payments, cash in and out, a few remittances abroad;
and look-alikes: payroll paid from a business's balance, landlords keeping many tenants' rents.
Planted, each with its transfers as the truth, labelled with its most specific kind: structuring,
fan-in and fan-out mules, circular flows, rapid pass-through, chains across three or four
borders. Varied as reports show them: rings across borders (also border chains) or fast enough
to be pass-through at each account, a few hundred dollars of unrelated traffic on mule accounts,
local currencies, transfers across a border reported by the FIUs of both ends. Reports arrive
after a lag of up to six hours (days for the second FIU), so not in the order things happened.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from andina.contract.events.finance_trace import Pattern
from andina.contract.subject_hash import account_ref
from bench.finance_world import CASH, DAY, KEY, PERIOD, PLANTERS, Record, World, arrivals, look_alikes, ordinary


@dataclass(frozen=True)
class Planted:
    pattern: Pattern
    transactions: frozenset[int]  # transfer numbers


@dataclass(frozen=True)
class Report:
    """Transfers one FIU reports together, with their transfer numbers, and the dataset's accounts."""

    id: str
    reporter: str
    records: list[Record]
    positions: list[int]
    refs: list[str]
    countries: list[str]

    def account(self, account: int) -> tuple[str, str] | None:
        """The hashed ref and the country of an account; None for cash."""
        return None if account == CASH else (self.refs[account], self.countries[account])


@dataclass
class Dataset:
    refs: list[str]
    countries: list[str]
    records: list[Record] = field(default_factory=list)  # by transfer number: the order of first arrival
    arrivals: list[tuple[int, str]] = field(default_factory=list)  # transfer number, reporting FIU
    planted: list[Planted] = field(default_factory=list)

    def reports(self, size: int = 100) -> Iterator[Report]:
        """Each FIU's transfers in arrival order, ``size`` per report, as they would be sent."""
        open_reports: dict[str, list[int]] = {}
        for arrival, (_, reporter) in enumerate(self.arrivals):
            batch = open_reports.setdefault(reporter, [])
            batch.append(arrival)
            if len(batch) == size:
                yield self._report(open_reports.pop(reporter))
        for batch in open_reports.values():
            yield self._report(batch)

    def _report(self, arrivals: list[int]) -> Report:
        numbers = [self.arrivals[a][0] for a in arrivals]
        reporter = self.arrivals[arrivals[0]][1]
        records = [self.records[n] for n in numbers]
        return Report(f"bench-{arrivals[0]}", reporter, records, numbers, self.refs, self.countries)


def generate(transactions: int, seed: int = 2026, start: float | None = None, per_kind: int | None = None) -> Dataset:
    """About ``transactions`` transfers (ordinary, look-alikes, planted) over 180 days ending a day ago, with
    ``per_kind`` patterns of each kind planted (by default one per 2,500 transfers, at least 20)."""
    w = World(transactions, seed, start if start is not None else time.time() - PERIOD - DAY)
    for pattern, planter in PLANTERS.items():
        for _ in range(per_kind or max(20, transactions // 2500)):
            planter(w, w.plant(pattern))
    look_alikes(w)
    ordinary(w, max(0, transactions - len(w.raw)))
    data = Dataset([account_ref(KEY, c, "BANK" + c, f"{i:09d}") for i, c in enumerate(w.countries)], w.countries)
    number: dict[int, int] = {}
    members: dict[int, set[int]] = {}
    for _, index, reporter in arrivals(w):
        if index not in number:
            number[index] = len(data.records)
            data.records.append(w.raw[index])
            if w.raw[index].plant >= 0:
                members.setdefault(w.raw[index].plant, set()).add(number[index])
        data.arrivals.append((number[index], reporter))
    data.planted = [Planted(w.plants[p], frozenset(members[p])) for p in sorted(members)]
    return data
