"""The transaction graph, held in memory: accounts and their time-sorted transfers.

The store scans a collection on every read, so the service keeps the graph here, loads it
at start-up and adds each report as it arrives (after writing it to the store). Edges are
columns of compact arrays (a million transfers take tens of megabytes, not gigabytes);
each account keeps its outgoing and incoming edges sorted by time, with their times in a
parallel array, so "what left this account after t" is one binary search. Transfers dated
before the service's horizon are forgotten (the store keeps them), so memory stays bounded.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from math import inf

from andina.contract.events.finance_trace import Channel
from andina.finance_trace.domain.model import Transfer

CASH = -1  # the far end of a cash deposit or withdrawal: no account
CHANNELS = tuple(Channel)


# Shared by every node until its first edge that way, and never appended to: most accounts
# only send or only receive, and four empty arrays cost a one-transfer account 320 bytes.
_NO_TIMES: array[float] = array("d")
_NO_EDGES: array[int] = array("i")


class Node:
    """An account: its canonical ref, its bank's country (an index of the graph's places), its edges by time."""

    __slots__ = ("country", "in_e", "in_t", "out_e", "out_t", "ref")

    def __init__(self, ref: str, country: int) -> None:
        self.ref = ref
        self.country = country
        self.out_t, self.out_e = _NO_TIMES, _NO_EDGES
        self.in_t, self.in_e = _NO_TIMES, _NO_EDGES

    def add_out(self, time: float, edge: int) -> None:
        if self.out_e is _NO_EDGES:
            self.out_t, self.out_e = array("d"), array("i")
        _insert(self.out_t, self.out_e, time, edge)

    def add_in(self, time: float, edge: int) -> None:
        if self.in_e is _NO_EDGES:
            self.in_t, self.in_e = array("d"), array("i")
        _insert(self.in_t, self.in_e, time, edge)


def _insert(times: array[float], edges: array[int], time: float, edge: int) -> None:
    position = bisect_right(times, time)
    if position == len(times):  # reports mostly arrive in time order
        times.append(time)
        edges.append(edge)
    else:
        times.insert(position, time)
        edges.insert(position, edge)


def _since(
    times: array[float], edges: array[int], before: float, edge_map: array[int]
) -> tuple[array[float], array[int]]:
    """A node's edges one way from ``before`` on, renumbered (its edges are in time order)."""
    start = bisect_left(times, before)
    if start == len(times):
        return _NO_TIMES, _NO_EDGES
    return times[start:], array("i", (edge_map[e] for e in edges[start:]))


def _mapped(mapping: array[int], value: int) -> int:
    return value if value == CASH else mapping[value]


@dataclass
class Plan:
    """How a report changes the graph: its new transfers, and known ones it names again."""

    report_id: str
    reporter: str
    new: list[Transfer] = field(default_factory=list)
    past: list[Transfer] = field(default_factory=list)  # dated before the horizon: stored, not held
    mine: list[int] = field(default_factory=list)  # edges this report added before (a redelivery)
    known: dict[int, Transfer] = field(default_factory=dict)  # edges another FIU reported first

    @property
    def newly_reported(self) -> list[int]:
        """Known edges this reporter had not reported yet (the store adds it to their reporters)."""
        return list(self.known)


