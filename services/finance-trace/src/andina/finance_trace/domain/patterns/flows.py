"""Patterns of money moving along a path: circular flows and chains that cross several borders.

Around a new transfer, paths of *consistent* transfers are followed both ways in time:
each later transfer is at least ``flow_min_usd`` and carries between ``flow_min_share``
and ``flow_max_share`` of what the previous one carried (money passed on, minus cuts; in US
dollars at each day's rate, so a little more when the rate moved between). Backward legs end
at the transfer's source, forward legs start at its target; joining a backward and a
forward leg gives every such path through the transfer. A path that ends where it began
is a circular flow; one that crosses enough borders is a border chain. Because both
directions are searched, a pattern is found when its last transfer is reported, whatever
the order of the reports.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from andina.contract.events.finance_trace import Pattern
from andina.finance_trace.domain.graph import CASH, TransactionGraph
from andina.finance_trace.domain.patterns.policy import Detection, PatternPolicy


@dataclass(frozen=True, slots=True)
class _Leg:
    edges: tuple[int, ...]  # away from the new transfer: forward in time, or backward
    end: int  # the node at the far end
    crossings: int


class _Paths:
    def __init__(self, graph: TransactionGraph, edge: int, policy: PatternPolicy) -> None:
        self.graph = graph
        self.edge = edge
        self.policy = policy
        self.horizon = max(policy.cycle_window, policy.chain_window)
        self.max_hops = max(policy.cycle_max_hops, policy.chain_max_hops)

    def crosses(self, a: int, b: int) -> int:
        return int(self.graph.nodes[a].country != self.graph.nodes[b].country)

    def _next(self, node: int, at: float, forward: bool) -> Iterator[int]:
        graph, pivot = self.graph, self.graph.time[self.edge]
        if forward:
            return graph.out_between(node, at, pivot + self.horizon)
        return graph.in_between(node, pivot - self.horizon, at)

    def _consistent(self, earlier: float, later: float) -> bool:
        policy = self.policy
        return (
            min(earlier, later) >= policy.flow_min_usd
            and policy.flow_min_share * earlier <= later <= policy.flow_max_share * earlier
        )

    def legs(self, forward: bool) -> list[_Leg]:
        graph = self.graph
        far = graph.target if forward else graph.source
        origin = far[self.edge]
        legs = [_Leg((), origin, 0)]
        stack = [legs[0]]
        budget = self.policy.max_paths
        while stack and budget > 0:
            leg = stack.pop()
            if len(leg.edges) >= self.max_hops - 1:
                continue
            last = leg.edges[-1] if leg.edges else self.edge
            for step in self._next(leg.end, graph.time[last], forward):
                earlier, later = (last, step) if forward else (step, last)
                node = far[step]
                if node == CASH or not self._consistent(graph.amount[earlier], graph.amount[later]):
                    continue
                budget -= 1
                grown = _Leg((*leg.edges, step), node, leg.crossings + self.crosses(leg.end, node))
                legs.append(grown)
                if node not in (graph.source[self.edge], graph.target[self.edge]):
                    stack.append(grown)
        return legs


def _nodes(graph: TransactionGraph, path: list[int]) -> list[int]:
    return [graph.source[path[0]], *(graph.target[e] for e in path)]


def _simple(nodes: list[int]) -> bool:
    """No account twice, except a cycle's origin at both ends."""
    closed = nodes[0] == nodes[-1]
    return len(set(nodes)) == len(nodes) - int(closed)


class _Candidates:
    def __init__(self, paths: _Paths) -> None:
        graph, edge = paths.graph, paths.edge
        self.graph = graph
        self.policy = paths.policy
        self.edge = edge
        self.own = paths.crosses(graph.source[edge], graph.target[edge])
        self.backward = paths.legs(forward=False)
        self.forward = paths.legs(forward=True)

    def _path(self, back: _Leg, ahead: _Leg) -> tuple[list[int], list[int], float]:
        path = [*reversed(back.edges), self.edge, *ahead.edges]
        return path, _nodes(self.graph, path), self.graph.time[path[-1]] - self.graph.time[path[0]]

    def cycle(self) -> list[int] | None:
        """The shortest path through the transfer that comes back to where it began."""
        policy = self.policy
        ending_at: dict[int, list[_Leg]] = {}
        for ahead in self.forward:
            ending_at.setdefault(ahead.end, []).append(ahead)
        best: list[int] | None = None
        for back in self.backward:
            for ahead in ending_at.get(back.end, ()):
                path, nodes, span = self._path(back, ahead)
                fits = policy.cycle_min_hops <= len(path) <= policy.cycle_max_hops and span <= policy.cycle_window
                if fits and nodes[0] == nodes[-1] and _simple(nodes) and (best is None or len(path) < len(best)):
                    best = path
        return best

    def chain(self) -> tuple[int, list[int]] | None:
        """The open path through the transfer crossing the most borders (then the shortest), if enough."""
        policy = self.policy
        ahead_legs = sorted(self.forward, key=lambda leg: -leg.crossings)
        best: tuple[int, list[int]] | None = None
        for back in self.backward:
            for ahead in ahead_legs:
                crossings = back.crossings + self.own + ahead.crossings
                if crossings < policy.chain_min_borders or (best is not None and crossings < best[0]):
                    break
                path, nodes, span = self._path(back, ahead)
                fits = len(path) <= policy.chain_max_hops and span <= policy.chain_window
                better = best is None or (crossings, -len(path)) > (best[0], -len(best[1]))
                if fits and better and nodes[0] != nodes[-1] and _simple(nodes):
                    best = (crossings, path)
        return best


def flows(graph: TransactionGraph, edge: int, policy: PatternPolicy) -> list[Detection]:
    if graph.amount[edge] < policy.flow_min_usd or CASH in (graph.source[edge], graph.target[edge]):
        return []
    candidates = _Candidates(_Paths(graph, edge, policy))
    found = []
    cycle = candidates.cycle()
    if cycle is not None:
        found.append(_detection(graph, Pattern.CIRCULAR_FLOW, cycle, "went round"))
    chain = candidates.chain()
    if chain is not None:
        found.append(_detection(graph, Pattern.BORDER_CHAIN, chain[1], f"crossed {chain[0]} borders via"))
    return found


def _detection(graph: TransactionGraph, pattern: Pattern, path: list[int], verb: str) -> Detection:
    places = " → ".join(graph.country_of(node) or "cash" for node in _nodes(graph, path))
    moved = graph.amount[path[0]]
    days = (graph.time[path[-1]] - graph.time[path[0]]) / 86_400
    summary = f"{moved:,.0f} USD {verb} {places} in {len(path)} transfers over {days:.1f} days"
    return Detection(pattern, tuple(path), moved, summary)
