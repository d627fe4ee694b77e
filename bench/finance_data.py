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

import itertools
import math
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from andina.contract.events.finance_trace import Channel, Pattern
from andina.contract.subject_hash import NetworkKey, account_ref

HOUR = 3600.0
DAY = 24 * HOUR
COUNTRIES = ("BO", "CO", "EC", "PE")
PERIOD = 180 * DAY
KEY = NetworkKey("k1", b"benchmark-network-key-not-secret")
CASH_THRESHOLD_USD = 10_000.0  # ANDINA_FINANCE_REPORTING_THRESHOLD_USD, as documented
UNITS_PER_USD = {"BOB": 6.96, "COP": 4_000.0, "PEN": 3.7, "USD": 1.0}  # rough, not the service's table
LOCAL_CURRENCY = {"BO": "BOB", "CO": "COP", "EC": "USD", "PE": "PEN"}
LOCAL_SHARE = 0.7  # of transfers within a country and of cash, in its currency; the rest in dollars
RATE_MARGIN = 0.95  # amounts meant to stay under a threshold keep clear of our rates' error
STRAY_USD = (50.0, 900.0)  # unrelated payments in and out of a mule account, now and then
BOTH_ENDS_SHARE = 0.4  # of transfers across a border, reported by the receiving FIU too
CASH = -1


class Record(NamedTuple):
    """One transfer: accounts as indexes into the dataset's (CASH for cash), the amount in ``currency``."""

    time: float
    source: int
    target: int
    amount: float
    currency: str
    channel: Channel
    plant: int  # the planted pattern it belongs to, or -1


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


