"""`andina report` over the period of one demo run: its figures are what the demo did."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from andina.contract.events.catalogs import alerts as alerts_catalog
from tests.e2e.observability.conftest import DemoWindow, Prometheus

pytestmark = pytest.mark.integration

ANDINA = Path(sys.executable).with_name("andina")


@pytest.fixture(scope="module")
def report(prometheus: Prometheus, demo_window: DemoWindow, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    period = ["--from", demo_window.started.isoformat(), "--to", demo_window.scraped.isoformat()]
    run = subprocess.run([ANDINA, "report", *period, "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    return out


def _rows(figures: dict[str, Any], indicator: str, **labels: str) -> list[str]:
    rows = figures["indicators"][indicator]
    return [r["value"] for r in rows if all(r[k] == v for k, v in labels.items())]


def test_the_report_counts_the_demos_alert_its_acknowledgement_and_escalation(report: Path) -> None:
    figures = json.loads((report / "figures.json").read_text())

    # PE's own FLASH alert, and three the demo's findings raise in PE's name: two screenings that hit its
    # record (FLASH; the policy scene's screening by document hits PE's record as well as BO's) and the
    # circular flow its FIU's reports complete (ROUTINE).
    assert figures["per_country"]["alerts raised"]["PE"] == 4
    assert _rows(figures, "alerts_raised", origin="PE", priority="FLASH") == ["3"]
    assert _rows(figures, "alerts_raised", origin="PE", priority="ROUTINE") == ["1"]
    assert _rows(figures, "alerts_acknowledged", recipient="CO", priority="FLASH") == ["1"]
    assert _rows(figures, "escalations", recipient="EC", step="alternate") == ["1"]
    assert _rows(figures, "deadlines_missed", recipient="EC", priority="FLASH") == ["1"]
    assert _rows(figures, "dead_letters", service="alerts", reason="malformed-json") == ["1"]


def test_the_report_shows_the_exchanges_between_countries(report: Path) -> None:
    figures = json.loads((report / "figures.json").read_text())
    alerts = {(e["from"], e["to"]): e["value"] for e in figures["exchanges"] if e["kind"] == "alert"}

    assert alerts[("PE", "CO")] == "4"  # PE's alert, and the three raised in its name by the demo's findings
    assert alerts[("PE", "EC")] == "3"  # PE's alert, again to the alternate contact point, and one finding's
    assert _rows(figures, "admitted", service="alerts", type=alerts_catalog.MESSAGE_SENT, origin="PE") == ["1"]


def test_the_report_is_one_html_file_with_its_charts(report: Path) -> None:
    page = (report / "index.html").read_text()
    charts = sorted(p.name for p in report.glob("*.png"))

    assert charts == [
        "alert_trend.png",
        "alerts.png",
        "border_posts_map.png",
        "exchanges.png",
        "pattern_trend.png",
        "seizure_trend.png",
        "services.png",
        "targets.png",
        "timeline.png",
        "top_posts.png",
        "top_routes.png",
        "trade_trend.png",
    ]
    assert all((report / c).stat().st_size > 1000 for c in charts)
    assert page.count('src="data:image/png;base64,') == len(charts)
    assert "Exchanges between countries" in page
    assert "<td>PE</td><td>CO</td><td>alert</td><td>4</td>" in page


def test_the_timeline_counts_every_event_admitted_in_the_period(report: Path) -> None:
    figures = json.loads((report / "figures.json").read_text())
    admitted = figures["indicators"]["admitted"]

    assert figures["timeline"]["admitted"]
    for service, points in figures["timeline"]["admitted"].items():
        assert sum(count for _, count in points) == sum(int(r["value"]) for r in admitted if r["service"] == service)
