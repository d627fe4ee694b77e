"""Drops at start what the changelog's tables still hold from past the horizon.

``load`` is a start-up step of the service definition: it runs after the graph, the subjects,
the findings and the disclosures are loaded from the changelog (adapters/graph_table.py), and
before the consumer starts, so no event is handled against a half-loaded state.
"""

from __future__ import annotations

import time

import structlog

from andina.finance_trace.domain.state import FinanceState

log = structlog.get_logger()


class StateLoader:
    def __init__(self, state: FinanceState) -> None:
        self._state = state

    async def load(self) -> None:
        started = time.perf_counter()
        state, graph = self._state, self._state.graph
        # The changelog holds what was named long ago too (its last entry per key): past the horizon, dropped.
        state.forget(time.time())
        log.info("state loaded", transfers=len(graph), accounts=len(graph.nodes), seconds=time.perf_counter() - started)
