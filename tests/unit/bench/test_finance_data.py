"""The generator of ``bench finance``: written apart from the service it scores, and as FIUs report."""

from __future__ import annotations

import ast
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from andina.contract.events.finance_trace import Pattern
from bench import finance_data, finance_world
from bench.finance import packaged_rates
from bench.finance_data import Dataset, generate
from bench.finance_service import payload

DATA = generate(5_000, seed=11, per_kind=20)


def test_the_generator_takes_nothing_from_the_service_it_scores() -> None:
    for module in (finance_data, finance_world):
        tree = ast.parse(Path(module.__file__ or "").read_text())
        imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]

        assert imported
        assert not [m for m in imported if m.startswith("andina.finance_trace")]


def test_a_transfer_reported_by_both_fius_has_the_same_end_to_end_reference_in_both_reports() -> None:
    reported: dict[str, list[tuple[str, dict[str, str]]]] = defaultdict(list)
    for report in DATA.reports(50):
        for transaction in payload(report)["transactions"]:
            reported[transaction["transfer_ref"]].append((report.reporter, transaction))

    twice = [both for both in reported.values() if len(both) == 2]
    assert twice
    for (first, one), (second, other) in twice:
        assert {first, second} == {one["from_account"]["country"], one["to_account"]["country"]}  # type: ignore[index]
        assert (one["amount"], one["currency"], one["time"]) == (other["amount"], other["currency"], other["time"])


def test_every_amount_is_in_a_currency_the_service_converts_and_some_in_local_currencies() -> None:
    rates = packaged_rates()
    day = {n: datetime.fromtimestamp(r.time, UTC).date() for n, r in enumerate(DATA.records)}

    converted = [rates.to_usd(Decimal(f"{r.amount:.2f}"), r.currency, day[n]) for n, r in enumerate(DATA.records)]

    assert all(usd > 0 for usd in converted)
    assert {"BOB", "COP", "PEN"} <= {r.currency for r in DATA.records}


def borders(data: Dataset, transfers: frozenset[int]) -> int:
    return sum(data.countries[data.records[n].source] != data.countries[data.records[n].target] for n in transfers)


def test_rings_across_three_borders_are_planted_as_circular_flows() -> None:
    rings = [p.transactions for p in DATA.planted if p.pattern is Pattern.CIRCULAR_FLOW]

    assert [ring for ring in rings if borders(DATA, ring) >= 3]
    assert [ring for ring in rings if borders(DATA, ring) == 0]


def mule(data: Dataset, transfers: frozenset[int]) -> int:
    """The account that both receives and pays in a planted pattern."""
    sources = {data.records[n].source for n in transfers}
    return next(data.records[n].target for n in transfers if data.records[n].target in sources)


def test_some_mules_have_a_few_hundred_dollars_of_unrelated_traffic_outside_the_truth() -> None:
    planted = {n for p in DATA.planted for n in p.transactions}
    mules = {mule(DATA, p.transactions) for p in DATA.planted if p.pattern is Pattern.PASS_THROUGH}

    strays = [r for n, r in enumerate(DATA.records) if n not in planted and mules & {r.source, r.target}]

    assert strays
    assert all(r.amount / finance_world.UNITS_PER_USD[r.currency] < 1_000 for r in strays)


def test_a_fan_is_planted_with_eight_or_more_distinct_counterparties() -> None:
    for fan in (p for p in DATA.planted if p.pattern in (Pattern.FAN_IN, Pattern.FAN_OUT)):
        account = mule(DATA, fan.transactions)
        records = [DATA.records[n] for n in fan.transactions]
        side = [
            r.source if fan.pattern is Pattern.FAN_IN else r.target for r in records if account in (r.source, r.target)
        ]
        others = [a for a in side if a != account]
        assert len(set(others)) == len(others) >= 8
