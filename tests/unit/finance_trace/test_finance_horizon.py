"""Transfers older than the horizon leave memory; what is newer reads and matches as before."""

from decimal import Decimal

from andina.contract.events.finance_trace import Channel, Pattern
from andina.finance_trace.domain.model import Holding, Transfer, ValidReport
from andina.finance_trace.domain.patterns.policy import PatternPolicy
from andina.finance_trace.domain.state import FinanceState
from andina.shared.horizon import Regrowth
from tests.unit.finance_trace.graphs import COUNTRIES, DAY, HOUR, T0, Ledger, ref

HORIZON = 30 * DAY


def held_state() -> FinanceState:
    return FinanceState(COUNTRIES, PatternPolicy(), trace_max_edges=100, trace_max_bytes=100_000, horizon=HORIZON)


def at_day(day: float) -> float:
    """The clock ``day`` days after the ledger's first hour."""
    return T0 + day * DAY


def test_forgetting_drops_old_transfers_and_keeps_the_newer_ones_readable() -> None:
    state = held_state()
    ledger = Ledger(state.graph)
    ledger.transfer("old", "both", 5_000, hours=0)  # 'old' is seen in old transfers only
    ledger.transfer("x", "y", 1_000, hours=1, key="t:keyed-old")
    ledger.transfer("both", "new", 4_000, hours=40 * 24)
    ledger.transfer("x", "y", 2_000, hours=41 * 24, key="t:keyed-new")
    before = {ledger.graph.transaction_id(e) for e in range(len(ledger.graph)) if ledger.graph.time[e] > T0 + HOUR}

    state.forget(at_day(45))

    graph = ledger.graph
    assert len(graph) == 2
    assert {graph.transaction_id(e) for e in range(len(graph))} == before
    assert graph.node(ref("old")) is None
    both = ledger.node("both")
    assert [graph.amount[e] for e in graph.out_between(both, 0, at_day(50))] == [4_000]
    assert list(graph.in_between(both, 0, at_day(50))) == []  # the old deposit into it is gone
    assert [ledger.name(graph.target[e]) for e in graph.out_between(both, 0, at_day(50))] == ["new"]
    assert graph.edges_of_report("report-0") == []
    assert graph.edge_of("t:keyed-old") is None
    assert graph.edge_of("t:keyed-new") is not None


def test_a_transfer_older_than_the_horizon_is_past_whether_known_before_or_not() -> None:
    state = held_state()
    ledger = Ledger(state.graph)
    ledger.transfer("a", "b", 3_000, hours=0, by="PE", key="t:shared")
    ledger.transfer("c", "d", 1_000, hours=31 * 24)  # a month later: the shared one has passed the horizon
    state.forget(at_day(31))
    again = Transfer("t:shared", 0, T0, 3_000, ref("a"), ref("b"), "PE", "CO", Channel.TRANSFER)
    recent = Transfer("t:recent", 0, at_day(30), 3_000, ref("a"), ref("b"), "PE", "CO", Channel.TRANSFER)

    plan = state.plan("co-report", "CO", [again, recent], at_day(31))

    assert plan.past == [again]
    assert plan.new == [recent]


def test_a_finding_made_before_forgetting_is_replaced_by_its_grown_story_not_doubled() -> None:
    """The detector's marks follow the renumbered edges (else the fourth deposit would start a new story)."""
    state = held_state()
    ledger = Ledger(state.graph)
    for day in range(5):  # old traffic, renumbering everything after it once forgotten
        ledger.transfer(f"p{day}", f"q{day}", 2_000, hours=day * 24)
    deposits = [ledger.deposit("a", usd, hours=40 * 24 + h) for usd, h in [(9_500, 1), (9_800, 20), (9_200, 45)]]
    first = state.detector.detect(deposits)
    deposits = state.forget(at_day(45), deposits)

    later = ledger.deposit("a", 9_700, hours=40 * 24 + 70)

    assert [f.detection.pattern for f in first] == [Pattern.STRUCTURING]
    assert len(deposits) == 3
    [grown] = state.detector.detect([later])
    assert grown.replaces == (first[0].id,)


def test_a_look_is_due_once_what_is_held_has_grown_enough_and_drops_all_that_passed_the_horizon() -> None:
    state = held_state()
    state.regrowth = Regrowth(minimum=8)
    ledger = Ledger(state.graph)
    for day in range(3):
        ledger.transfer(f"p{day}", f"q{day}", 2_000, hours=day * 24)
    state.subjects.hold(Holding(ref("p0"), "account", "PE"), "r-old", at_day(0))
    state.subjects.link_parties({ref("old-holder"): [ref("p0")]}, "PE", at_day(0))
    state.disclosures.show("BO", [ref("p0")], at_day(1))
    recent = Transfer("t:recent", 0, at_day(40), 3_000, ref("a"), ref("b"), "PE", "CO", Channel.TRANSFER)
    plan = state.plan("r-new", "PE", [recent], at_day(41))
    parties = {ref("holder"): [ref("a")]}
    report = ValidReport("r-new", "PE", [recent], [Holding(ref("a"), "account", "PE")], {}, parties, Decimal(0), [])
    due_before = state.look_due()  # 3 transfers, 1 holding, 1 party link, 1 subject shown

    edges = state.apply(report, plan, at_day(41))
    due_after = state.look_due()  # 4 transfers, 2 holdings, 2 party links, 1 subject shown
    edges = state.forget(at_day(41), edges)

    assert (due_before, due_after, state.look_due()) == (False, True, False)
    assert len(state.graph) == 1
    assert edges == [0]
    assert state.graph.transaction_id(0) == "t:recent"
    assert ref("p0") not in state.subjects
    assert state.subjects.holds("PE", ref("a"))
    assert (state.subjects.accounts_of(ref("old-holder")), state.subjects.parties_of(ref("a"))) == ([], [ref("holder")])
    assert not state.disclosures.has_seen("BO", ref("p0"))


def test_the_horizon_runs_back_from_the_latest_transfer_so_a_backfill_of_last_year_is_analysed() -> None:
    state = held_state()
    year_ago = Transfer("t:year-ago", 0, at_day(0), 3_000, ref("a"), ref("b"), "PE", "CO", Channel.TRANSFER)
    month_before = Transfer("t:before", 0, at_day(-40), 3_000, ref("a"), ref("b"), "PE", "CO", Channel.TRANSFER)

    plan = state.plan("backfill", "PE", [month_before, year_ago], now=at_day(365))

    assert (plan.new, plan.past) == ([year_ago], [month_before])  # by the transfers' own dates, not today's
