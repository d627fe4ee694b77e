"""Small graphs for the finance-trace unit tests: accounts named by letters, times in hours."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from andina.contract.events.finance_trace import Channel
from andina.finance_trace.domain.graph import TransactionGraph
from andina.finance_trace.domain.model import Transfer

COUNTRIES = ("BO", "CO", "EC", "PE")
HOUR = 3600.0
DAY = 24 * HOUR
T0 = 1_790_000_000.0  # 2026-09-21, a Monday


def ref(name: str) -> str:
    """A well-formed keyed hash standing for the account ``name``."""
    return "k1:" + name.encode().hex().ljust(64, "0")[:64]


@dataclass
class Ledger:
    """Builds transfers and feeds them to a graph, one report each (``by`` is the reporting FIU)."""

    graph: TransactionGraph = field(default_factory=lambda: TransactionGraph(COUNTRIES))
    countries: dict[str, str] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    def transfer(
        self,
        source: str | None,
        target: str | None,
        usd: float,
        hours: float,
        *,
        by: str | None = None,
        channel: Channel = Channel.TRANSFER,
        key: str | None = None,
    ) -> int:
        """Report one transfer (None: cash); return its edge."""
        number = next(self._ids)
        place = {n: self.countries.get(n, "PE") for n in (source, target) if n is not None}
        transfer = Transfer(
            key=key or f"report-{number}/0",
            position=0,
            time=T0 + hours * HOUR,
            amount_usd=usd,
            source=ref(source) if source else None,
            target=ref(target) if target else None,
            source_country=place.get(source or ""),
            target_country=place.get(target or ""),
            channel=Channel.CASH if None in (source, target) else channel,
        )
        reporter = by or next(iter(place.values()))
        (edge,) = self.graph.add_report(f"report-{number}", reporter, [transfer])
        return edge

    def deposit(self, target: str, usd: float, hours: float) -> int:
        return self.transfer(None, target, usd, hours)

    def node(self, name: str) -> int:
        node = self.graph.node(ref(name))
        assert node is not None, f"no account {name}"
        return node

    def name(self, node: int) -> str:
        """The letter of an account node (the inverse of :func:`ref`)."""
        hexed = self.graph.nodes[node].ref.removeprefix("k1:").rstrip("0")
        return bytes.fromhex(hexed + "0" * (len(hexed) % 2)).decode()
