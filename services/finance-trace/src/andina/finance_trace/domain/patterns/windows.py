"""Patterns of one account within a time window: structuring, fan-in, fan-out, rapid pass-through.

Each detector looks at the account's transfers around one new transfer, in both directions
of time, so a pattern is found whatever order its transfers are reported in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from andina.contract.events.finance_trace import Pattern
from andina.finance_trace.domain.graph import CASH, TransactionGraph
from andina.finance_trace.domain.patterns.policy import Detection, PatternPolicy


def _fullest_window(
    graph: TransactionGraph, edges: Sequence[int], pivot: float, width: float, accept: Callable[[list[int]], bool]
) -> list[int] | None:
    """The largest run of ``edges`` (time order) spanning at most ``width`` around ``pivot`` that ``accept`` takes."""
    times = graph.time
    best: list[int] | None = None
    end = 0
    for begin, first in enumerate(edges):
        if times[first] > pivot:
            break
        if times[first] < pivot - width:
            continue
        end = max(end, begin)
        while end < len(edges) and times[edges[end]] <= times[first] + width:
            end += 1
        window = list(edges[begin:end])
        if (best is None or len(window) > len(best)) and accept(window):
            best = window
    return best


def _around(graph: TransactionGraph, node: int, pivot: float, width: float, incoming: bool) -> list[int]:
    """The node's transfers in or out within ``width`` of ``pivot``, earliest first."""
    if incoming:
        return list(reversed(list(graph.in_between(node, pivot - width, pivot + width + 1e-3))))
    return list(graph.out_between(node, pivot - width - 1e-3, pivot + width))


def structuring(graph: TransactionGraph, edge: int, policy: PatternPolicy) -> list[Detection]:
    """Several cash deposits just under the reporting threshold into one account within the window."""
    threshold = policy.reporting_threshold_usd
    floor = threshold * policy.structuring_floor_share

    def near_threshold(e: int) -> bool:
        return graph.source[e] == CASH and floor <= graph.amount[e] < threshold

    if not near_threshold(edge):
        return []
    pivot, width = graph.time[edge], policy.structuring_window
    deposits = [e for e in _around(graph, graph.target[edge], pivot, width, incoming=True) if near_threshold(e)]

    def enough(window: list[int]) -> bool:
        total = sum(graph.amount[e] for e in window)
        return len(window) >= policy.structuring_min_deposits and total >= threshold

    window = _fullest_window(graph, deposits, pivot, width, enough)
    if window is None:
        return []
    total = sum(graph.amount[e] for e in window)
    summary = f"{len(window)} cash deposits under {threshold:,.0f} USD totalling {total:,.0f} USD into one account"
    return [Detection(Pattern.STRUCTURING, tuple(window), total, summary)]


def _passed_on(graph: TransactionGraph, node: int, window: list[int], incoming: bool, width: float) -> list[int]:
    """What a fan-in account sent on after collecting, or what a fan-out account received before paying out."""
    first, last = graph.time[window[0]], graph.time[window[-1]]
    if incoming:
        return list(graph.out_between(node, first, last + width))
    return list(reversed(list(graph.in_between(node, first - width, last))))


def _without_strays(
    graph: TransactionGraph,
    window: list[int],
    passed: float,
    policy: PatternPolicy,
    enough: Callable[[list[int]], bool],
) -> list[int] | None:
    """The fan's payments once its smallest are left out, up to ``fan_stray_share`` of its money, if that is what
    it takes for ``passed`` to reach ``fan_pass_share`` of it: a mule's account also sees ordinary payments, and
    one unrelated inflow must not hide the fan. None when even that is not enough."""
    total = sum(graph.amount[e] for e in window)
    strays: set[int] = set()
    left_out = 0.0
    for edge in sorted(window, key=graph.amount.__getitem__):
        if passed >= policy.fan_pass_share * (total - left_out):
            break
        left_out += graph.amount[edge]
        strays.add(edge)
    core = [e for e in window if e not in strays]
    if passed < policy.fan_pass_share * (total - left_out) or left_out > policy.fan_stray_share * total:
        return None
    return core if enough(core) else None


def _fan_leg(graph: TransactionGraph, policy: PatternPolicy, edge: int, incoming: bool) -> bool:
    """Whether ``edge`` may be one of a fan's payments: into a fan-in, or out of a fan-out."""
    counterpart = graph.source if incoming else graph.target
    return graph.amount[edge] >= policy.fan_min_usd and counterpart[edge] != CASH


