"""Instances of finance-trace in memory that share a changelog (and, if given, the store's requests)."""

from __future__ import annotations

from math import inf

from andina.finance_trace.adapters.graph_table import GraphTable, SharedFinanceState
from andina.finance_trace.domain.patterns.policy import PatternPolicy
from andina.shared.snapshots import Entry
from tests.unit.finance_trace.fakes import COUNTRIES, FakeRequests, Service


class Instance:
    """One process: its state, noting into the changelog every instance writes, and its service's ports."""

    def __init__(self, changelog: list[Entry], horizon: float = inf, requests: FakeRequests | None = None) -> None:
        self.state = SharedFinanceState(
            COUNTRIES.codes,
            PatternPolicy(),
            5_000,
            900_000,
            horizon,
            note=lambda owner, k, v: changelog.append((k, v)),
        )
        self.table = GraphTable(self.state)
        self.service = Service(state=self.state, requests=requests or FakeRequests())
