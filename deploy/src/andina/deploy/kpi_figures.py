"""The indicators of ``andina report``: what to ask Prometheus for a period, and the answers.

Each figure is a count over the period (or a quantile of it), read at the period's end
with a window as long as the period. The network's figures are small, so they are
counted exactly: ``increase`` alone would miss the first event of every new label set
and extrapolate the others to the window's edges.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from andina.deploy.processes import StackError

Row = dict[str, str]
Timeline = dict[str, list[tuple[float, float]]]  # service -> (end of a step, events admitted in it)


@dataclass(frozen=True)
class Indicator:
    key: str
    title: str
    by: tuple[str, ...]
    expr: Callable[[str], str]  # the PromQL for a window such as "3600s"
    seconds: bool = False  # a duration or a median (one decimal) rather than a count (whole)


def _in_window(metric: str, window: str) -> str:
    """Each series' growth over the window, exactly: its whole value if born in it, its end value
    minus its start value otherwise, and increase() (which extrapolates) only across a restart."""
    return (
        f"({metric} unless {metric} offset {window})"
        f" or ({metric} - {metric} offset {window} unless resets({metric}[{window}]) > 0)"
        f" or increase({metric}[{window}])"
    )


def counted(metric: str, by: tuple[str, ...]) -> Callable[[str], str]:
    return lambda window: f"sum by ({', '.join(by)}) ({_in_window(metric, window)})"


def quantile(q: float, histogram: str, by: tuple[str, ...]) -> Callable[[str], str]:
    labels = ", ".join((*by, "le"))
    return lambda window: f"histogram_quantile({q}, sum by ({labels}) ({_in_window(histogram + '_bucket', window)}))"


def _count(key: str, title: str, metric: str, *by: str) -> Indicator:
    return Indicator(key, title, by, counted(metric, by))


INDICATORS = (
    _count("admitted", "Events admitted, by service, type and sending country", "andina_events_received_total",
           "service", "type", "origin"),
    _count("published", "Events delivered, by service, type and recipient country", "andina_events_published_total",
           "service", "type", "recipient"),
    _count("dead_letters", "Records refused (dead letters), by service and reason", "andina_dead_letters_total",
           "service", "reason"),
    _count("alerts_raised", "Alerts raised, by origin and priority", "andina_alerts_raised_total",
           "origin", "priority"),
    _count("alerts_delivered", "Alert deliveries, by origin and recipient", "andina_alerts_delivered_total",
           "origin", "recipient"),
    _count("alerts_acknowledged", "Acknowledgements, by recipient and priority", "andina_alerts_acknowledged_total",
           "recipient", "priority"),
    _count("escalations", "Escalation steps, by recipient and step", "andina_alerts_escalations_total",
           "recipient", "step"),
    _count("deadlines_missed", "Acknowledgement deadlines missed, by recipient and priority",
           "andina_alerts_deadlines_missed_total", "recipient", "priority"),
    Indicator("ack_p50", "Acknowledgement time, median (s)", ("priority",),
              quantile(0.5, "andina_alerts_acknowledgement_seconds", ("priority",)), seconds=True),
    Indicator("ack_p90", "Acknowledgement time, 90th percentile (s)", ("priority",),
              quantile(0.9, "andina_alerts_acknowledgement_seconds", ("priority",)), seconds=True),
    _count("requests", "Requests relayed, by requester and counterpart", "andina_requests_submitted_total",
           "requester", "counterpart"),
    _count("requests_settled", "Requests settled, by counterpart, urgency and whether in time",
           "andina_requests_settled_total", "counterpart", "urgency", "in_time"),
    _count("returns_opened", "Victims' return cases opened, by corridor (destination-origin) and age group",
           "andina_returns_opened_total", "corridor", "age_group"),
    Indicator("returns_days_p50", "Days from identification to return, median", ("corridor",),
              quantile(0.5, "andina_returns_days_to_return", ("corridor",)), seconds=True),
    _count("returns_steps_late", "Return steps late, by corridor, step and responsible country",
           "andina_returns_steps_late_total", "corridor", "step", "responsible"),
    _count("returns_follow_ups", "Follow-ups after a return, by corridor and day", "andina_returns_follow_ups_total",
           "corridor", "day"),
    _count("screenings", "Screenings, by asking country and outcome", "andina_intel_exchange_screenings_total",
           "origin", "outcome"),
    _count("hits", "Hits, by owner of the record and asking country", "andina_intel_exchange_hits_total",
           "owner", "asker"),
    _count("customs_requests", "Customs assistance requests, by requester and requested administration",
           "andina_customs_assistance_requests_total", "requester", "requested"),
    _count("seizures", "Seizure reports, by reporter and outcome", "andina_customs_seizure_reports_total",
           "reporter", "outcome"),
    _count("customs_findings", "Customs findings, by kind, severity and country", "andina_customs_findings_total",
           "kind", "severity", "country"),
    _count("transfers", "Transfers reported, by FIU", "andina_finance_trace_transfers_total", "origin"),
    _count("detections", "Financial detections, by pattern and severity", "andina_finance_trace_findings_total",
           "pattern", "severity"),
    _count("detail_requests", "Financial detail requests, by requester and owner",
           "andina_finance_trace_detail_requests_total", "origin", "owner"),
)  # fmt: skip

# Exchanges between two countries: (indicator, label of the sending side, label of the receiving side, kind).
EXCHANGES = (
    ("alerts_delivered", "origin", "recipient", "alert"),
    ("requests", "requester", "counterpart", "request"),
    ("hits", "asker", "owner", "hit"),
    ("customs_requests", "requester", "requested", "customs assistance"),
    ("detail_requests", "origin", "owner", "financial detail"),
)


@dataclass(frozen=True)
class Figures:
    """Each indicator's rows (its labels and ``value``) for one period."""

    start: datetime
    end: datetime
    tables: dict[str, list[Row]]
    timeline: Timeline  # events admitted in each step ending at t, by service
    step: float  # seconds

    def total(self, key: str, **labels: str) -> float:
        rows = self.tables.get(key, [])
        return sum(float(r["value"]) for r in rows if all(r.get(k) == v for k, v in labels.items()))

    def exchanges(self) -> list[Row]:
        """Every exchange between two countries, whatever the service: from, to, kind, count."""
        rows = []
        for key, sender, receiver, kind in EXCHANGES:
            for row in self.tables.get(key, []):
                rows.append({"from": row[sender], "to": row[receiver], "kind": kind, "value": row["value"]})
        return sorted(rows, key=lambda r: (r["from"], r["to"], r["kind"]))