def _fan(graph: TransactionGraph, policy: PatternPolicy, node: int, incoming: bool, pivot: float) -> list[Detection]:
    counterpart = graph.source if incoming else graph.target
    width = policy.fan_window
    candidates = [e for e in _around(graph, node, pivot, width, incoming) if _fan_leg(graph, policy, e, incoming)]

    def enough(window: list[int]) -> bool:
        return len({counterpart[e] for e in window}) >= policy.fan_min_counterparties

    window = _fullest_window(graph, candidates, pivot, width, enough)
    if window is None:
        return []
    onward = _passed_on(graph, node, window, incoming, width)
    window = _without_strays(graph, window, sum(graph.amount[e] for e in onward), policy, enough)
    if window is None:
        return []
    total = sum(graph.amount[e] for e in window)
    parties = len({counterpart[e] for e in window})
    way = "paid into" if incoming else "paid from"
    summary = f"{parties} accounts {way} one account, {total:,.0f} USD within {width / 3600:.0f} h, passed on"
    evidence = (*window, *onward) if incoming else (*onward, *window)
    return [Detection(Pattern.FAN_IN if incoming else Pattern.FAN_OUT, evidence, total, summary)]


def fans(graph: TransactionGraph, edge: int, policy: PatternPolicy) -> list[Detection]:
    """A mule account: many distinct counterparties paying into it (fan-in) or paid from it (fan-out)
    within the window, with the money passed on (fan-in) or received just before (fan-out): payroll
    paid from a balance and rents collected and kept are not mules. The new transfer may be one of
    the fan's payments, or the money a fan-in sent on, or the money that funded a fan-out."""
    source, target, time, width = graph.source[edge], graph.target[edge], graph.time[edge], policy.fan_window
    if CASH in (source, target):
        return []
    found = []
    if graph.amount[edge] >= policy.fan_min_usd:
        found += _fan(graph, policy, target, True, time) + _fan(graph, policy, source, False, time)
    # The fan's own payments nearest the new transfer anchor its window: not the holder's small ones between.
    collected = next(
        (e for e in graph.in_between(source, time - width, time) if _fan_leg(graph, policy, e, True)), None
    )
    if collected is not None:
        found += _fan(graph, policy, source, True, graph.time[collected])
    paid_out = next(
        (e for e in graph.out_between(target, time, time + width) if _fan_leg(graph, policy, e, False)), None
    )
    if paid_out is not None:
        found += _fan(graph, policy, target, False, graph.time[paid_out])
    return found


def _without_stray_outflows(
    graph: TransactionGraph, outflows: list[int], received: float, policy: PatternPolicy
) -> list[int]:
    """The payments out once the smallest are left out, up to ``pass_through_stray_share`` of what arrived, while
    more left than arrived: the account also pays from its own balance, and one unrelated payment must not hide
    the money passed on. The order of time is kept."""
    excess = sum(graph.amount[e] for e in outflows) - received
    strays: set[int] = set()
    left_out = 0.0
    for edge in sorted(outflows, key=graph.amount.__getitem__):
        if left_out >= excess or left_out + graph.amount[edge] > policy.pass_through_stray_share * received:
            break
        left_out += graph.amount[edge]
        strays.add(edge)
    return [e for e in outflows if e not in strays]


def pass_through(graph: TransactionGraph, edge: int, policy: PatternPolicy) -> list[Detection]:
    """Money that arrives and leaves again, almost all of it, within hours."""
    width = policy.pass_through_window
    inflows = []
    if graph.target[edge] != CASH:
        inflows.append(edge)
    if graph.source[edge] != CASH:
        inflows.extend(graph.in_between(graph.source[edge], graph.time[edge] - width, graph.time[edge]))
    found = []
    for inflow in inflows:
        received = graph.amount[inflow]
        if received < policy.pass_through_min_usd:
            continue
        node, arrived = graph.target[inflow], graph.time[inflow]
        outflows = _without_stray_outflows(
            graph, list(graph.out_between(node, arrived, arrived + width)), received, policy
        )
        sent = sum(graph.amount[e] for e in outflows)
        if policy.pass_through_min_share * received <= sent <= received:
            hours = (graph.time[outflows[-1]] - arrived) / 3600
            summary = f"{received:,.0f} USD arrived and {sent:,.0f} USD left the same account within {hours:.1f} h"
            found.append(Detection(Pattern.PASS_THROUGH, (inflow, *outflows), received, summary))
    return found
