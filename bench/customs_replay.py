"""The paced and replayed runs of ``bench customs``: the same declarations, the same findings?

The same generated trade (its own seed) goes twice through a fresh customs service (its own
database): once written to the submissions topic beforehand and consumed as a backlog
(replayed), once sent by the agencies one declaration at a time at a steady rate (paced).
The cross-checks judge time on declared dates, so both must find the same discrepancies
and unmatched shipments. Declaration numbers carry the run's letter ("R", "P") after
"-EX-"/"-IM-"; findings are compared without it.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from andina.contract.client import AgencyClient, agency_event
from andina.contract.events import customs as types
from andina.contract.topics import SUBMISSIONS
from andina.customs.adapters.reference import load_rates
from andina.customs.app import create_app
from andina.customs.settings import Settings
from bench.customs_data import Pair, Trade, Unmatched, interleaved
from bench.customs_service import SERVICE, committed
from bench.stack import BenchStack, drop_databases, produce

RUNS = {"replayed": "R", "paced": "P"}
Key = tuple[str, str]
Declarations = list[tuple[str, dict[str, Any]]]


@dataclass
class Truth:
    """What was planted: discrepancies by pair, and the exports that never get an import."""

    planted: set[Key] = field(default_factory=set)
    unmatched: Unmatched = field(default_factory=Unmatched)
    declarations: int = 0

    def recorded(self, pairs: Iterator[Pair]) -> Iterator[Pair]:
        for pair in pairs:
            if pair.planted:
                self.planted.add(pair.key)
            self.unmatched.note(pair)
            yield pair

    def findings(self, settings: Settings) -> set[Key]:
        """Every finding the service should make: the planted discrepancies, and the unmatched exports now due."""
        rules = settings.finding_rules()
        return self.planted | self.unmatched.due(rules.unmatched_after, rules.allowed_lateness)


def run_letter(number: str) -> str:
    """ "PE-EX-R00000012" -> "R"."""
    return number.split("-", 2)[2][:1]


def _plain(number: str) -> str:
    """ "PE-EX-R00000012" -> "PE-EX-00000012"; "" stays ""."""
    if not number:
        return number
    country, flow, rest = number.split("-", 2)
    return f"{country}-{flow}-{rest[1:]}"


def without_run(key: Key) -> Key:
    return _plain(key[0]), _plain(key[1])


def stream(stack: BenchStack, letter: str, pairs: int, truth: Truth) -> Declarations:
    trade = Trade(list(stack.countries.codes), load_rates(), seed=99, prefix=letter)
    return list(interleaved(truth.recorded(trade.pairs(pairs, unmatched_share=0.05)), random.Random(11)))


async def replayed(stack: BenchStack, settings: Settings, declarations: Declarations, total: int) -> None:
    """Written to the topic first, then consumed by the service (``total``: all on the topic then)."""
    signed = [(c, agency_event(stack.keys[c], "aduana", types.DECLARATION_FILED, d).wire) for c, d in declarations]
    await produce(stack, stack.topics.topic(SERVICE, SUBMISSIONS), signed)
    async with create_app(settings).start_lifespan_context():
        await committed(stack, total, 0, 600.0)


async def paced(
    stack: BenchStack, settings: Settings, declarations: Declarations, per_second: float, total: int
) -> dict[str, float]:
    """Each declaration sent alone, at ``per_second``; the send time (ms) of each import, by number."""
    sent: dict[str, float] = {}
    clients = {c: AgencyClient(stack.bootstrap, stack.keys[c], stack.countries, stack.topics) for c in stack.keys}
    async with create_app(settings).start_lifespan_context():
        for client in clients.values():
            await client.__aenter__()
        try:
            for country, declaration in declarations:
                if declaration["flow"] == "import":
                    sent[declaration["number"]] = time.time() * 1000
                agency = clients[country]
                await agency.submit(SERVICE, agency.event(types.DECLARATION_FILED, declaration))
                await asyncio.sleep(1 / per_second)
        finally:
            for client in clients.values():
                await client.__aexit__()
        await committed(stack, total, 0, 600.0)
    return sent


@dataclass
class Compared:
    truth: dict[str, set[Key]] = field(default_factory=dict)  # by run, without the run's letter
    sent: dict[str, float] = field(default_factory=dict)  # paced imports' send times
    declarations: int = 0


async def compare(stack: BenchStack, settings: Settings, pairs: int, per_second: float, before: int) -> Compared:
    """Both runs, one after the other, after ``before`` declarations already on the topic."""
    compared = Compared()
    total = before
    for run, letter in RUNS.items():
        truth = Truth()
        declarations = stream(stack, letter, pairs, truth)
        fresh = settings.model_copy(update={"database_prefix": f"{settings.database_prefix}{run}_"})
        total += len(declarations)
        try:
            if run == "paced":
                compared.sent = await paced(stack, fresh, declarations, per_second, total)
            else:
                await replayed(stack, fresh, declarations, total)
        finally:
            await drop_databases(stack, [SERVICE], fresh.database_prefix)
        compared.truth[run] = {without_run(k) for k in truth.findings(settings)}
        compared.declarations = len(declarations)
    return compared
