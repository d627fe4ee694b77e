"""What the Observatorio counts of a seizure and of a trade finding: aggregates under bounded
labels (HS chapter or heading, border post, pair of countries), never a case, a person or a company."""

from __future__ import annotations

from decimal import Decimal

from andina.contract.events.customs.declarations import DeclarationSummary
from andina.contract.events.customs.seizures import SeizureReport
from andina.contract.rejections import Rejected
from andina.customs.adapters.metrics import CustomsMetrics
from andina.customs.domain.currency import CurrencyRates
from andina.customs.domain.declarations import in_base_unit
from andina.shared.observatory import border_post, corridor, hs_chapter, hs_heading


def count_seizure(metrics: CustomsMetrics, report: SeizureReport, rates: CurrencyRates) -> None:
    dimension, quantity = in_base_unit(report.quantity, report.unit)
    route = report.route
    labels = (
        hs_chapter(report.commodity.hs_code),
        border_post(report.office, report.place),
        corridor(route.origin, route.destination),
        dimension,
    )
    metrics.seized.labels(*labels).inc()
    metrics.seized_quantity.labels(*labels).inc(float(quantity))
    value = _in_usd(report, rates)
    if value is not None:
        metrics.seized_value_usd.labels(*labels).inc(float(value))


def _in_usd(report: SeizureReport, rates: CurrencyRates) -> Decimal | None:
    """The seizure's value in USD; none when it has no value or no rate converts it (still counted)."""
    if report.value is None:
        return None
    try:
        return rates.to_base(report.value.amount, report.value.currency, report.seized_on)
    except Rejected:
        return None


def count_trade_finding(metrics: CustomsMetrics, kind: str, exported: DeclarationSummary) -> None:
    labels = (kind, hs_heading(exported.hs_code), corridor(exported.country, exported.partner))
    metrics.trade_findings.labels(*labels).inc()
    metrics.trade_findings_value_usd.labels(*labels).inc(float(exported.value_usd))
