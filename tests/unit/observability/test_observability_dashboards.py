"""The Grafana dashboards are valid, up to date, and query only what the project defines.

Every PromQL expression (dashboards, rules and the KPI report alike) must parse, which promtool checks
by loading it as a recording rule, and must name only metrics the services register
(collected from their metric classes on a fresh registry) or the rules record.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from andina.alerts.adapters.metrics import AlertsMetrics, ReturnMetrics
from andina.contract.countries import CountryRegistry
from andina.customs.adapters.metrics import CustomsMetrics
from andina.deploy.action_plan import load_plan
from andina.deploy.dashboard_services import DASHBOARDS
from andina.deploy.dashboards import DATASOURCE, write_dashboards
from andina.deploy.kpi_figures import INDICATORS, admitted_per_step, counted
from andina.deploy.observatory_figures import MEASURES, MIN_COUNT
from andina.deploy.settings import find_repo_root
from andina.deploy.supervisor import Supervisor
from andina.finance_trace.adapters.metrics import FinanceMetrics
from andina.intel_exchange.adapters.metrics import IntelMetrics
from andina.shared.backoff import DependencyStatus
from andina.shared.broker import kafka_broker
from andina.shared.lag import LagMonitor
from andina.shared.metrics import ServiceMetrics
from andina.shared.settings import AndinaSettings

ROOT = find_repo_root()
COMMITTED = ROOT / "deploy" / "grafana" / "dashboards"
RULES = sorted((ROOT / "deploy" / "prometheus" / "rules").glob("*.yml"))
SERVICE_METRICS = (AlertsMetrics, ReturnMetrics, IntelMetrics, CustomsMetrics, FinanceMetrics)
# What Grafana puts in place of its variables, so that promtool sees plain PromQL.
GRAFANA_VARIABLES = {"$__range_s": "3600", "$__range": "1h", "$__rate_interval": "1m", "$country": "BO|CO"}
PROMQL_WORDS = {"and", "or", "unless", "offset", "bool", "inf", "nan"}


def _dashboards() -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text()) for p in sorted(COMMITTED.glob("*.json"))}


def _expressions(dashboard: dict[str, Any]) -> list[str]:
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


def _plain(expr: str) -> str:
    for variable, value in GRAFANA_VARIABLES.items():
        expr = expr.replace(variable, value)
    return expr


def _rule_expressions() -> list[str]:
    """The ``expr`` of every rule, single-line or block (``|``) style."""
    found = []
    for text in (p.read_text() for p in RULES):
        for match in re.finditer(r"^( +)expr: (?:\|\n((?:\1  .*\n)+)|(.*))", text, re.MULTILINE):
            found.append(match.group(2) or match.group(3))
    return found


def metric_names(expr: str) -> set[str]:
    """The metric (and recorded series) names an expression selects."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    text = re.sub(r"\{[^}]*\}|\[[^\]]*\]", " ", text)
    text = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    names = set()
    for match in re.finditer(r"(?<![\w.])[a-zA-Z_:][\w:]*", text):
        calls = text[match.end() :].lstrip().startswith("(")
        if not calls and match.group() not in PROMQL_WORDS:
            names.add(match.group())
    return names


@pytest.fixture(scope="module")
def defined() -> set[str]:
    registry = CollectorRegistry()
    bus = ServiceMetrics("alerts", registry)
    DependencyStatus("alerts", registry)
    LagMonitor("alerts", "andina-alerts", [], AndinaSettings(), registry)
    kafka_broker("127.0.0.1:1", CountryRegistry.load(), client_id="names", metrics=bus)  # FastStream's series
    for metrics_class in SERVICE_METRICS:
        metrics_class(registry)
    Supervisor(Path(), [], registry)  # the stack's restarts of its processes
    suffixes = {"counter": ("_total", "_created"), "histogram": ("_bucket", "_count", "_sum", "_created")}
    names = {"up", "process_start_time_seconds"}  # from the scrape itself, and Prometheus' own job
    for family in registry.collect():
        names |= {family.name + suffix for suffix in suffixes.get(family.type, ("",))}
    names |= set(re.findall(r"record: (\S+)", "\n".join(p.read_text() for p in RULES)))
    return names


