from __future__ import annotations

from datetime import timedelta
from importlib import resources
from pathlib import Path

from pydantic import Field

from andina.contract.events.signals import Severity
from andina.finance_trace.domain.patterns.policy import HOUR, PatternPolicy
from andina.finance_trace.domain.rates import RateTable
from andina.finance_trace.domain.tracing import DEFAULT_MAX_ANSWER_BYTES
from andina.finance_trace.domain.validation import ReportRules
from andina.shared.settings import AndinaSettings

DEFAULT = PatternPolicy()


def _hours(seconds: float) -> float:
    return seconds / HOUR


class Settings(AndinaSettings):
    """Options of finance-trace; every one is ``ANDINA_FINANCE_...`` (windows in hours, amounts in US dollars)."""

    http_port: int = Field(8104, description="port of this service's /metrics and /health")
    finance_rates_file: Path | None = Field(
        None, description="CSV of dated rates (date,currency,usd_per_unit); the packaged table if unset"
    )
    finance_rate_max_age_days: int = Field(45, description="a rate older than this many days converts nothing")
    finance_key_ids: list[str] = Field(
        ["k1"],
        description='network key ids whose hashes are accepted, JSON list: add the new one to rotate, e.g. ["k1","k2"]',
    )
    finance_future_tolerance_seconds: float = Field(
        300.0, description="clock skew allowed before a time is in the future"
    )
    finance_trace_max_hops: int = Field(6, description="the most hops a trace may ask for")
    finance_trace_max_edges: int = Field(2000, description="a trace answer stops (truncated) at this many transfers")
    finance_trace_max_answer_bytes: int = Field(
        DEFAULT_MAX_ANSWER_BYTES,
        description="a trace answer is cut (truncated) to this size; keep under message.max.bytes",
    )
    finance_horizon_days: float = Field(
        400.0,
        description="transfers dated this much before the latest transfer (event time) are kept in the store only:"
        " patterns and traces follow the newer ones, and memory stays bounded; holdings, party links and what traces"
        " showed expire this long after last named or shown (wall clock)",
    )
    finance_detail_answer_hours: float = Field(168.0, description="time an FIU has to answer a detail request")
    finance_reporting_threshold_usd: float = Field(
        DEFAULT.reporting_threshold_usd, description="cash reporting threshold"
    )
    finance_structuring_min_deposits: int = Field(
        DEFAULT.structuring_min_deposits, description="deposits that make structuring"
    )
    finance_structuring_floor_share: float = Field(
        DEFAULT.structuring_floor_share, description="deposits under this share of the threshold are ordinary"
    )
    finance_structuring_window_hours: float = Field(
        _hours(DEFAULT.structuring_window), description="structuring window"
    )
    finance_fan_min_counterparties: int = Field(
        DEFAULT.fan_min_counterparties, description="distinct accounts in a fan"
    )
    finance_fan_min_usd: float = Field(DEFAULT.fan_min_usd, description="smaller payments do not count in a fan")
    finance_fan_window_hours: float = Field(_hours(DEFAULT.fan_window), description="fan-in/fan-out window")
    finance_fan_pass_share: float = Field(
        DEFAULT.fan_pass_share,
        description="share of a fan's money passed on (fan-in) or received just before (fan-out)",
    )
    finance_fan_stray_share: float = Field(
        DEFAULT.fan_stray_share,
        description="share of a fan's money in its smallest payments that may be unrelated traffic, left out when"
        " the rest meets the passed-on share",
    )
    finance_pass_through_window_hours: float = Field(
        _hours(DEFAULT.pass_through_window), description="in and out within"
    )
    finance_pass_through_min_usd: float = Field(DEFAULT.pass_through_min_usd, description="smallest inflow considered")
    finance_pass_through_min_share: float = Field(DEFAULT.pass_through_min_share, description="share that must leave")
    finance_pass_through_stray_share: float = Field(
        DEFAULT.pass_through_stray_share,
        description="share of what arrived that the smallest payments out may make up as unrelated traffic, left out"
        " when more left than arrived",
    )
    finance_flow_min_usd: float = Field(
        DEFAULT.flow_min_usd, description="smallest transfer of a circular flow or chain"
    )
    finance_flow_min_share: float = Field(
        DEFAULT.flow_min_share, description="each hop of a flow carries at least this share of the previous one"
    )
    finance_flow_max_share: float = Field(
        DEFAULT.flow_max_share,
        description="each hop of a flow carries at most this share of the previous one (in US dollars, exchange"
        " rates move between the hops' days)",
    )
    finance_cycle_window_hours: float = Field(_hours(DEFAULT.cycle_window), description="a circular flow closes within")
    finance_cycle_min_hops: int = Field(
        DEFAULT.cycle_min_hops,
        description="fewest transfers (and accounts) of a circular flow: money paid straight back is not a ring",
    )
    finance_cycle_max_hops: int = Field(DEFAULT.cycle_max_hops, description="longest circular flow looked for")
    finance_chain_min_borders: int = Field(DEFAULT.chain_min_borders, description="border crossings that make a chain")
    finance_chain_window_hours: float = Field(_hours(DEFAULT.chain_window), description="a border chain spans at most")
    finance_chain_max_hops: int = Field(DEFAULT.chain_max_hops, description="longest border chain looked for")
    finance_high_usd: float = Field(DEFAULT.high_usd, description="findings moving this much are at least high")
    finance_critical_usd: float = Field(DEFAULT.critical_usd, description="findings moving this much are critical")
    finance_alert_severity: Severity = Field(
        DEFAULT.alert_severity, description="findings this severe or worse request an alert of the 24/7 network"
    )

    def pattern_policy(self) -> PatternPolicy:
        return PatternPolicy(
            reporting_threshold_usd=self.finance_reporting_threshold_usd,
            structuring_min_deposits=self.finance_structuring_min_deposits,
            structuring_floor_share=self.finance_structuring_floor_share,
            structuring_window=self.finance_structuring_window_hours * HOUR,
            fan_min_counterparties=self.finance_fan_min_counterparties,
            fan_min_usd=self.finance_fan_min_usd,
            fan_window=self.finance_fan_window_hours * HOUR,
            fan_pass_share=self.finance_fan_pass_share,
            fan_stray_share=self.finance_fan_stray_share,
            pass_through_window=self.finance_pass_through_window_hours * HOUR,
            pass_through_min_usd=self.finance_pass_through_min_usd,
            pass_through_min_share=self.finance_pass_through_min_share,
            pass_through_stray_share=self.finance_pass_through_stray_share,
            flow_min_usd=self.finance_flow_min_usd,
            flow_min_share=self.finance_flow_min_share,
            flow_max_share=self.finance_flow_max_share,
            cycle_window=self.finance_cycle_window_hours * HOUR,
            cycle_min_hops=self.finance_cycle_min_hops,
            cycle_max_hops=self.finance_cycle_max_hops,
            chain_min_borders=self.finance_chain_min_borders,
            chain_window=self.finance_chain_window_hours * HOUR,
            chain_max_hops=self.finance_chain_max_hops,
            high_usd=self.finance_high_usd,
            critical_usd=self.finance_critical_usd,
            alert_severity=self.finance_alert_severity,
        )

    def report_rules(self) -> ReportRules:
        if self.finance_rates_file is None:
            text = resources.files("andina.finance_trace").joinpath("data/rates.csv").read_text()
        else:
            text = self.finance_rates_file.read_text()
        rates = RateTable.parse(text, timedelta(days=self.finance_rate_max_age_days))
        return ReportRules(
            rates, frozenset(self.finance_key_ids), timedelta(seconds=self.finance_future_tolerance_seconds)
        )
