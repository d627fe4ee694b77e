"""The world bench.finance_data generates: accounts in four countries, ordinary traffic, look-alikes, and
the planters of each laundering pattern, with the variations reports show (see that module).

Written apart from the service it scores: its thresholds are the defaults the docs give
(docs/configuration.md, docs/findings.md), its exchange rates rough public ones.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable
from typing import NamedTuple

from andina.contract.events.finance_trace import Channel, Pattern
from andina.contract.subject_hash import NetworkKey

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


class World:
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


def ordinary(w: World, count: int) -> None:
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


def look_alikes(w: World) -> None:
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


def _structuring(w: World, plant: int) -> None:
    target, begin = w.rng.choice(w.people), w.some_time()
    for _ in range(w.rng.randint(3, 6)):  # cash just under the threshold, within a few days
        usd = w.rng.uniform(0.75, 0.99) * CASH_THRESHOLD_USD
        w.add(begin + w.rng.uniform(0, 4 * DAY), CASH, target, usd, plant, under=True)


def _fan_in(w: World, plant: int) -> None:
    country, begin = w.rng.choice(COUNTRIES), w.some_time()
    mule, total = w.account(country), 0.0
    for payer in w.neighbours(country, w.rng.randint(8, 14)):
        usd = w.rng.uniform(800, 4000)
        total += usd
        w.add(begin + w.rng.uniform(0, 48 * HOUR), payer, mule, usd, plant)
    w.add(begin + w.rng.uniform(49, 70) * HOUR, mule, w.account(country), total * w.rng.uniform(0.85, 0.95), plant)
    w.strays(mule, begin, 70 * HOUR)


def _fan_out(w: World, plant: int) -> None:
    country, begin = w.rng.choice(COUNTRIES), w.some_time()
    mule, total, payees = w.account(country), w.rng.uniform(10_000, 40_000), w.rng.randint(8, 14)
    w.add(begin, w.account(country), mule, total, plant)
    for payee in w.neighbours(country, payees):
        w.add(begin + w.rng.uniform(1, 48) * HOUR, mule, payee, total * 0.9 / payees, plant)
    w.strays(mule, begin - 24 * HOUR, 72 * HOUR)


def _passing(w: World, plant: int, countries: list[str], delays: tuple[float, float], back: bool) -> None:
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


def _delays(w: World, usual: tuple[float, float]) -> tuple[float, float]:
    """Hours between hops: ``usual``, or a third of the time fast enough to look like pass-through at each account."""
    return (0.5, 5.0) if w.rng.random() < 1 / 3 else usual


def _abroad(w: World, hops: int, start: str) -> list[str]:
    """``hops`` + 1 countries, each other than the one before."""
    countries = [start]
    for _ in range(hops):
        countries.append(w.rng.choice([c for c in COUNTRIES if c != countries[-1]]))
    return countries


def _cycle(w: World, plant: int) -> None:
    hops, home = w.rng.randint(3, 5), w.rng.choice(COUNTRIES)
    if w.rng.random() < 0.4:  # across borders all the way round: a border chain too, but a ring first
        countries = _abroad(w, hops - 1, home)
        while countries[-1] == home:
            countries = _abroad(w, hops - 1, home)
    else:
        countries = [home] * hops
    _passing(w, plant, countries, _delays(w, (12, 72)), back=True)


def _border_chain(w: World, plant: int) -> None:
    countries = _abroad(w, w.rng.randint(3, 4), w.rng.choice(COUNTRIES))
    _passing(w, plant, countries, _delays(w, (8, 40)), back=False)


def _pass_through(w: World, plant: int) -> None:
    country, when, usd = w.rng.choice(COUNTRIES), w.some_time(), w.rng.uniform(5_000, 50_000)
    mule, payer = w.account(country), w.local(w.people, country)
    payee = w.local(w.people, country, payer)  # back to the payer would be a ring
    w.add(when, payer, mule, usd, plant)
    w.add(when + w.rng.uniform(0.5, 5) * HOUR, mule, payee, usd * w.rng.uniform(0.9, 0.99), plant)
    w.strays(mule, when - 12 * HOUR, 24 * HOUR)


PLANTERS: dict[Pattern, Callable[[World, int], None]] = {
    Pattern.STRUCTURING: _structuring,
    Pattern.FAN_IN: _fan_in,
    Pattern.FAN_OUT: _fan_out,
    Pattern.CIRCULAR_FLOW: _cycle,
    Pattern.PASS_THROUGH: _pass_through,
    Pattern.BORDER_CHAIN: _border_chain,
}


def arrivals(w: World) -> list[tuple[float, int, str]]:
    """When each FIU's report of each transfer arrives: the sender's FIU (the receiver's for cash paid in),
    and sometimes the receiver's too, later, for a transfer across a border."""
    arrivals = []
    for index, (when, source, target, *_) in enumerate(w.raw):
        first = w.countries[source if source != CASH else target]
        arrivals.append((when + w.rng.uniform(0, 6 * HOUR), index, first))
        if CASH not in (source, target) and w.countries[target] != first and w.rng.random() < BOTH_ENDS_SHARE:
            arrivals.append((when + w.rng.uniform(1 * HOUR, 3 * DAY), index, w.countries[target]))
    return sorted(arrivals)
