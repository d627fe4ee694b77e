"""Rebuilds what the service holds in memory besides the changelog's tables from the store at start.

``load`` is a start-up step of the service definition: it runs once the store is ready, after
the graph, the subjects and the findings are loaded from the changelog (adapters/graph_table.py),
and before the consumer starts, so no event is handled against a half-loaded state.
"""

from __future__ import annotations

import time

import structlog

from andina.finance_trace.adapters.cases import RequestStore
from andina.finance_trace.domain.state import FinanceState

log = structlog.get_logger()


class StateLoader:
    def __init__(self, state: FinanceState, requests: RequestStore) -> None:
        self._state = state
        self._requests = requests

    async def load(self) -> None:
        started = time.perf_counter()
        state, graph = self._state, self._state.graph
        now = time.time()
        # The changelog holds what was named long ago too (its last entry per key): past the horizon, dropped.
        state.forget(now)
        async for d in self._requests.disclosures():
            state.disclosures.grant(d["requester"], d["subject"], d["owner"], d["details"])
        async for requester, shown, at in self._requests.shown(state.since(now)):
            state.disclosures.show(requester, shown, at)
        log.info("state loaded", transfers=len(graph), accounts=len(graph.nodes), seconds=time.perf_counter() - started)
