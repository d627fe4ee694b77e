"""What the Observatory counts of a detected pattern: kind, corridor and band, never an account."""

from prometheus_client import CollectorRegistry

from andina.finance_trace.adapters.metrics import FinanceMetrics
from andina.finance_trace.adapters.observatory import count_pattern
from tests.unit.finance_trace.test_finance_patterns import Watched


def test_a_border_chain_is_counted_by_the_countries_its_money_left_and_reached() -> None:
    ledger = Watched()
    ledger.countries.update(a="PE", b="CO", c="EC", d="BO")
    ledger.transfer("a", "b", 30_000, hours=1)
    ledger.transfer("b", "c", 29_000, hours=20)
    ledger.transfer("c", "d", 28_000, hours=40)
    registry = CollectorRegistry()
    metrics = FinanceMetrics(registry)

    [finding] = ledger.findings
    count_pattern(metrics, ledger.graph, finding)

    labels = {"pattern": "border-chain", "corridor": "PE-BO", "usd_band": "10k-100k"}
    assert registry.get_sample_value("andina_finance_trace_patterns_total", labels) == 1
    assert registry.get_sample_value("andina_finance_trace_patterns_usd_total", labels) == finding.detection.amount_usd
