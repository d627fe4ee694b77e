"""The Observatorio's analytical figures: what the exchanges say about crime, by month.

The services count seizures, trade findings, financial patterns, alerts and hits under
bounded labels (andina.shared.observatory). This module reads each counter's growth over
every calendar month of the period, then groups the rows into the views the report
publishes. A view's row counting fewer cases than the minimum is suppressed, and its
amounts (kilograms, dollars) with it, so that no single case can be singled out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from andina.deploy.kpi_figures import Prometheus, Row, counted

MIN_COUNT = 5  # the default minimum of cases behind any published figure
COUNT = "count"


@dataclass(frozen=True)
class Measure:
    """A family of counters with the same labels: the count of cases and amounts over them."""

    key: str
    count: str
    by: tuple[str, ...]
    amounts: tuple[tuple[str, str], ...] = ()  # (column, counter)


MEASURES = (
    Measure(
        "seizures",
        "andina_customs_seized_total",
        ("hs_chapter", "border_post", "route", "dimension"),
        (("quantity", "andina_customs_seized_quantity_total"), ("usd", "andina_customs_seized_value_usd_total")),
    ),
    Measure(
        "trade_findings",
        "andina_customs_trade_findings_total",
        ("kind", "hs_heading", "corridor"),
        (("usd", "andina_customs_trade_findings_value_usd_total"),),
    ),
    Measure(
        "patterns",
        "andina_finance_trace_patterns_total",
        ("pattern", "corridor", "usd_band"),
        (("usd", "andina_finance_trace_patterns_usd_total"),),
    ),
    Measure("alerts", "andina_alerts_raised_total", ("category", "priority")),
    Measure(
        "acknowledgements",
        "andina_alerts_acknowledgement_seconds_count",
        ("priority",),
        (("seconds", "andina_alerts_acknowledgement_seconds_sum"),),
    ),
    Measure("hits", "andina_intel_exchange_hits_by_record_type_total", ("record_type",)),
    Measure("screenings", "andina_intel_exchange_screenings_total", ("outcome",)),
)


@dataclass(frozen=True)
class View:
    """A published table: one measure's rows summed by some of its labels (and the month)."""

    key: str
    title: str
    measure: str
    by: tuple[str, ...]
    per_case: bool = False  # amounts shown as their mean per case


VIEWS = (
    View("seizures_by_month", "Seizures by month", "seizures", ("month", "dimension")),
    View("seizures_by_chapter", "Seizures by commodity (HS chapter)", "seizures", ("hs_chapter", "dimension")),
    View("seizures_by_post", "Seizures by border post", "seizures", ("border_post", "dimension")),
    View("seizures_by_route", "Seizures by route (origin-destination)", "seizures", ("route",)),
    View("trade_findings_by_month", "Customs discrepancies and unmatched exports by month", "trade_findings",
         ("month", "kind")),
    View("trade_findings_by_heading", "Customs findings by HS heading and corridor (exporter-destination)",
         "trade_findings", ("kind", "hs_heading", "corridor")),
    View("patterns_by_month", "Financial patterns by month", "patterns", ("month", "pattern")),
    View("patterns_by_corridor", "Financial patterns by kind, corridor and USD band", "patterns",
         ("pattern", "corridor", "usd_band")),
    View("alerts_by_category", "Alerts raised by category and month", "alerts", ("month", "category")),
    View("acknowledgement_times", "Time to acknowledge an alert, mean by priority and month (s)", "acknowledgements",
         ("month", "priority"), per_case=True),
    View("hits_by_record_type", "Hits by type of record", "hits", ("record_type",)),
    View("screenings_by_outcome", "Screenings by outcome", "screenings", ("outcome",)),
)  # fmt: skip
MONTHLY_VIEWS = ("seizures_by_month", "trade_findings_by_month", "patterns_by_month", "alerts_by_category")


@dataclass(frozen=True)
class Observatory:
    """The published views (suppressed rows left out) and how many rows each left out."""

    min_count: int
    months: list[str]
    views: dict[str, list[Row]]
    suppressed: dict[str, int]


def months(start: datetime, end: datetime) -> list[tuple[str, datetime, datetime]]:
    """The calendar months (UTC) the period touches, each cut to the period: (YYYY-MM, from, to)."""
    found = []
    cursor = start.astimezone(UTC)
    while cursor < end:
        following = datetime(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1, tzinfo=UTC)
        found.append((f"{cursor:%Y-%m}", cursor, min(following, end)))
        cursor = following
    return found


def _window(start: datetime, end: datetime) -> str:
    return f"{max(1, round((end - start).total_seconds()))}s"


@dataclass(frozen=True)
class Cases:
    """One month's growth of a measure for one label set: the count and the amounts."""

    labels: dict[str, str]  # the measure's labels and ``month``
    values: dict[str, float]  # ``count`` and each amount column


def _read(prometheus: Prometheus, measure: Measure, start: datetime, end: datetime) -> list[Cases]:
    rows: dict[tuple[str, ...], Cases] = {}
    for month, since, until in months(start, end):
        window = _window(since, until)
        for column, counter in ((COUNT, measure.count), *measure.amounts):
            for series in prometheus.at(counted(counter, measure.by)(window), until):
                labels = {"month": month, **{k: series["metric"].get(k, "") for k in measure.by}}
                cases = rows.setdefault(tuple(labels.values()), Cases(labels, {}))
                cases.values[column] = float(series["value"][1])
    return [c for c in rows.values() if c.values.get(COUNT, 0) > 0]


def summarise(view: View, measure: Measure, rows: list[Cases], min_count: int) -> tuple[list[Row], int]:
    """The view's rows, each summed over the labels it leaves out; those under ``min_count`` cases
    are left out (with their amounts) and counted."""
    columns = (COUNT, *(c for c, _ in measure.amounts))
    sums: dict[tuple[str, ...], dict[str, float]] = defaultdict(lambda: dict.fromkeys(columns, 0.0))
    for cases in rows:
        totals = sums[tuple(cases.labels[k] for k in view.by)]
        for column in columns:
            totals[column] += cases.values.get(column, 0.0)
    published = [
        {**dict(zip(view.by, key, strict=True)), **_columns(view, totals)}
        for key, totals in sorted(sums.items())
        if totals[COUNT] >= min_count
    ]
    return published, len(sums) - len(published)


def _columns(view: View, totals: dict[str, float]) -> Row:
    if not view.per_case:
        return {c: _shown(c, v) for c, v in totals.items()}
    count = totals[COUNT]
    return {COUNT: _shown(COUNT, count), **{f"mean {c}": f"{v / count:.1f}" for c, v in totals.items() if c != COUNT}}


def _shown(column: str, value: float) -> str:
    return str(round(value)) if column in (COUNT, "usd") else f"{value:.1f}"


def collect_observatory(prometheus: Prometheus, start: datetime, end: datetime, min_count: int) -> Observatory:
    measures = {m.key: m for m in MEASURES}
    rows = {m.key: _read(prometheus, m, start, end) for m in MEASURES}
    views, suppressed = {}, {}
    for view in VIEWS:
        views[view.key], suppressed[view.key] = summarise(view, measures[view.measure], rows[view.measure], min_count)
    return Observatory(min_count, [m for m, _, _ in months(start, end)], views, suppressed)
