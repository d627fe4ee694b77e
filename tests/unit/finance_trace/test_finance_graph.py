from andina.contract.events.finance_trace import Channel
from andina.finance_trace.domain.graph import CASH
from andina.finance_trace.domain.model import Transfer
from tests.unit.finance_trace.graphs import HOUR, T0, Ledger, ref


def test_an_accounts_transfers_are_kept_in_time_order_whatever_order_they_are_reported_in() -> None:
    ledger = Ledger()
    late = ledger.transfer("a", "b", 100, hours=5)
    early = ledger.transfer("a", "c", 100, hours=1)
    middle = ledger.transfer("a", "d", 100, hours=3)

    assert list(ledger.graph.out_between(ledger.node("a"), T0, T0 + 10 * HOUR)) == [early, middle, late]


def test_windows_are_half_open_the_right_way() -> None:
    ledger = Ledger()
    edges = [ledger.transfer("a", "b", 100, hours=h) for h in (1, 2, 3)]
    a, b = ledger.node("a"), ledger.node("b")

    assert list(ledger.graph.out_between(a, T0 + 1 * HOUR, T0 + 3 * HOUR)) == edges[1:]  # after 1 h, up to 3 h
    assert list(ledger.graph.in_between(b, T0 + 1 * HOUR, T0 + 3 * HOUR)) == [edges[1], edges[0]]  # latest first


def test_a_transfer_reported_by_both_fius_is_one_edge_with_two_reporters() -> None:
    ledger = Ledger()
    ledger.countries.update(a="PE", b="CO")
    first = ledger.transfer("a", "b", 5000, hours=1, by="PE", key="t:k1:" + "ab" * 32)
    second = ledger.transfer("a", "b", 5000, hours=1, by="CO", key="t:k1:" + "ab" * 32)

    assert first == second
    assert len(ledger.graph) == 1
    assert ledger.graph.reporters_of(first) == ["CO", "PE"]


def test_a_report_handled_again_adds_nothing_and_names_its_own_edges() -> None:
    ledger = Ledger()
    transfer = Transfer("r1/0", 0, T0, 100.0, ref("a"), ref("b"), "PE", "PE", Channel.WIRE)
    edges = ledger.graph.add_report("r1", "PE", [transfer])

    again = ledger.graph.plan("r1", "PE", [transfer])

    assert (again.new, again.mine, again.known) == ([], edges, {})
    assert ledger.graph.add_report("r1", "PE", [transfer]) == edges
    assert len(ledger.graph) == 1


def test_cash_has_no_node() -> None:
    ledger = Ledger()
    edge = ledger.deposit("a", 900, hours=1)

    assert ledger.graph.source[edge] == CASH
    assert ledger.graph.transaction_id(edge).endswith("/0")
    assert len(ledger.graph.nodes) == 1


def test_each_account_keeps_only_its_own_edges_whichever_way_it_first_saw_one() -> None:
    ledger = Ledger()
    paid = ledger.transfer("a", "b", 100, hours=1)  # a only sends, b only receives, so far
    back = ledger.transfer("b", "c", 100, hours=2)
    window = (T0, T0 + 10 * HOUR)

    assert [list(ledger.graph.out_between(ledger.node(n), *window)) for n in "abc"] == [[paid], [back], []]
    assert [list(ledger.graph.in_between(ledger.node(n), *window)) for n in "abc"] == [[], [paid], [back]]
