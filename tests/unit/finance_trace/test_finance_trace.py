from andina.finance_trace.domain.trace import Flow, TraceQuery, follow
from tests.unit.finance_trace.graphs import DAY, T0, Ledger


def trace(ledger: Ledger, start: str, *, forward: bool = True, hops: int = 6, min_usd: float = 0.0) -> Flow:
    query = TraceQuery([ledger.node(start)], T0 - DAY, T0 + 30 * DAY, hops, min_usd, max_edges=1000)
    return follow(ledger.graph, query, forward)


def reached(ledger: Ledger, flow: Flow) -> dict[str, float]:
    return {ledger.name(node): round(usd, 2) for node, usd in flow.reached.items()}


def test_money_follows_a_chain_and_each_account_gets_what_was_passed_on() -> None:
    ledger = Ledger()
    ledger.countries.update(a="PE", b="CO", c="EC", d="BO")
    ledger.transfer("a", "b", 10_000, hours=1)
    ledger.transfer("b", "c", 9_500, hours=5)
    ledger.transfer("c", "d", 9_000, hours=9)

    flow = trace(ledger, "a")

    assert flow.original_usd == 10_000
    assert reached(ledger, flow) == {"b": 10_000, "c": 9_500, "d": 9_000}
    assert {ledger.name(n): h for n, h in flow.hops.items()} == {"a": 0, "b": 1, "c": 2, "d": 3}


def test_a_transfer_out_cannot_carry_money_that_arrived_after_it() -> None:
    ledger = Ledger()
    ledger.transfer("b", "c", 5_000, hours=1)  # b paid c before the traced money came in
    ledger.transfer("a", "b", 5_000, hours=2)

    flow = trace(ledger, "a")

    assert reached(ledger, flow) == {"b": 5_000}


def test_an_account_passes_on_no_more_of_the_traced_money_than_it_received() -> None:
    ledger = Ledger()
    ledger.transfer("x", "b", 50_000, hours=0)  # b's own, untraced money
    ledger.transfer("a", "b", 1_000, hours=1)
    ledger.transfer("b", "c", 600, hours=2)
    ledger.transfer("b", "d", 600, hours=3)
    ledger.transfer("b", "e", 600, hours=4)

    flow = trace(ledger, "a")

    assert reached(ledger, flow) == {"b": 1_000, "c": 600, "d": 400}


def test_the_hop_limit_stops_the_trace() -> None:
    ledger = Ledger()
    for hour, (source, target) in enumerate([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")], start=1):
        ledger.transfer(source, target, 1_000, hours=hour)

    assert set(reached(ledger, trace(ledger, "a", hops=2))) == {"b", "c"}
    assert set(reached(ledger, trace(ledger, "a", hops=4))) == {"b", "c", "d", "e"}


def test_transfers_under_the_minimum_are_not_followed() -> None:
    ledger = Ledger()
    ledger.transfer("a", "b", 5_000, hours=1)
    ledger.transfer("b", "c", 90, hours=2)
    ledger.transfer("b", "d", 4_000, hours=3)

    assert set(reached(ledger, trace(ledger, "a", min_usd=100))) == {"b", "d"}


def test_backward_finds_where_the_money_came_from_before_it_arrived() -> None:
    ledger = Ledger()
    ledger.transfer("x", "y", 3_000, hours=1)
    ledger.transfer("y", "a", 2_000, hours=2)
    ledger.transfer("z", "y", 9_000, hours=3)  # reached y after y paid a: not a source of a's money

    flow = trace(ledger, "a", forward=False)

    assert flow.original_usd == 2_000
    assert reached(ledger, flow) == {"y": 2_000, "x": 2_000}


def test_a_cycle_brings_money_back_to_the_start() -> None:
    ledger = Ledger()
    ledger.transfer("a", "b", 1_000, hours=1)
    ledger.transfer("b", "c", 900, hours=2)
    ledger.transfer("c", "a", 800, hours=3)

    assert reached(ledger, trace(ledger, "a"))["a"] == 800


def test_a_large_answer_is_cut_at_the_edge_limit_and_says_so() -> None:
    ledger = Ledger()
    for i in range(20):
        ledger.transfer("a", f"n{i}", 100, hours=1 + i)
    query = TraceQuery([ledger.node("a")], T0, T0 + DAY, 3, 0.0, max_edges=5)

    flow = follow(ledger.graph, query, forward=True)

    assert len(flow.carried) == 5
    assert flow.truncated