def test_the_committed_dashboards_are_the_generated_ones(tmp_path: Path) -> None:
    write_dashboards(tmp_path, DASHBOARDS, CountryRegistry.load().codes)

    fresh = {p.name: p.read_text() for p in sorted(tmp_path.glob("*.json"))}

    assert fresh == {p.name: p.read_text() for p in sorted(COMMITTED.glob("*.json"))}, (
        "the dashboards changed: run `andina dashboards` and commit deploy/grafana/dashboards/"
    )


def test_the_seven_dashboards_of_the_observatorio_exist() -> None:
    assert {d["uid"] for d in _dashboards().values()} == {
        "andina-network",
        "andina-24-7",
        "andina-intelligence",
        "andina-customs",
        "andina-finance",
        "andina-observatory",
        "andina-bus",
    }


@pytest.mark.parametrize("name", sorted(p.name for p in COMMITTED.glob("*.json")))
def test_each_dashboard_has_what_grafana_requires(name: str) -> None:
    dashboard = _dashboards()[name]

    assert dashboard["title"]
    assert dashboard["uid"] == name.removesuffix(".json")
    assert isinstance(dashboard["schemaVersion"], int)
    assert dashboard["panels"]
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(set(ids)) == len(ids)
    for panel in dashboard["panels"]:
        assert panel["type"] in {"timeseries", "stat", "table"}
        assert panel["title"]
        assert set(panel["gridPos"]) == {"h", "w", "x", "y"}
        assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24
        assert panel["targets"], f"{panel['title']} queries nothing"
        for target in panel["targets"]:
            assert target["expr"]
            assert target["refId"]
            assert target["datasource"] == DATASOURCE


def test_the_dashboards_use_the_provisioned_datasource_and_folder() -> None:
    datasources = (ROOT / "deploy" / "grafana" / "provisioning" / "datasources" / "prometheus.yml").read_text()
    provider = (ROOT / "deploy" / "grafana" / "provisioning" / "dashboards" / "andina.yml").read_text()
    compose = (ROOT / "docker-compose.yml").read_text()

    assert f"uid: {DATASOURCE['uid']}" in datasources
    assert "path: /etc/grafana/dashboards" in provider
    assert "- ./deploy/grafana/dashboards:/etc/grafana/dashboards:ro" in compose


def _report_expressions() -> list[str]:
    observatory = [counted(c, m.by)("3600s") for m in MEASURES for c in (m.count, *(a for _, a in m.amounts))]
    plan = [counted(s, ())("3600s") for i in load_plan() for s in (*i.counters, *filter(None, [i.share_of]))]
    return [indicator.expr("3600s") for indicator in INDICATORS] + observatory + plan + [admitted_per_step(60)]


def test_every_expression_parses(tmp_path: Path) -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.fail("promtool is missing: `andina stack up` installs Debian's prometheus package, which has it")
    expressions = [_plain(e) for d in _dashboards().values() for e in _expressions(d)] + _report_expressions()
    rules = "\n".join(
        f"      - record: dashboard:check_{i}\n        expr: {json.dumps(e)}" for i, e in enumerate(expressions)
    )
    rule_file = tmp_path / "dashboards.yml"
    rule_file.write_text(f"groups:\n  - name: dashboards\n    rules:\n{rules}\n")

    result = subprocess.run([promtool, "check", "rules", rule_file], capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(expressions)} rules found" in result.stdout


@pytest.mark.parametrize("source", ["dashboards", "rules", "report"])
def test_expressions_name_only_defined_metrics(defined: set[str], source: str) -> None:
    expressions = {
        "dashboards": lambda: [_plain(e) for d in _dashboards().values() for e in _expressions(d)],
        "rules": _rule_expressions,
        "report": _report_expressions,
    }[source]()

    assert expressions
    unknown = {name: expr for expr in expressions for name in metric_names(expr) if name not in defined}
    assert not unknown, f"undefined metrics: {unknown}"


def test_the_name_check_sees_selected_metrics_only() -> None:
    expr = 'sum by (service, le) (rate(andina_x_total{reason=~"a|b"}[5m] offset 1h)) / on (le) y:z:rate5m > bool 0'

    assert metric_names(expr) == {"andina_x_total", "y:z:rate5m"}


def test_every_observatory_figure_hides_counts_under_the_minimum() -> None:
    observatory = _dashboards()["andina-observatory.json"]

    assert all(f">= {MIN_COUNT}" in expr for expr in _expressions(observatory))
