"""The Observatory dashboard: the report's analytical figures in Grafana.

Every figure is filtered like the report's: a count under the minimum is not shown, nor the
amounts (kilograms, dollars, times) behind it, so no single case can be singled out.
"""

from __future__ import annotations

from andina.deploy.dashboards import Dashboard, Query, counted, stat, table, timeseries
from andina.deploy.observatory_figures import MIN_COUNT

SEIZED = "andina_customs_seized_total"
TRADE = "andina_customs_trade_findings_total"
PATTERNS = "andina_finance_trace_patterns_total"
ACK = "andina_alerts_acknowledgement_seconds"


def published(counter: str, by: str) -> str:
    """The counter's growth over the range, by ``by``, where it counts at least the minimum."""
    return f"{counted(counter, by)} >= {MIN_COUNT}"


def published_amount(amount: str, counter: str, by: str) -> str:
    """An amount's growth where the count of its cases is published."""
    return f"{counted(amount, by)} and on ({by}) ({published(counter, by)})"


def per_day(counter: str, by: str) -> str:
    """Cases in the day before each point, where at least the minimum."""
    return f"sum by ({by}) (increase({counter}[1d])) >= {MIN_COUNT}"


OBSERVATORY = Dashboard(
    uid="andina-observatory",
    title="Red Andina — Observatory",
    description="Seizures, customs findings, financial patterns and alerts as aggregates, small counts suppressed.",
    tags=("andina", "observatory"),
    panels=(
        stat("Seizures in range", Query(f"sum({counted(SEIZED, 'dimension')}) >= {MIN_COUNT}")),
        stat(
            "Kilograms seized in range",
            Query(
                published_amount(
                    'andina_customs_seized_quantity_total{dimension="mass"}',
                    f'{SEIZED}{{dimension="mass"}}',
                    "dimension",
                )
            ),
        ),
        stat("Customs findings in range", Query(f"sum({counted(TRADE, 'kind')}) >= {MIN_COUNT}")),
        stat("Financial patterns in range", Query(f"sum({counted(PATTERNS, 'pattern')}) >= {MIN_COUNT}")),
        timeseries(
            "Seizures per day, by HS chapter",
            Query(per_day(SEIZED, "hs_chapter"), "chapter {{hs_chapter}}"),
            unit="short",
        ),
        timeseries(
            "Alerts raised per day, by category",
            Query(per_day("andina_alerts_raised_total", "category"), "{{category}}"),
            unit="short",
        ),
        table("Seizures by commodity (HS chapter)", Query(published(SEIZED, "hs_chapter, dimension"))),
        table(
            "Quantity seized by HS chapter (kg, litre, piece)",
            Query(published_amount("andina_customs_seized_quantity_total", SEIZED, "hs_chapter, dimension")),
        ),
        table("Seizures by border post", Query(published(SEIZED, "border_post"))),
        table(
            "Value seized by border post (USD)",
            Query(published_amount("andina_customs_seized_value_usd_total", SEIZED, "border_post")),
        ),
        table("Seizures by route (origin-destination)", Query(published(SEIZED, "route"))),
        table(
            "Customs discrepancies and unmatched exports, by HS heading and corridor",
            Query(published(TRADE, "kind, hs_heading, corridor")),
            description="7108: gold; 2805: mercury (illegal mining).",
        ),
        table(
            "Financial patterns, by kind, corridor and USD band",
            Query(published(PATTERNS, "pattern, corridor, usd_band")),
        ),
        table(
            "Money the patterns moved, by kind and corridor (USD)",
            Query(published_amount("andina_finance_trace_patterns_usd_total", PATTERNS, "pattern, corridor")),
        ),
        table("Alerts raised, by category", Query(published("andina_alerts_raised_total", "category"))),
        table(
            "Time to acknowledge, median by priority (s)",
            Query(
                f"histogram_quantile(0.5, {counted(ACK + '_bucket', 'priority, le')})"
                f" and on (priority) ({published(ACK + '_count', 'priority')})"
            ),
        ),
        table(
            "Hits, by type of record",
            Query(published("andina_intel_exchange_hits_by_record_type_total", "record_type")),
        ),
        table("Screenings, by outcome", Query(published("andina_intel_exchange_screenings_total", "outcome"))),
    ),
)
