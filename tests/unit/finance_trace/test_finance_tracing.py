import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from andina.contract.events.finance_trace_flows import TraceCompleted, TraceRequest
from andina.contract.rejections import Rejected
from andina.finance_trace.domain.aliases import Aliases
from andina.finance_trace.domain.model import Holding
from andina.finance_trace.domain.sharing import Disclosures, Subjects
from andina.finance_trace.domain.tracing import Tracer, check_trace
from tests.unit.finance_trace.graphs import T0, Ledger, ref


def request(**changes: Any) -> TraceRequest:
    fields = {
        "account": ref("a"),
        "direction": "forward",
        "since": datetime.fromtimestamp(T0 - 3600, UTC),
        "until": datetime.fromtimestamp(T0 + 30 * 86400, UTC),
        "max_hops": 4,
        **changes,
    }
    return TraceRequest.model_validate(fields)


def answered(ledger: Ledger, subjects: Subjects, disclosures: Disclosures, **changes: Any) -> TraceCompleted:
    tracer = Tracer(ledger.graph, subjects, Aliases(), max_edges=100)
    wanted = request(**changes)
    return tracer.answer(uuid4(), wanted, "PE", disclosures, tracer.flows(wanted))


def chain() -> Ledger:
    ledger = Ledger()
    ledger.countries.update(a="PE", b="CO", c="EC")
    ledger.transfer("a", "b", 10_000, hours=1, by="PE")
    ledger.transfer("b", "c", 9_000, hours=5, by="CO")
    return ledger


def test_the_answer_lists_nodes_and_edges_with_amounts_and_who_reported_them() -> None:
    subjects = Subjects()
    subjects.hold(Holding(ref("b"), "account", "CO"), "e", 0.0)

    answer = answered(chain(), subjects, Disclosures())

    assert answer.outflow_usd == Decimal("10000.00")
    assert [(n.country, n.forward_hops, n.reached_usd, n.held_by) for n in answer.nodes] == [
        ("PE", 0, Decimal("0.00"), []),
        ("CO", 1, Decimal("10000.00"), ["CO"]),
        ("EC", 2, Decimal("9000.00"), []),
    ]
    assert [(e.source, e.target, e.carried_usd, e.reported_by) for e in answer.edges] == [
        (ref("a"), ref("b"), Decimal("10000.00"), ["PE"]),
        (ref("b"), ref("c"), Decimal("9000.00"), ["CO"]),
    ]


def test_another_fius_account_shows_its_hash_unless_the_owner_disclosed_more() -> None:
    disclosures = Disclosures()
    plain = answered(chain(), Subjects(), disclosures)
    disclosures.grant("PE", ref("b"), "CO", {"holder": "Importadora Andes SAS"})
    told = answered(chain(), Subjects(), disclosures)

    assert [n.disclosed for n in plain.nodes] == [None, None, None]
    assert told.nodes[1].disclosed == {"CO.holder": "Importadora Andes SAS"}


def test_both_directions_meet_at_the_start() -> None:
    ledger = chain()
    ledger.transfer("z", "a", 12_000, hours=0, by="PE")

    answer = answered(ledger, Subjects(), Disclosures(), direction="both")

    assert answer.inflow_usd == Decimal("12000.00")
    assert {e.direction for e in answer.edges} == {"forward", "backward"}


def test_a_trace_from_a_party_starts_at_every_account_it_holds() -> None:
    ledger = chain()
    ledger.countries.update(x="PE")
    ledger.transfer("x", "d", 3_000, hours=2, by="PE")
    subjects = Subjects()
    subjects.link_parties({ref("holder"): [ref("a"), ref("x")]}, "PE", 0.0)

    answer = answered(ledger, subjects, Disclosures(), account=None, party=ref("holder"))

    assert answer.start == [ref("a"), ref("x")]
    assert answer.outflow_usd == Decimal("13000.00")
    assert {n.ref for n in answer.nodes if n.start} == {ref("a"), ref("x")}
    assert answer.nodes[0].holders == [ref("holder")]


def test_an_unknown_start_gives_an_empty_answer() -> None:
    answer = answered(chain(), Subjects(), Disclosures(), account=ref("nobody"))

    assert (answer.nodes, answer.edges) == ([], [])


def test_an_answer_too_large_for_one_event_keeps_the_closest_largest_transfers_and_says_it_is_cut() -> None:
    ledger = Ledger()
    for i in range(300):
        ledger.transfer("a", f"n{i}", 100 + i, hours=1 + i / 100)
    tracer = Tracer(ledger.graph, Subjects(), Aliases(), max_edges=1000, max_bytes=60_000)
    wanted = request(graphml=True)

    answer = tracer.answer(uuid4(), wanted, "PE", Disclosures(), tracer.flows(wanted))

    assert len(answer.model_dump_json()) <= 60_000
    assert answer.truncated
    assert 0 < len(answer.edges) < 300
    assert min(e.amount_usd for e in answer.edges) > 100 + 300 - len(answer.edges) - 1
    assert len(answer.nodes) == len(answer.edges) + 1


def test_the_answer_exports_as_graphml() -> None:
    answer = answered(chain(), Subjects(), Disclosures(), graphml=True)

    root = ET.fromstring(answer.graphml or "")
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall("g:graph/g:node", ns)) == 3
    edges = root.findall("g:graph/g:edge", ns)
    assert [(e.get("source"), e.get("target")) for e in edges] == [(ref("a"), ref("b")), (ref("b"), ref("c"))]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"max_hops": 7}, "at most 6 hops; 7 were asked"),
        ({"party": ref("p")}, "exactly one"),
        ({"since": datetime.fromtimestamp(T0 + 40 * 86400, UTC)}, "must end after it starts"),
        ({"min_amount_usd": "-1"}, "is negative"),
    ],
)
def test_bad_trace_requests_are_refused(changes: dict[str, Any], expected: str) -> None:
    with pytest.raises(Rejected, match=expected):
        check_trace(request(**changes), max_hops=6)
