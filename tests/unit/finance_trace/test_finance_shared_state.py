"""Two instances of finance-trace, each handling some FIUs' reports, find patterns across all of them.

What one instance's reports add to memory is noted on the changelog; the other adds it to its
own graph and subjects (:mod:`andina.finance_trace.adapters.graph_table`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import orjson
import pytest

from andina.contract.events.catalogs.finance_trace import PATTERN_DETECTED, REPORT_SUBMITTED
from andina.contract.subject_hash import party_ref
from andina.deploy.demo_finance_trace import DEMO_KEY, account, round_trip
from andina.finance_trace.domain.model import ValidReport
from andina.finance_trace.domain.sharing import UNKNOWN_REPORTER
from andina.shared.publishing import Outgoing
from andina.shared.snapshots import Entry
from tests.fakes import FakeClock, delivered_to
from tests.unit.finance_trace.instances import Instance
from tests.unit.finance_trace.reporting import CO_ACCOUNT, PE_ACCOUNT, both_hold_the_accounts, handle, wire


async def test_the_report_closing_a_round_trip_finds_the_legs_another_instance_handled() -> None:
    changelog: list[Entry] = []
    first, second = Instance(changelog), Instance(changelog)
    *legs, (closer, closing) = round_trip(first.service.clock(), "55")
    for origin, payload in legs:
        await handle(first.service, REPORT_SUBMITTED, payload, origin)

    await second.table.apply(changelog)
    outputs = await handle(second.service, REPORT_SUBMITTED, closing, closer)

    assert sorted(delivered_to(outputs, PATTERN_DETECTED)) == ["CO", "EC", "PE"]


async def test_without_the_changelog_the_other_instance_finds_nothing() -> None:
    changelog: list[Entry] = []
    first, second = Instance(changelog), Instance(changelog)
    *legs, (closer, closing) = round_trip(first.service.clock(), "55")
    for origin, payload in legs:
        await handle(first.service, REPORT_SUBMITTED, payload, origin)

    outputs = await handle(second.service, REPORT_SUBMITTED, closing, closer)

    assert delivered_to(outputs, PATTERN_DETECTED) == {}


async def test_an_instance_started_from_a_snapshot_holds_the_same_graph_and_subjects() -> None:
    changelog: list[Entry] = []
    first, later = Instance(changelog), Instance([])
    await both_hold_the_accounts(first.service)

    later.table.load(first.table.frozen()())

    assert (len(later.state.graph), len(later.state.graph.nodes)) == (len(first.state.graph), 2)
    assert sorted(later.state.subjects.held()) == sorted(first.state.subjects.held())
    assert later.state.subjects.links_held() == first.state.subjects.links_held()


async def test_every_instance_knows_which_fiu_linked_a_party_and_a_link_logged_without_one_has_an_unknown_one() -> None:
    changelog: list[Entry] = []
    first, second, later = Instance(changelog), Instance(changelog), Instance([])
    now = first.service.clock()
    linked, logged_before = (party_ref(DEMO_KEY, "PE", "RUC", f"2010005500{n}") for n in (1, 2))
    await both_hold_the_accounts(first.service, pe_names=[linked])
    without_reporter = {"party": logged_before, "account": CO_ACCOUNT["ref"], "named_at": 1.0}
    old_entry = (f"link/{logged_before}|{CO_ACCOUNT['ref']}", orjson.dumps(without_reporter))

    await second.table.apply([*changelog, old_entry])
    later.table.load(second.table.frozen()())

    assert later.state.subjects.links_held() == [
        (linked, CO_ACCOUNT["ref"], "PE", now.timestamp()),
        (logged_before, CO_ACCOUNT["ref"], UNKNOWN_REPORTER, 1.0),
    ]
    assert second.state.subjects.links_held() == later.state.subjects.links_held()


async def test_entries_read_during_a_look_past_the_horizon_are_applied_when_it_ends() -> None:
    changelog: list[Entry] = []
    first, second = Instance(changelog), Instance(changelog)
    await both_hold_the_accounts(first.service)

    with second.state.looking:
        await second.table.apply(changelog)
        held_during = len(second.state.graph)
    second.state.forget(first.service.clock().timestamp())

    assert (held_during, len(second.state.graph)) == (0, 2)


async def test_a_transfer_both_ends_reported_through_two_instances_at_once_is_one_edge_with_both_reporters() -> None:
    changelog: list[Entry] = []
    peru, colombia = Instance(changelog), Instance(changelog)
    now = peru.service.clock()
    await handle(
        peru.service, REPORT_SUBMITTED, wire(PE_ACCOUNT, CO_ACCOUNT, "2500", now - timedelta(hours=3), "a"), "PE"
    )
    [(wired, _, _)] = peru.state.graph.frozen()()
    colombia_report = ValidReport("co-report", "CO", [wired], [], {}, {}, Decimal(2500), [])
    plan = colombia.state.plan("co-report", "CO", [wired], now.timestamp())  # before PE's entry arrived

    await colombia.table.apply(changelog)  # while CO's report is written to the store
    colombia.state.apply(colombia_report, plan, now.timestamp())

    assert (len(colombia.state.graph), colombia.state.graph.reporters_of(0)) == (1, ["CO", "PE"])


def findings_told(outputs: list[Outgoing]) -> dict[str, dict[str, Any]]:
    """The attributes of each finding told, by reader."""
    return {o.recipient: o.attributes for o in outputs if o.attributes["type"] == PATTERN_DETECTED}


async def read_in_order(second: Instance, first: Instance, changelog: list[Entry]) -> None:
    await second.table.apply(changelog)


async def read_findings_before_their_transfers(second: Instance, first: Instance, changelog: list[Entry]) -> None:
    await second.table.apply(changelog[::-1])  # as entries on two FIUs' partitions may come


async def started_from_a_snapshot(second: Instance, first: Instance, changelog: list[Entry]) -> None:
    second.table.load(first.table.frozen()())


Learns = Callable[[Instance, Instance, list[Entry]], Awaitable[None]]
EVERY_WAY = pytest.mark.parametrize(
    "learns", [read_in_order, read_findings_before_their_transfers, started_from_a_snapshot]
)
Reports = list[tuple[str, dict[str, Any]]]
NOW = FakeClock().now  # where the instances' clocks stand


async def through_both(learns: Learns, reports: Reports) -> tuple[dict[str, Any], dict[str, Any]]:
    """The findings the first instance told with the next to last report, and the second with the last one,
    having learnt what the first holds."""
    changelog: list[Entry] = []
    first, second = Instance(changelog), Instance([])
    *earlier, (origin, last) = reports
    for reporter, payload in earlier:
        told_first = findings_told(await handle(first.service, REPORT_SUBMITTED, payload, reporter))
    await learns(second, first, changelog)
    return told_first, findings_told(await handle(second.service, REPORT_SUBMITTED, last, origin))


def hops(now: datetime, legs: list[tuple[dict[str, str], dict[str, str], str, int]]) -> Reports:
    """Wires of (source, target, USD, hours ago), each reported by the FIU of the account the money left."""
    return [
        (source["country"], wire(source, target, usd, now - timedelta(hours=hours), f"hop-{n}"))
        for n, (source, target, usd, hours) in enumerate(legs)
    ]


@EVERY_WAY
async def test_a_finding_one_instance_told_comes_from_the_other_as_its_next_revision_superseding_it(
    learns: Learns,
) -> None:
    trip = round_trip(NOW, "55")
    # PE saw the money arrive: it reports the closing leg, through the instance holding its partition
    told_first, told_then = await through_both(learns, [*trip, ("PE", trip[-1][1])])

    assert {a["data"]["detection_id"] for a in told_then.values()} == {
        a["data"]["detection_id"] for a in told_first.values()
    }
    assert {reader: (a["data"]["revision"], a["data"]["supersedes"]) for reader, a in told_then.items()} == {
        reader: (2, str(a["id"])) for reader, a in told_first.items()
    }


@EVERY_WAY
async def test_a_ring_closed_through_the_other_instance_replaces_the_chain_one_instance_told_before(
    learns: Learns,
) -> None:
    pe, co, ec, bo = (account(country, f"4{n}-0{n}") for n, country in enumerate(("PE", "CO", "EC", "BO")))
    ring = [(pe, co, "30000", 61), (co, ec, "29000", 41), (ec, bo, "28000", 21), (bo, pe, "27000", 1)]

    told_chain, told_ring = await through_both(learns, hops(NOW, ring))

    [(chain_id, chain_pattern)] = {(a["data"]["detection_id"], a["data"]["pattern"]) for a in told_chain.values()}
    assert chain_pattern == "border-chain"
    assert {(a["data"]["pattern"], tuple(a["data"]["replaces"])) for a in told_ring.values()} == {
        ("circular-flow", (chain_id,))
    }


def growing_chain() -> Reports:
    """CO -> EC -> BO -> PE, a border chain; BO -> CO before it, then EC -> BO before that, grow it twice."""
    ec, bo, pe, co, ec_2, bo_2 = (account(c, f"5{n}-0{n}") for n, c in enumerate(("EC", "BO", "PE", "CO", "EC", "BO")))
    chain = [(co, ec_2, "29000", 61), (ec_2, bo_2, "28000", 41), (bo_2, pe, "27000", 21), (bo, co, "30000", 81)]
    return hops(NOW, [*chain, (ec, bo, "31000", 101)])


@EVERY_WAY
async def test_a_chain_grown_through_one_instance_then_the_other_replaces_only_the_finding_told_last(
    learns: Learns,
) -> None:
    told_first, told_then = await through_both(learns, growing_chain())

    [grown_once] = {a["data"]["detection_id"] for a in told_first.values()}
    assert {tuple(a["data"]["replaces"]) for a in told_then.values()} == {(grown_once,)}


@pytest.mark.parametrize("order", [1, -1], ids=["as-noted", "reversed"])
async def test_every_instance_holds_the_same_graph_subjects_and_findings_whatever_order_the_entries_come_in(
    order: int,
) -> None:
    changelog: list[Entry] = []
    first, second = Instance(changelog), Instance([])
    for reporter, payload in [*growing_chain(), *round_trip(NOW, "55")]:
        await handle(first.service, REPORT_SUBMITTED, payload, reporter)
    held = sorted(first.table.frozen()())

    await first.table.apply(changelog[::order])  # its own entries, read back
    await second.table.apply(changelog[::order])

    assert sorted(first.table.frozen()()) == held == sorted(second.table.frozen()())


async def test_findings_whose_transfers_passed_the_horizon_are_forgotten_alike_on_every_instance() -> None:
    changelog: list[Entry] = []
    horizon = timedelta(hours=30).total_seconds()  # back from the latest transfer, two hours ago
    first, second = Instance(changelog, horizon), Instance([], horizon)
    for reporter, payload in [*round_trip(NOW - timedelta(days=3), "66"), *round_trip(NOW, "55")]:
        await handle(first.service, REPORT_SUBMITTED, payload, reporter)
    first.state.forget(NOW.timestamp())

    await second.table.apply(changelog)  # read after the first one looked past the horizon
    second.state.forget(NOW.timestamp())

    held = sorted(first.table.frozen()())
    assert held == sorted(second.table.frozen()())
    findings = [orjson.loads(value) for key, value in held if key.startswith("finding/")]
    # The older ring wholly past the horizon, the later one's first leg (50 hours ago): their revisions are kept.
    assert sorted((len(f["transactions"]), f["revision"]) for f in findings) == [(0, 1), (2, 1)]
