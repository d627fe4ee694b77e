"""A synthetic transaction stream over four countries, with laundering patterns planted at known places.

Ordinary traffic: retail payments (people pay shops and each other, small amounts with a
long tail), business payments, ordinary cash in and out, a few remittances abroad; plus
the look-alikes a naive detector would flag: monthly payroll paid from a business's
balance (many payees) and landlords collecting rents and keeping them (many payers).
Planted, each with its transactions as the truth: structuring, fan-in and fan-out mules,
circular flows, rapid pass-through, and chains across three or four borders.
Reports reach the service in arrival order: event time plus a reporting lag of up to six
hours, so patterns are not always reported in the order they happened.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from andina.contract.events.finance_trace import Channel, Pattern
from andina.contract.subject_hash import NetworkKey, account_ref
from andina.finance_trace.domain.model import Transfer
from andina.finance_trace.domain.patterns.policy import DAY, HOUR, PatternPolicy

COUNTRIES = ("BO", "CO", "EC", "PE")
PERIOD = 180 * DAY
KEY = NetworkKey("k1", b"benchmark-network-key-not-secret")
POLICY = PatternPolicy()
Raw = tuple[float, int, int, float, Channel, int]  # time, source, target (-1: cash), USD, channel, plant or -1


@dataclass(frozen=True)
class Planted:
    pattern: Pattern
    transactions: frozenset[int]  # positions in arrival order


@dataclass(frozen=True)
class Report:
    """Transfers one FIU reports together, with their positions in the arrival order."""

    id: str
    reporter: str
    transfers: list[Transfer]
    positions: list[int]


@dataclass
class Dataset:
    refs: list[str]
    countries: list[str]
    rows: list[Raw] = field(default_factory=list)  # arrival order
    planted: list[Planted] = field(default_factory=list)

    def reporter(self, row: Raw) -> str:
        return self.countries[row[1] if row[1] >= 0 else row[2]]

    def reports(self, size: int = 100) -> Iterator[Report]:
        """Each FIU's transfers in arrival order, ``size`` per report, as they would be sent."""
        open_reports: dict[str, list[int]] = {}
        for position, row in enumerate(self.rows):
            batch = open_reports.setdefault(self.reporter(row), [])
            batch.append(position)
            if len(batch) == size:
                yield self._report(open_reports.pop(self.reporter(row)))
        for batch in open_reports.values():
            yield self._report(batch)

    def _report(self, positions: list[int]) -> Report:
        report_id = f"bench-{positions[0]}"
        transfers = []
        for index, position in enumerate(positions):
            when, source, target, usd, channel, _ = self.rows[position]
            refs = [None if n == -1 else self.refs[n] for n in (source, target)]
            places = [None if n == -1 else self.countries[n] for n in (source, target)]
            key = f"{report_id}/{index}"
            transfers.append(Transfer(key, index, when, usd, refs[0], refs[1], places[0], places[1], channel))
        return Report(report_id, self.reporter(self.rows[positions[0]]), transfers, positions)


