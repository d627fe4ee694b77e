"""Thresholds and windows of every detector, and how severe a finding is (all configurable)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from andina.contract.events.finance_trace import Pattern
from andina.contract.events.signals import Severity

HOUR = 3600.0
DAY = 24 * HOUR
SEVERITIES = tuple(Severity)  # low .. critical

# How serious each pattern is before its amount is considered.
BASE_SEVERITY = {
    Pattern.STRUCTURING: Severity.MEDIUM,
    Pattern.FAN_IN: Severity.MEDIUM,
    Pattern.FAN_OUT: Severity.MEDIUM,
    Pattern.PASS_THROUGH: Severity.LOW,
    Pattern.CIRCULAR_FLOW: Severity.HIGH,
    Pattern.BORDER_CHAIN: Severity.MEDIUM,
}


@dataclass(frozen=True)
class PatternPolicy:
    """Amounts in US dollars, windows in seconds."""

    reporting_threshold_usd: float = 10_000.0
    structuring_min_deposits: int = 3
    structuring_floor_share: float = 0.5  # deposits below half the threshold are ordinary cash
    structuring_window: float = 5 * DAY
    fan_min_counterparties: int = 8
    fan_min_usd: float = 500.0
    fan_window: float = 72 * HOUR
    fan_pass_share: float = 0.8  # a mule passes on what it collects, or pays out what it just received
    fan_stray_share: float = 0.1  # its smallest payments, up to this share of its money, may be unrelated
    pass_through_window: float = 6 * HOUR
    pass_through_min_usd: float = 3_000.0
    pass_through_min_share: float = 0.8
    pass_through_stray_share: float = 0.1  # its smallest payments out, up to this share of the inflow, may be unrelated
    flow_min_usd: float = 1_000.0  # circular flows and border chains follow transfers at least this large
    flow_min_share: float = 0.7  # each hop passes on at least this share of what the previous one carried
    flow_max_share: float = 1.05  # ... and at most this share: in US dollars, a hop a day later can be worth more
    cycle_window: float = 30 * DAY
    # Money paid straight back by the account that received it (a loan repaid, a refund, two traders
    # settling up) is not a ring: a ring passes through at least three accounts.
    cycle_min_hops: int = 3
    cycle_max_hops: int = 6
    chain_min_borders: int = 3
    chain_window: float = 10 * DAY
    chain_max_hops: int = 6
    high_usd: float = 50_000.0
    critical_usd: float = 250_000.0
    alert_severity: Severity = Severity.HIGH  # findings this severe or worse go to the 24/7 network
    max_paths: int = 500  # paths explored each way around one transfer, at most

    def severity(self, pattern: Pattern, amount_usd: float) -> Severity:
        level = SEVERITIES.index(BASE_SEVERITY[pattern])
        if amount_usd >= self.critical_usd:
            level = SEVERITIES.index(Severity.CRITICAL)
        elif amount_usd >= self.high_usd:
            level = max(level, SEVERITIES.index(Severity.HIGH))
        return SEVERITIES[level]

    def urgent(self, severity: Severity) -> bool:
        return SEVERITIES.index(severity) >= SEVERITIES.index(self.alert_severity)


class Detection(NamedTuple):
    """A pattern and its evidence: edges of the graph in time order, and the money it moved."""

    pattern: Pattern
    edges: tuple[int, ...]
    amount_usd: float
    summary: str