class _World:
    def __init__(self, transactions: int, seed: int, start: float) -> None:
        self.rng = random.Random(seed)
        self.start = start
        self.countries: list[str] = []
        self.raw: list[Record] = []
        self.plants: list[Pattern] = []
        people = transactions // 11
        self.people = [self.account(COUNTRIES[i % 4]) for i in range(people)]
        self.businesses = [self.account(COUNTRIES[i % 4]) for i in range(people // 9)]

    def account(self, country: str) -> int:
        self.countries.append(country)
        return len(self.countries) - 1

    def local(self, pool: list[int], country: str, besides: int = CASH) -> int:
        while True:
            candidate = self.rng.choice(pool)
            if self.countries[candidate] == country and candidate != besides:
                return candidate

    def neighbours(self, country: str, count: int) -> list[int]:
        """``count`` different people of ``country``: a fan's counterparties are distinct accounts."""
        chosen: set[int] = set()
        while len(chosen) < count:
            chosen.add(self.local(self.people, country))
        return sorted(chosen)

    def currency(self, source: int, target: int) -> str:
        """The sender's currency (the receiver's for cash paid in), or dollars, mostly, across a border."""
        places = {self.countries[n] for n in (source, target) if n != CASH}
        home = self.countries[source if source != CASH else target]
        share = LOCAL_SHARE if len(places) == 1 else 1 - LOCAL_SHARE
        return LOCAL_CURRENCY[home] if self.rng.random() < share else "USD"

    def add(self, when: float, source: int, target: int, usd: float, plant: int = -1, under: bool = False) -> None:
        """A transfer worth ``usd``; one ``under`` a threshold keeps clear of it whatever the rate of the day."""
        currency = self.currency(source, target)
        if under and currency != "USD":
            usd *= RATE_MARGIN
        abroad = CASH not in (source, target) and self.countries[source] != self.countries[target]
        channel = Channel.CASH if CASH in (source, target) else Channel.WIRE if abroad else Channel.TRANSFER
        amount = round(max(usd, 0.01) * UNITS_PER_USD[currency], 2)
        self.raw.append(Record(when, source, target, amount, currency, channel, plant))

    def plant(self, pattern: Pattern) -> int:
        self.plants.append(pattern)
        return len(self.plants) - 1

    def some_time(self, margin: float = 20 * DAY) -> float:
        return self.start + self.rng.uniform(0, PERIOD - margin)

    def strays(self, mule: int, begin: float, span: float) -> None:
        """Sometimes, a few hundred dollars of the account holder's own traffic in and out, not the pattern's."""
        if self.rng.random() < 0.5:
            return
        country = self.countries[mule]
        for _ in range(self.rng.randint(1, 2)):
            self.add(
                begin + self.rng.uniform(0, span),
                self.local(self.people, country, mule),
                mule,
                self.rng.uniform(*STRAY_USD),
            )
        for _ in range(self.rng.randint(0, 2)):
            pool = self.businesses if self.rng.random() < 0.7 else self.people
            self.add(
                begin + self.rng.uniform(0, span), mule, self.local(pool, country, mule), self.rng.uniform(*STRAY_USD)
            )


def _ordinary(w: _World, count: int) -> None:
    rng = w.rng
    for _ in range(count):
        when, roll = w.start + rng.uniform(0, PERIOD), rng.random()
        if roll < 0.08:
            w.add(when, CASH, rng.choice(w.people), rng.lognormvariate(math.log(250), 1.0))
        elif roll < 0.13:
            w.add(when, rng.choice(w.people), CASH, rng.lognormvariate(math.log(150), 0.8))
        elif roll < 0.33:
            payer = rng.choice(w.businesses)
            payee = rng.choice(w.businesses if rng.random() < 0.5 else w.people)
            if payee != payer:
                w.add(when, payer, payee, rng.lognormvariate(math.log(400), 1.0))
        else:
            payer = rng.choice(w.people)
            abroad = rng.random() < 0.04
            pool = w.businesses if rng.random() < 0.7 else w.people
            payee = rng.choice(pool) if abroad else w.local(pool, w.countries[payer])
            if payee != payer:
                w.add(when, payer, payee, rng.lognormvariate(math.log(60), 1.0))


def _look_alikes(w: _World) -> None:
    rng = w.rng
    for business in rng.sample(w.businesses, max(2, len(w.businesses) // 25)):
        staff = [w.local(w.people, w.countries[business]) for _ in range(rng.randint(10, 25))]
        w.add(w.start + DAY, w.account(w.countries[business]), business, 60_000.0)  # capital, months earlier
        for month in range(1, 6):
            for employee in staff:
                w.add(w.start + month * 30 * DAY + rng.uniform(0, 4 * HOUR), business, employee, rng.uniform(600, 2500))
    for landlord in rng.sample(w.people, max(2, len(w.people) // 60)):
        tenants = {w.local(w.people, w.countries[landlord]) for _ in range(rng.randint(8, 12))} - {landlord}
        for month in range(6):
            for tenant in tenants:
                w.add(w.start + month * 30 * DAY + rng.uniform(0, 3 * DAY), tenant, landlord, rng.uniform(500, 1500))


def _structuring(w: _World, plant: int) -> None:
    target, begin = w.rng.choice(w.people), w.some_time()
    for _ in range(w.rng.randint(3, 6)):  # cash just under the threshold, within a few days
        usd = w.rng.uniform(0.75, 0.99) * CASH_THRESHOLD_USD
        w.add(begin + w.rng.uniform(0, 4 * DAY), CASH, target, usd, plant, under=True)


def _fan_in(w: _World, plant: int) -> None:
    country, begin = w.rng.choice(COUNTRIES), w.some_time()
    mule, total = w.account(country), 0.0
    for payer in w.neighbours(country, w.rng.randint(8, 14)):
        usd = w.rng.uniform(800, 4000)
        total += usd
        w.add(begin + w.rng.uniform(0, 48 * HOUR), payer, mule, usd, plant)
    w.add(begin + w.rng.uniform(49, 70) * HOUR, mule, w.account(country), total * w.rng.uniform(0.85, 0.95), plant)
    w.strays(mule, begin, 70 * HOUR)


def _fan_out(w: _World, plant: int) -> None:
    country, begin = w.rng.choice(COUNTRIES), w.some_time()
    mule, total, payees = w.account(country), w.rng.uniform(10_000, 40_000), w.rng.randint(8, 14)
    w.add(begin, w.account(country), mule, total, plant)
    for payee in w.neighbours(country, payees):
        w.add(begin + w.rng.uniform(1, 48) * HOUR, mule, payee, total * 0.9 / payees, plant)
    w.strays(mule, begin - 24 * HOUR, 72 * HOUR)


def _passing(w: _World, plant: int, countries: list[str], delays: tuple[float, float], back: bool) -> None:
    """A flow of consistent amounts through fresh accounts in ``countries``; back to the start if ``back``."""
    begin, usd = w.some_time(), w.rng.uniform(10_000, 100_000)
    nodes, when = [w.account(c) for c in countries], begin
    if back:
        nodes.append(nodes[0])
    for source, target in itertools.pairwise(nodes):
        w.add(when, source, target, usd, plant)
        when += w.rng.uniform(*delays) * HOUR
        usd *= w.rng.uniform(0.9, 0.99)
    for node in nodes[1:-1]:
        w.strays(node, begin, when - begin)


def _delays(w: _World, usual: tuple[float, float]) -> tuple[float, float]:
    """Hours between hops: ``usual``, or a third of the time fast enough to look like pass-through at each account."""
    return (0.5, 5.0) if w.rng.random() < 1 / 3 else usual


def _abroad(w: _World, hops: int, start: str) -> list[str]:
    """``hops`` + 1 countries, each other than the one before."""
    countries = [start]
    for _ in range(hops):
        countries.append(w.rng.choice([c for c in COUNTRIES if c != countries[-1]]))
    return countries


def _cycle(w: _World, plant: int) -> None:
    hops, home = w.rng.randint(3, 5), w.rng.choice(COUNTRIES)
    if w.rng.random() < 0.4:  # across borders all the way round: a border chain too, but a ring first
        countries = _abroad(w, hops - 1, home)
        while countries[-1] == home:
            countries = _abroad(w, hops - 1, home)
    else:
        countries = [home] * hops
    _passing(w, plant, countries, _delays(w, (12, 72)), back=True)


def _border_chain(w: _World, plant: int) -> None:
    countries = _abroad(w, w.rng.randint(3, 4), w.rng.choice(COUNTRIES))
    _passing(w, plant, countries, _delays(w, (8, 40)), back=False)


def _pass_through(w: _World, plant: int) -> None:
    country, when, usd = w.rng.choice(COUNTRIES), w.some_time(), w.rng.uniform(5_000, 50_000)
    mule, payer = w.account(country), w.local(w.people, country)
    payee = w.local(w.people, country, payer)  # back to the payer would be a ring
    w.add(when, payer, mule, usd, plant)
    w.add(when + w.rng.uniform(0.5, 5) * HOUR, mule, payee, usd * w.rng.uniform(0.9, 0.99), plant)
    w.strays(mule, when - 12 * HOUR, 24 * HOUR)


PLANTERS: dict[Pattern, Callable[[_World, int], None]] = {
    Pattern.STRUCTURING: _structuring,
    Pattern.FAN_IN: _fan_in,
    Pattern.FAN_OUT: _fan_out,
    Pattern.CIRCULAR_FLOW: _cycle,
    Pattern.PASS_THROUGH: _pass_through,
    Pattern.BORDER_CHAIN: _border_chain,
}


def _arrivals(w: _World) -> list[tuple[float, int, str]]:
    """When each FIU's report of each transfer arrives: the sender's FIU (the receiver's for cash paid in),
    and sometimes the receiver's too, later, for a transfer across a border."""
    arrivals = []
    for index, (when, source, target, *_) in enumerate(w.raw):
        first = w.countries[source if source != CASH else target]
        arrivals.append((when + w.rng.uniform(0, 6 * HOUR), index, first))
        if CASH not in (source, target) and w.countries[target] != first and w.rng.random() < BOTH_ENDS_SHARE:
            arrivals.append((when + w.rng.uniform(1 * HOUR, 3 * DAY), index, w.countries[target]))
    return sorted(arrivals)


def generate(transactions: int, seed: int = 2026, start: float | None = None, per_kind: int | None = None) -> Dataset:
    """About ``transactions`` transfers (ordinary, look-alikes, planted) over 180 days ending a day ago, with
    ``per_kind`` patterns of each kind planted (by default one per 2,500 transfers, at least 20)."""
    w = _World(transactions, seed, start if start is not None else time.time() - PERIOD - DAY)
    for pattern, planter in PLANTERS.items():
        for _ in range(per_kind or max(20, transactions // 2500)):
            planter(w, w.plant(pattern))
    _look_alikes(w)
    _ordinary(w, max(0, transactions - len(w.raw)))
    data = Dataset([account_ref(KEY, c, "BANK" + c, f"{i:09d}") for i, c in enumerate(w.countries)], w.countries)
    number: dict[int, int] = {}
    members: dict[int, set[int]] = {}
    for _, index, reporter in _arrivals(w):
        if index not in number:
            number[index] = len(data.records)
            data.records.append(w.raw[index])
            if w.raw[index].plant >= 0:
                members.setdefault(w.raw[index].plant, set()).add(number[index])
        data.arrivals.append((number[index], reporter))
    data.planted = [Planted(w.plants[p], frozenset(members[p])) for p in sorted(members)]
    return data
