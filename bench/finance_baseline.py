"""The baseline of the trace benchmark: the same time-respecting trace on a networkx graph.

networkx is what an analyst would reach for first: a MultiDiGraph with the time and the
amount on each edge. The algorithm is the service's (one heap of transfers by time, money
taken lowest hop first), so the answers must agree; only the data structure differs: an
account's transfers are found by scanning all of them, not by a binary search on time.
"""

from __future__ import annotations

import heapq
import math

import networkx as nx  # type: ignore[import-untyped]

from andina.finance_trace.domain.graph import CASH, TransactionGraph
from andina.finance_trace.domain.trace import TraceQuery, take_lowest_hops


def build(graph: TransactionGraph) -> nx.MultiDiGraph:
    """Every transfer as an edge keyed by its index; cash in and out is the node -1."""
    g = nx.MultiDiGraph()
    g.add_edges_from(
        (graph.source[e], graph.target[e], e, {"time": graph.time[e], "amount": graph.amount[e]})
        for e in range(len(graph))
    )
    return g


def follow_forward(g: nx.MultiDiGraph, query: TraceQuery) -> dict[int, float]:
    """What the service's ``follow(..., forward=True)`` computes, as ``reached`` per account."""
    hops = query.max_hops
    heap: list[tuple[float, int, int, int, float]] = []
    balance: dict[int, list[float]] = {}
    reached: dict[int, float] = {}

    def schedule(node: int, after: float) -> None:
        for _, target, key, data in g.out_edges(node, keys=True, data=True):
            if after < data["time"] <= query.until and data["amount"] >= query.min_amount_usd:
                heapq.heappush(heap, (data["time"], key, node, target, data["amount"]))

    for start in query.starts:
        balance[start] = [math.inf] + [0.0] * hops
        schedule(start, math.nextafter(query.since, -math.inf))
    expanded, carried_edges = set(query.starts), 0
    while heap:
        when, _, node, target, amount = heapq.heappop(heap)
        moved = take_lowest_hops(balance[node], amount, hops)
        if not moved:
            continue
        carried_edges += 1
        if target != CASH:
            into = balance.setdefault(target, [0.0] * (hops + 1))
            for hop, part in moved:
                into[hop] += part
            reached[target] = reached.get(target, 0.0) + sum(part for _, part in moved)
            if moved[0][0] < hops and target not in expanded:
                expanded.add(target)
                schedule(target, when)
        if carried_edges >= query.max_edges:
            break
    return reached
