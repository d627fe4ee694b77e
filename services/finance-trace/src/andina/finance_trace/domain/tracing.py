"""A trace request -> the answer for its requester: nodes, edges and amounts, hashes unless disclosed."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

import orjson

from andina.contract.events.finance_trace import Direction
from andina.contract.events.finance_trace_flows import TraceCompleted, TraceEdge, TraceNode, TraceRequest
from andina.contract.rejections import Reason, Rejected
from andina.finance_trace.domain.aliases import Aliases
from andina.finance_trace.domain.graph import TransactionGraph
from andina.finance_trace.domain.graphml import to_graphml
from andina.finance_trace.domain.sharing import Disclosures, Subjects
from andina.finance_trace.domain.trace import Flow, TraceQuery, follow

CENT = Decimal("0.01")
DEFAULT_MAX_ANSWER_BYTES = 900_000  # under Kafka's default message.max.bytes (1 MiB), with room for the envelope


def usd(amount: float) -> Decimal:
    return Decimal(repr(amount)).quantize(CENT, ROUND_HALF_UP)


def utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def check_trace(request: TraceRequest, max_hops: int) -> None:
    if request.max_hops > max_hops:
        raise Rejected(
            Reason.INVALID_PAYLOAD, f"a trace follows at most {max_hops} hops; {request.max_hops} were asked"
        )
    if (request.account is None) == (request.party is None):
        raise Rejected(Reason.INVALID_PAYLOAD, "a trace starts at one account or one party: give exactly one")
    if request.since >= request.until:
        raise Rejected(Reason.INVALID_PAYLOAD, "the trace window must end after it starts")
    if request.min_amount_usd < 0:
        raise Rejected(Reason.INVALID_PAYLOAD, f"minimum amount {request.min_amount_usd} is negative")


class Tracer:
    def __init__(
        self,
        graph: TransactionGraph,
        subjects: Subjects,
        aliases: Aliases,
        max_edges: int,
        max_bytes: int = DEFAULT_MAX_ANSWER_BYTES,
    ) -> None:
        self.graph = graph
        self.subjects = subjects
        self.aliases = aliases
        self.max_edges = max_edges
        self.max_bytes = max_bytes

    def starts(self, request: TraceRequest, refused: Collection[str] = ()) -> list[str]:
        """The start account, or the accounts the start party holds by some FIU's reports not in ``refused``."""
        if request.account is not None:
            return [self.aliases.canonical(request.account)]
        return self.subjects.accounts_of(self.aliases.canonical(request.party or ""), refused)

    def flows(self, request: TraceRequest, refused: Collection[str] = ()) -> list[Flow]:
        """The trace's flows over the transfers some FIU not in ``refused`` reported."""
        nodes = [n for n in (self.graph.node(ref) for ref in self.starts(request, refused)) if n is not None]
        query = TraceQuery(
            nodes,
            request.since.timestamp(),
            request.until.timestamp(),
            request.max_hops,
            float(request.min_amount_usd),
            self.max_edges,
            self._reported_by_others_than(refused) if refused else None,
        )
        ways = {Direction.FORWARD: [True], Direction.BACKWARD: [False], Direction.BOTH: [True, False]}
        return [follow(self.graph, query, forward) for forward in ways[request.direction]]

    def _reported_by_others_than(self, refused: Collection[str]) -> Callable[[int], int]:
        reporters, countries = self.graph.reporters, self.graph.countries
        others = sum(1 << i for i, code in enumerate(countries) if code not in refused)
        return lambda edge: reporters[edge] & others

    def answer(
        self,
        trace_id: UUID,
        request: TraceRequest,
        requester: str,
        disclosures: Disclosures,
        flows: list[Flow],
        withheld: Mapping[str, str] | None = None,
        shown: Callable[[str, str], bool] | None = None,
    ) -> TraceCompleted:
        """The answer to ``requester``; ``withheld``: the FIUs whose transfers the flows did not follow
        (with the rules that refused them), named nowhere else in it, nor the parties only they linked to
        an account; ``shown(owner, subject)``: whether an owner's disclosed details are shown again (all,
        if not given)."""
        graph, withheld = self.graph, withheld or {}
        forward = next((f for f in flows if f.forward), None)
        backward = next((f for f in flows if not f.forward), None)
        starts = self.starts(request, withheld)
        visited = sorted({node for flow in flows for node in flow.hops})
        nodes = []
        for node in visited:
            ref = graph.nodes[node].ref
            nodes.append(
                TraceNode(
                    ref=ref,
                    country=graph.country_of(node) or "",
                    start=ref in starts,
                    forward_hops=forward.hops.get(node) if forward else None,
                    backward_hops=backward.hops.get(node) if backward else None,
                    reached_usd=usd(forward.reached.get(node, 0.0)) if forward else Decimal(0),
                    sourced_usd=usd(backward.reached.get(node, 0.0)) if backward else Decimal(0),
                    holders=self.subjects.parties_of(ref, withheld),
                    held_by=[c for c in self.subjects.holders(ref) if c not in withheld],
                    disclosed=disclosures.granted(requester, ref, shown),
                )
            )
        edges = [self._edge(edge, flow, carried, withheld) for flow in flows for edge, carried in flow.carried.items()]
        edges.sort(key=lambda e: (e.time, e.transaction))
        completed = TraceCompleted(
            trace_id=trace_id,
            reference=request.reference,
            start=starts,
            direction=request.direction,
            outflow_usd=usd(forward.original_usd) if forward else Decimal(0),
            inflow_usd=usd(backward.original_usd) if backward else Decimal(0),
            nodes=nodes,
            edges=edges,
            truncated=any(flow.truncated for flow in flows),
            withheld=dict(withheld),
        )
        return self._fitted(completed, request.graphml)

    def _fitted(self, completed: TraceCompleted, graphml: bool) -> TraceCompleted:
        """The answer within the size an event may have: the closest, largest transfers first if it must shrink."""
        while True:
            if graphml:
                completed = completed.model_copy(update={"graphml": to_graphml(completed)})
            size = len(orjson.dumps(completed.model_dump(mode="json")))
            if size <= self.max_bytes or not completed.edges:
                return completed
            keep = int(len(completed.edges) * self.max_bytes / size * 0.9)
            ranked = sorted(completed.edges, key=lambda e: (e.hop, -e.carried_usd))[:keep]
            edges = sorted(ranked, key=lambda e: (e.time, e.transaction))
            ends = {ref for e in edges for ref in (e.source, e.target)}
            nodes = [n for n in completed.nodes if n.start or n.ref in ends]
            completed = completed.model_copy(update={"edges": edges, "nodes": nodes, "truncated": True})

    def _edge(self, edge: int, flow: Flow, carried: float, withheld: Mapping[str, str]) -> TraceEdge:
        graph = self.graph
        return TraceEdge(
            transaction=graph.transaction_id(edge),
            source=graph.ref_of(graph.source[edge]),
            target=graph.ref_of(graph.target[edge]),
            time=utc(graph.time[edge]),
            amount_usd=usd(graph.amount[edge]),
            carried_usd=usd(carried),
            direction="forward" if flow.forward else "backward",
            hop=flow.hop[edge],
            channel=graph.channel_of(edge),
            reported_by=[c for c in graph.reporters_of(edge) if c not in withheld],
        )
