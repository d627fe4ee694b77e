"""Following money through time: which accounts the start's money can have reached, and how much.

Forward, the money that left the start in the window is followed transfer by transfer in
time order: a transfer can carry on only money that reached its account *before* it, and
no more than its own amount. Each account keeps a balance of traced money per hop count;
a transfer out takes from the lowest hops first, which gives the most any account can
have received within the hop limit (an upper bound: money is fungible, so "can have"
is the honest claim). Backward is the mirror image: where the money that reached the
start can have come from, earlier transfers into earlier accounts.

Work is one heap of transfers by time: an account's transfers are scheduled once, when
traced money first reaches it, from that moment on.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from andina.finance_trace.domain.graph import CASH, TransactionGraph

NEGLIGIBLE_USD = 0.005  # less than half a cent carried is nothing


@dataclass(frozen=True)
class TraceQuery:
    starts: Sequence[int]  # nodes of the graph
    since: float
    until: float
    max_hops: int
    min_amount_usd: float
    max_edges: int
    usable: Callable[[int], object] | None = None  # the edges a trace may follow (None: all)


@dataclass
class Flow:
    """One direction of a trace. ``carried``/``hop`` per edge; ``reached``/``hops`` per node."""

    forward: bool
    original_usd: float = 0.0
    carried: dict[int, float] = field(default_factory=dict)
    hop: dict[int, int] = field(default_factory=dict)
    reached: dict[int, float] = field(default_factory=dict)
    hops: dict[int, int] = field(default_factory=dict)
    truncated: bool = False


class _Direction:
    """The graph seen forward (out-edges, later) or backward (in-edges, earlier)."""

    def __init__(self, graph: TransactionGraph, query: TraceQuery, forward: bool) -> None:
        self.graph = graph
        self.query = query
        self.forward = forward
        self.near = graph.source if forward else graph.target
        self.far = graph.target if forward else graph.source

    def key(self, edge: int) -> float:
        time = self.graph.time[edge]
        return time if self.forward else -time

    def after(self, node: int, at: float) -> Iterator[int]:
        """Transfers that can carry money present at ``node`` at time ``at``, within the window."""
        if self.forward:
            return self.graph.out_between(node, at, self.query.until)
        return self.graph.in_between(node, self.query.since, at)

    def from_start(self, node: int) -> Iterator[int]:
        if self.forward:
            return self.after(node, math.nextafter(self.query.since, -math.inf))
        return self.after(node, math.nextafter(self.query.until, math.inf))


def follow(graph: TransactionGraph, query: TraceQuery, forward: bool) -> Flow:
    view = _Direction(graph, query, forward)
    flow = Flow(forward)
    hops = query.max_hops
    amount, usable = graph.amount, query.usable
    balance: dict[int, list[float]] = {}
    heap: list[tuple[float, int]] = []

    def schedule(edges: Iterator[int]) -> float:
        total = 0.0
        for edge in edges:
            if amount[edge] >= query.min_amount_usd and (usable is None or usable(edge)):
                heapq.heappush(heap, (view.key(edge), edge))
                total += amount[edge]
        return total

    for start in query.starts:
        balance[start] = [math.inf] + [0.0] * hops
        flow.hops[start] = 0
        flow.original_usd += schedule(view.from_start(start))
    expanded = set(query.starts)
    while heap:
        _, edge = heapq.heappop(heap)
        moved = take_lowest_hops(balance[view.near[edge]], amount[edge], hops)
        if not moved:
            continue
        carried = sum(part for _, part in moved)
        first_hop = moved[0][0]
        flow.carried[edge] = carried
        flow.hop[edge] = first_hop
        other = view.far[edge]
        if other != CASH:
            buckets = balance.setdefault(other, [0.0] * (hops + 1))
            for hop, part in moved:
                buckets[hop] += part
            flow.reached[other] = flow.reached.get(other, 0.0) + carried
            flow.hops[other] = min(first_hop, flow.hops.get(other, first_hop))
            if first_hop < hops and other not in expanded:
                expanded.add(other)
                schedule(view.after(other, graph.time[edge]))
        if len(flow.carried) >= query.max_edges:
            flow.truncated = bool(heap)
            break
    return flow


def take_lowest_hops(buckets: list[float], wanted: float, hops: int) -> list[tuple[int, float]]:
    """Take up to ``wanted`` from the buckets that may still move (lowest hops first): [(hop of the move, amount)]."""
    moved = []
    left = wanted
    for hop in range(hops):
        have = buckets[hop]
        if have <= 0.0:
            continue
        part = min(have, left)
        buckets[hop] = have - part
        moved.append((hop + 1, part))
        left -= part
        if left <= 0.0:
            break
    if wanted - left < NEGLIGIBLE_USD:
        for hop, part in moved:  # put back crumbs: they move nothing
            buckets[hop - 1] += part
        return []
    return moved