class _World:
    def __init__(self, transactions: int, seed: int, start: float) -> None:
        self.rng = random.Random(seed)
        self.start = start
        self.countries: list[str] = []
        self.raw: list[Raw] = []
        self.plants: list[Pattern] = []
        people = transactions // 11
        self.people = [self.account(COUNTRIES[i % 4]) for i in range(people)]
        self.businesses = [self.account(COUNTRIES[i % 4]) for i in range(people // 9)]

    def account(self, country: str) -> int:
        self.countries.append(country)
        return len(self.countries) - 1

    def local(self, pool: list[int], country: str) -> int:
        while True:
            candidate = self.rng.choice(pool)
            if self.countries[candidate] == country:
                return candidate

    def add(self, when: float, source: int, target: int, usd: float, plant: int = -1) -> None:
        channel = Channel.CASH if -1 in (source, target) else Channel.TRANSFER
        self.raw.append((when, source, target, round(max(usd, 0.01), 2), channel, plant))

    def plant(self, pattern: Pattern) -> int:
        self.plants.append(pattern)
        return len(self.plants) - 1

    def some_time(self, margin: float = 20 * DAY) -> float:
        return self.start + self.rng.uniform(0, PERIOD - margin)


def _ordinary(w: _World, count: int) -> None:
    rng = w.rng
    for _ in range(count):
        when, roll = w.start + rng.uniform(0, PERIOD), rng.random()
        if roll < 0.08:
            w.add(when, -1, rng.choice(w.people), rng.lognormvariate(math.log(250), 1.0))
        elif roll < 0.13:
            w.add(when, rng.choice(w.people), -1, rng.lognormvariate(math.log(150), 0.8))
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
    for _ in range(w.rng.randint(3, 6)):
        usd = w.rng.uniform(0.75, 0.99) * POLICY.reporting_threshold_usd
        w.add(begin + w.rng.uniform(0, 4 * DAY), -1, target, usd, plant)


def _fan_in(w: _World, plant: int) -> None:
    country, begin = w.rng.choice(COUNTRIES), w.some_time()
    mule, total = w.account(country), 0.0
    for _ in range(w.rng.randint(8, 14)):
        usd = w.rng.uniform(800, 4000)
        total += usd
        w.add(begin + w.rng.uniform(0, 48 * HOUR), w.local(w.people, country), mule, usd, plant)
    w.add(begin + w.rng.uniform(49, 70) * HOUR, mule, w.account(country), total * w.rng.uniform(0.85, 0.95), plant)


def _fan_out(w: _World, plant: int) -> None:
    country, begin = w.rng.choice(COUNTRIES), w.some_time()
    mule, total, payees = w.account(country), w.rng.uniform(10_000, 40_000), w.rng.randint(8, 14)
    w.add(begin, w.account(country), mule, total, plant)
    for _ in range(payees):
        when = begin + w.rng.uniform(1, 48) * HOUR
        w.add(when, mule, w.local(w.people, country), total * 0.9 / payees, plant)


def _passing(w: _World, plant: int, countries: list[str], delays: tuple[float, float], back: bool) -> None:
    """A flow of consistent amounts through fresh accounts in ``countries``; back to the start if ``back``."""
    when, usd = w.some_time(), w.rng.uniform(10_000, 100_000)
    nodes = [w.account(c) for c in countries]
    if back:
        nodes.append(nodes[0])
    for source, target in itertools.pairwise(nodes):
        w.add(when, source, target, usd, plant)
        when += w.rng.uniform(*delays) * HOUR
        usd *= w.rng.uniform(0.9, 0.99)


def _cycle(w: _World, plant: int) -> None:
    country = w.rng.choice(COUNTRIES)
    _passing(w, plant, [country] * w.rng.randint(3, 5), (12, 72), back=True)


def _border_chain(w: _World, plant: int) -> None:
    countries = [w.rng.choice(COUNTRIES)]
    for _ in range(w.rng.randint(3, 4)):
        countries.append(w.rng.choice([c for c in COUNTRIES if c != countries[-1]]))
    _passing(w, plant, countries, (8, 40), back=False)


def _pass_through(w: _World, plant: int) -> None:
    country, when, usd = w.rng.choice(COUNTRIES), w.some_time(), w.rng.uniform(5_000, 50_000)
    mule = w.account(country)
    w.add(when, w.local(w.people, country), mule, usd, plant)
    w.add(when + w.rng.uniform(0.5, 5) * HOUR, mule, w.local(w.people, country), usd * w.rng.uniform(0.9, 0.99), plant)


PLANTERS: dict[Pattern, Callable[[_World, int], None]] = {
    Pattern.STRUCTURING: _structuring,
    Pattern.FAN_IN: _fan_in,
    Pattern.FAN_OUT: _fan_out,
    Pattern.CIRCULAR_FLOW: _cycle,
    Pattern.PASS_THROUGH: _pass_through,
    Pattern.BORDER_CHAIN: _border_chain,
}


def generate(transactions: int, seed: int = 2026, start: float | None = None) -> Dataset:
    """About ``transactions`` transfers (ordinary, look-alikes, planted) over 180 days ending a day ago."""
    w = _World(transactions, seed, start if start is not None else time.time() - PERIOD - DAY)
    per_pattern = max(20, transactions // 2500)
    for pattern, planter in PLANTERS.items():
        for _ in range(per_pattern):
            planter(w, w.plant(pattern))
    _look_alikes(w)
    _ordinary(w, max(0, transactions - len(w.raw)))
    lag = [r[0] + w.rng.uniform(0, 6 * HOUR) for r in w.raw]
    order = sorted(range(len(w.raw)), key=lag.__getitem__)
    data = Dataset([account_ref(KEY, c, "BANK" + c, f"{i:09d}") for i, c in enumerate(w.countries)], w.countries)
    data.rows = [w.raw[index] for index in order]
    members: dict[int, set[int]] = {}
    for position, row in enumerate(data.rows):
        if row[5] >= 0:
            members.setdefault(row[5], set()).add(position)
    data.planted = [Planted(w.plants[p], frozenset(members[p])) for p in sorted(members)]
    return data
