"""Rebuilds the in-memory state from the store when the service starts.

``load`` is a start-up step of the service definition: it runs once the store is ready and
before the consumer starts, so no event is handled against a half-loaded graph.
"""

from __future__ import annotations

import time

import structlog

from andina.finance_trace.adapters.cases import FindingStore, RequestStore
from andina.finance_trace.adapters.reports import ReportStore
from andina.finance_trace.domain.state import FinanceState

log = structlog.get_logger()


class StateLoader:
    def __init__(
        self, state: FinanceState, reports: ReportStore, findings: FindingStore, requests: RequestStore
    ) -> None:
        self._state = state
        self._reports = reports
        self._findings = findings
        self._requests = requests

    async def load(self) -> None:
        started = time.perf_counter()
        state, graph = self._state, self._state.graph
        now = time.time()
        latest = await self._reports.latest_time()
        if latest is not None:  # the event time the graph had: the horizon runs back from it
            graph.latest = latest
        async for transfer, report_id, reporters in self._reports.transfers(state.transfers_since(now)):
            graph.restore(transfer, report_id, graph.reporter_bits(reporters))
        async for holding, event, named_at in self._reports.holdings(state.since(now), now):
            state.subjects.hold(holding, event, named_at)
        state.aliases.add(await self._reports.aliases())
        async for party, account, named_at in self._reports.party_accounts(state.since(now), now):
            state.subjects.link(party, account, named_at)
        async for finding, pattern, transactions, revision in self._findings.all():
            edges = [e for e in (graph.edge_of(t) for t in transactions) if e is not None]
            state.detector.remember(pattern, edges, finding)
            state.revisions.keep(finding, revision)
        async for d in self._requests.disclosures():
            state.disclosures.grant(d["requester"], d["subject"], d["owner"], d["details"])
        async for requester, shown, at in self._requests.shown(state.since(now)):
            state.disclosures.show(requester, shown, at)
        log.info("state loaded", transfers=len(graph), accounts=len(graph.nodes), seconds=time.perf_counter() - started)
