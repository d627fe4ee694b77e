"""The report as an analyst sees it: headless Chromium (Debian's package) renders the HTML of a
report over a known set of events, with every section and chart."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import numpy
import pytest
from matplotlib.image import imread
from prometheus_client import CollectorRegistry

from andina.contract.countries import CountryRegistry
from andina.deploy.action_plan import against_targets, load_plan
from andina.deploy.kpi_figures import collect
from andina.deploy.kpi_report import render
from andina.deploy.observatory_figures import MIN_COUNT, collect_observatory
from tests.observatory_samples import RegistryPrometheus, known_events

START, END = datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 8, tzinfo=UTC)
CHARTS = (
    "seizure_trend",
    "trade_trend",
    "pattern_trend",
    "alert_trend",
    "top_routes",
    "top_posts",
    "border_posts_map",
    "targets",
    "exchanges",
    "alerts",
    "services",
    "timeline",
)
WIDTH, HEIGHT = 1280, 16000  # tall enough for the whole page in one screenshot


def report_over_known_events(out: Path) -> Path:
    registry = CollectorRegistry()
    known_events(registry)
    prometheus = RegistryPrometheus(registry)
    return render(
        out,
        collect(prometheus, START, END),
        CountryRegistry.load().codes,
        collect_observatory(prometheus, START, END, MIN_COUNT),
        against_targets(prometheus, END, load_plan(), {}),
    )


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    browser = shutil.which("chromium")
    if browser is None:
        pytest.skip("Debian's chromium is not installed: `apt-get install -y chromium` (make test installs it)")
    # --no-sandbox: the tests may run as root, where Chromium's sandbox refuses to start.
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return report_over_known_events(tmp_path_factory.mktemp("report"))


def test_the_browser_reads_every_section_and_chart(page: Path) -> None:
    dom = _chromium("--dump-dom", page.as_uri())

    assert dom.returncode == 0, dom.stderr
    assert '<section id="observatory">' in dom.stdout
    assert '<section id="operators">' in dom.stdout
    for chart in CHARTS:
        assert f'<img alt="{chart}" src="data:image/png;base64,' in dom.stdout, chart
    assert "Seizures by border post" in dom.stdout
    assert "<td>desaguadero</td><td>mass</td><td>9</td>" in dom.stdout
    assert "Action-plan indicators against their targets" in dom.stdout


def test_the_screenshot_shows_the_whole_report_with_its_charts(page: Path) -> None:
    shot = page.with_name("screenshot.png")

    run = _chromium(f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}", page.as_uri())

    assert run.returncode == 0, run.stderr
    pixels = numpy.asarray(imread(shot), dtype=float)[:, :, :3]
    drawn = numpy.any(pixels < 0.95, axis=2)  # anything not white
    rows = numpy.flatnonzero(numpy.any(drawn, axis=1))
    # Twelve charts of 320 to 750 pixels each, and the tables: a page missing charts is far shorter.
    assert rows.max() > 12 * 320
    assert drawn.mean() > 0.05