class Prometheus:
    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")

    def _get(self, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            answer = httpx.get(f"{self.url}{path}", params=params, timeout=30).json()
        except (httpx.HTTPError, ValueError) as exc:
            raise StackError(
                f"cannot query Prometheus at {self.url} ({type(exc).__name__}): is the stack up?"
            ) from None
        if answer.get("status") != "success":
            raise StackError(f"Prometheus refused a query: {answer.get('error')}")
        result: list[dict[str, Any]] = answer["data"]["result"]
        return result

    def at(self, promql: str, when: datetime) -> list[dict[str, Any]]:
        return self._get("/api/v1/query", {"query": promql, "time": when.timestamp()})

    def over(self, promql: str, start: datetime, end: datetime, step: float) -> list[dict[str, Any]]:
        return self._get(
            "/api/v1/query_range", {"query": promql, "start": start.timestamp(), "end": end.timestamp(), "step": step}
        )


def _value(text: str, seconds: bool) -> str:
    number = float(text)
    if number != number:  # NaN: no observation in the period
        return ""
    return f"{number:.1f}" if seconds else str(round(number))


def collect(prometheus: Prometheus, start: datetime, end: datetime) -> Figures:
    """Ask Prometheus for every indicator over [start, end]."""
    if end <= start:
        raise StackError("the period is empty: --from must be before --to")
    window = f"{max(1, round((end - start).total_seconds()))}s"
    tables: dict[str, list[Row]] = {}
    for indicator in INDICATORS:
        rows = []
        for series in prometheus.at(indicator.expr(window), end):
            value = _value(series["value"][1], indicator.seconds)
            if value not in ("", "0"):
                rows.append({**{k: series["metric"].get(k, "") for k in indicator.by}, "value": value})
        tables[indicator.key] = sorted(rows, key=lambda r: [r[k] for k in indicator.by])
    step, timeline = admitted_by_step(prometheus, start, end)
    return Figures(start, end, tables, timeline, step)


TIMELINE_STEPS = 120  # points on the timeline, whatever the period's length


def admitted_per_step(step: int) -> str:
    """Events admitted by each service in the ``step`` seconds before each point."""
    return counted("andina_events_received_total", ("service",))(f"{step}s")


def admitted_by_step(prometheus: Prometheus, start: datetime, end: datetime) -> tuple[float, Timeline]:
    """Events admitted in each step of the period, by service: the counters' growth over each step,
    so that nothing between two points is lost (a rate sampled at the points would miss it).

    The steps end at the period's end; what is left before the first whole step is one shorter
    step of its own, so the counts add up to the period's exactly."""
    period = (end - start).total_seconds()
    step = max(1, round(period / TIMELINE_STEPS))
    whole = max(1, int(period // step))
    first = end - timedelta(seconds=(whole - 1) * step)
    ends = [(first + timedelta(seconds=i * step)).timestamp() for i in range(whole)]
    counts = _counts(prometheus.over(admitted_per_step(step), first, end, step))
    head = round(period - whole * step)
    if head >= 1:
        head_end = start + timedelta(seconds=head)
        counts = _counts(
            [{**s, "values": [s["value"]]} for s in prometheus.at(admitted_per_step(head), head_end)], counts
        )
        ends.insert(0, head_end.timestamp())
    timeline = {service: [(t, by_time.get(_ms(t), 0.0)) for t in ends] for service, by_time in counts.items()}
    return float(step), timeline


def _ms(timestamp: float) -> int:
    return round(timestamp * 1000)


def _counts(
    answer: list[dict[str, Any]], into: dict[str, dict[int, float]] | None = None
) -> dict[str, dict[int, float]]:
    """service -> millisecond timestamp -> count, from a range (or instant) answer."""
    counts = into if into is not None else {}
    for series in answer:
        by_time = counts.setdefault(series["metric"].get("service", "?"), {})
        by_time.update({_ms(float(t)): float(v) for t, v in series["values"]})
    return counts