class TransactionGraph:
    def __init__(self, countries: Sequence[str]) -> None:
        self.countries = tuple(countries)  # member FIUs: bit i of ``reporters`` is countries[i]
        self._country_index = {code: i for i, code in enumerate(self.countries)}
        self._places: list[str] = []  # countries of accounts: members and the rest of the world
        self._place_index: dict[str, int] = {}
        self.nodes: list[Node] = []
        self._node_of: dict[str, int] = {}
        self.time = array("d")
        self.latest = -inf  # the latest transfer time ever added: the graph's event time
        self.amount = array("d")
        self.source = array("i")
        self.target = array("i")
        self.channel = array("B")
        self.reporters = array("L")  # bit i: countries[i] reported this transfer
        self._report = array("i")
        self._position = array("H")
        self._report_ids: list[str] = []
        self._report_index: dict[str, int] = {}
        self._report_edges: list[array[int]] = []
        self._transfers: dict[str, int] = {}  # "t:<hashed end-to-end reference>" -> edge
        self._transfer_of: dict[int, str] = {}

    # ---- reading
    def __len__(self) -> int:
        return len(self.time)

    def node(self, ref: str) -> int | None:
        return self._node_of.get(ref)

    def country_of(self, node: int) -> str | None:
        return None if node == CASH else self._places[self.nodes[node].country]

    def ref_of(self, node: int) -> str | None:
        return None if node == CASH else self.nodes[node].ref

    def reporters_of(self, edge: int) -> list[str]:
        bits = self.reporters[edge]
        return [code for i, code in enumerate(self.countries) if bits >> i & 1]

    def transaction_id(self, edge: int) -> str:
        return self._transfer_of.get(edge) or f"{self._report_ids[self._report[edge]]}/{self._position[edge]}"

    def channel_of(self, edge: int) -> Channel:
        return CHANNELS[self.channel[edge]]

    def out_between(self, node: int, after: float, until: float) -> Iterator[int]:
        """Edges leaving ``node`` with ``after < time <= until``, earliest first."""
        entry = self.nodes[node]
        times, edges = entry.out_t, entry.out_e
        for i in range(bisect_right(times, after), bisect_right(times, until)):
            yield edges[i]

    def in_between(self, node: int, since: float, before: float) -> Iterator[int]:
        """Edges reaching ``node`` with ``since <= time < before``, latest first."""
        entry = self.nodes[node]
        times, edges = entry.in_t, entry.in_e
        for i in range(bisect_left(times, before) - 1, bisect_left(times, since) - 1, -1):
            yield edges[i]

    def frozen(self) -> Callable[[], Iterator[tuple[Transfer, str, int]]]:
        """Every transfer held now, with the id of the report that brought it and its reporter bits: the
        columns copied at once, the transfers made later, off the event loop (for a snapshot)."""
        time, amount = array("d", self.time), array("d", self.amount)
        columns = (self.source, self.target, self.channel, self.reporters, self._report, self._position)
        source, target, channel, reporters, report, position = (array(c.typecode, c) for c in columns)
        refs: list[str | None] = [n.ref for n in self.nodes]
        places: list[str | None] = [self._places[n.country] for n in self.nodes]
        report_ids, keyed = list(self._report_ids), dict(self._transfer_of)

        def end(node: int) -> tuple[str | None, str | None]:
            return (None, None) if node == CASH else (refs[node], places[node])

        def transfers() -> Iterator[tuple[Transfer, str, int]]:
            for e in range(len(time)):
                (source_ref, source_country), (target_ref, target_country) = end(source[e]), end(target[e])
                report_id = report_ids[report[e]]
                key = keyed.get(e) or f"{report_id}/{position[e]}"
                refs_and_places = (source_ref, target_ref, source_country, target_country)
                yield (
                    Transfer(key, position[e], time[e], amount[e], *refs_and_places, CHANNELS[channel[e]]),
                    report_id,
                    reporters[e],
                )

        return transfers

    def frozen_ids(self) -> Callable[[int], str]:
        """:meth:`transaction_id` as of now, to be called later, off the event loop (for a snapshot)."""
        keyed, report_ids = dict(self._transfer_of), list(self._report_ids)
        report, position = array("i", self._report), array("H", self._position)
        return lambda edge: keyed.get(edge) or f"{report_ids[report[edge]]}/{position[edge]}"

    def edges_of_report(self, report_id: str) -> list[int]:
        index = self._report_index.get(report_id)
        return [] if index is None else list(self._report_edges[index])

    # ---- changing
    def plan(self, report_id: str, reporter: str, transfers: Sequence[Transfer], since: float = -inf) -> Plan:
        """Classify a report's transfers without changing anything; those dated before ``since`` are past."""
        plan = Plan(report_id, reporter)
        mine = self.edges_of_report(report_id)
        by_position = {self._position[e]: e for e in mine if e not in self._transfer_of}
        bit = 1 << self._country_index[reporter]
        for transfer in transfers:
            keyed = transfer.key.startswith("t:")
            edge = self._transfers.get(transfer.key) if keyed else by_position.get(transfer.position)
            if edge is None:
                (plan.new if transfer.time >= since else plan.past).append(transfer)
            elif edge in mine:
                plan.mine.append(edge)
            elif not self.reporters[edge] & bit:
                plan.known[edge] = transfer
        return plan

    def apply(self, plan: Plan) -> list[int]:
        """Add the planned report; return its edges (new, re-delivered and newly co-reported)."""
        bit = 1 << self._country_index[plan.reporter]
        added = [self.restore(transfer, plan.report_id, bit) for transfer in plan.new]
        for edge in plan.known:
            self.reporters[edge] |= bit
        return [*plan.mine, *added, *plan.known]

    def add_report(self, report_id: str, reporter: str, transfers: Sequence[Transfer]) -> list[int]:
        return self.apply(self.plan(report_id, reporter, transfers))

    def restore(self, transfer: Transfer, report_id: str, reporters: int) -> int:
        """Add one edge (at start-up from the store, or from :meth:`apply`); return its index."""
        report = self._ensure_report(report_id)
        edge = len(self.time)
        source = self._ensure_node(transfer.source, transfer.source_country)
        target = self._ensure_node(transfer.target, transfer.target_country)
        self.time.append(transfer.time)
        self.latest = max(self.latest, transfer.time)
        self.amount.append(transfer.amount_usd)
        self.source.append(source)
        self.target.append(target)
        self.channel.append(CHANNELS.index(transfer.channel))
        self.reporters.append(reporters)
        self._report.append(report)
        self._position.append(transfer.position)
        self._report_edges[report].append(edge)
        if transfer.key.startswith("t:"):
            self._transfers[transfer.key] = edge
            self._transfer_of[edge] = transfer.key
        if source != CASH:
            self.nodes[source].add_out(transfer.time, edge)
        if target != CASH:
            self.nodes[target].add_in(transfer.time, edge)
        return edge

    def reporter_bits(self, codes: Sequence[str]) -> int:
        return sum(1 << self._country_index[code] for code in set(codes))

    def edge_of(self, transaction_id: str) -> int | None:
        """The edge of a network transaction id (the inverse of :meth:`transaction_id`)."""
        if transaction_id.startswith("t:"):
            return self._transfers.get(transaction_id)
        report_id, _, position = transaction_id.rpartition("/")
        return next((e for e in self.edges_of_report(report_id) if self._position[e] == int(position)), None)

    def forget(self, before: float) -> array[int] | None:
        """Drop the transfers dated before ``before``, and the accounts and reports left with none.

        Edges and nodes are renumbered: returns old edge -> new edge (-1 if dropped), or None
        if nothing was that old (nothing changed)."""
        kept = [e for e, time in enumerate(self.time) if time >= before]
        if len(kept) == len(self.time):
            return None
        edge_map = array("i", [-1]) * len(self.time)
        for new, old in enumerate(kept):
            edge_map[old] = new
        node_map = self._forget_nodes(before, edge_map)
        report_map = self._forget_reports(edge_map)

        def column(values: array[int], mapping: array[int] | None = None) -> array[int]:
            return array(values.typecode, (values[e] if mapping is None else _mapped(mapping, values[e]) for e in kept))

        self.time, self.amount = array("d", (self.time[e] for e in kept)), array("d", (self.amount[e] for e in kept))
        self.source, self.target = column(self.source, node_map), column(self.target, node_map)
        self.channel, self.reporters, self._position = (
            column(self.channel),
            column(self.reporters),
            column(self._position),
        )
        self._report = column(self._report, report_map)
        self._transfers = {key: edge_map[e] for key, e in self._transfers.items() if edge_map[e] >= 0}
        self._transfer_of = {edge: key for key, edge in self._transfers.items()}
        return edge_map

    def _forget_nodes(self, before: float, edge_map: array[int]) -> array[int]:
        node_map = array("i", [-1]) * len(self.nodes)
        nodes: list[Node] = []
        for old, node in enumerate(self.nodes):
            node.out_t, node.out_e = _since(node.out_t, node.out_e, before, edge_map)
            node.in_t, node.in_e = _since(node.in_t, node.in_e, before, edge_map)
            if len(node.out_e) or len(node.in_e):
                node_map[old] = len(nodes)
                nodes.append(node)
        self.nodes = nodes
        self._node_of = {node.ref: i for i, node in enumerate(nodes)}
        return node_map

    def _forget_reports(self, edge_map: array[int]) -> array[int]:
        report_map = array("i", [-1]) * len(self._report_ids)
        ids: list[str] = []
        edges: list[array[int]] = []
        for old, report_id in enumerate(self._report_ids):
            held = array("i", (edge_map[e] for e in self._report_edges[old] if edge_map[e] >= 0))
            if held:
                report_map[old] = len(ids)
                ids.append(report_id)
                edges.append(held)
        self._report_ids, self._report_edges = ids, edges
        self._report_index = {report_id: i for i, report_id in enumerate(ids)}
        return report_map

    def _ensure_report(self, report_id: str) -> int:
        if report_id not in self._report_index:
            self._report_index[report_id] = len(self._report_ids)
            self._report_ids.append(report_id)
            self._report_edges.append(array("i"))
        return self._report_index[report_id]

    def _ensure_node(self, ref: str | None, country: str | None) -> int:
        if ref is None:
            return CASH
        node = self._node_of.get(ref)
        if node is None:
            node = self._node_of[ref] = len(self.nodes)
            self.nodes.append(Node(ref, self._place(country or "")))
        return node

    def _place(self, country: str) -> int:
        if country not in self._place_index:
            self._place_index[country] = len(self._places)
            self._places.append(country)
        return self._place_index[country]
