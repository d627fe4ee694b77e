"""The report's timeline counts every event of every step, even a burst between two points.

promtool evaluates the report's own PromQL over series written here (no server needed).
A sampled rate, the timeline's former query, sees nothing of a burst between its points.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from andina.deploy.kpi_figures import Prometheus, admitted_by_step, admitted_per_step

# A service admits nothing for 20 minutes, 600 events within one minute, then nothing again:
# samples every 15 s (promtool's 1m interval here), the counter 0 then 600.
SCRAPES_BEFORE, SCRAPES_AFTER = 20, 80
SERIES = 'andina_events_received_total{service="customs", type="t", origin="PE"}'


def _promtool_test(tmp_path: Path, expr: str, at: str, expected: float) -> subprocess.CompletedProcess[str]:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.fail("promtool is missing: `andina stack up` installs Debian's prometheus package, which has it")
    test = {
        "interval": "1m",
        "input_series": [{"series": SERIES, "values": f"0x{SCRAPES_BEFORE} 600x{SCRAPES_AFTER}"}],
        "promql_expr_test": [
            {"expr": expr, "eval_time": at, "exp_samples": [{"labels": '{service="customs"}', "value": expected}]}
        ],
    }
    (tmp_path / "rules.yml").write_text("groups: []\n")
    (tmp_path / "test.yml").write_text(json.dumps({"rule_files": ["rules.yml"], "tests": [test]}))  # YAML is JSON
    return subprocess.run([promtool, "test", "rules", tmp_path / "test.yml"], capture_output=True, text=True)


def test_a_step_counts_a_burst_between_its_points(tmp_path: Path) -> None:
    # The step (50 min) ending at 50 min holds the burst at 20 min.
    result = _promtool_test(tmp_path, admitted_per_step(3000), "50m", 600)

    assert result.returncode == 0, result.stdout + result.stderr


def test_a_rate_sampled_at_the_points_misses_the_burst(tmp_path: Path) -> None:
    """Why the timeline changed: the former query gives nothing at the step's end."""
    former = "sum by (service) (rate(andina_events_received_total[1m])) * 60"

    result = _promtool_test(tmp_path, former, "50m", 600)

    assert result.returncode != 0
    assert "got:" in result.stdout + result.stderr


class Answers(Prometheus):
    """Answers a range query with a count at one step end, an instant query with another count."""

    def __init__(self, busy_at: float, head_count: str = "0") -> None:
        super().__init__("http://unused")
        self.busy_at = busy_at
        self.head_count = head_count
        self.asked: list[tuple[float, float, float]] = []
        self.heads: list[tuple[str, float]] = []

    def over(self, promql: str, start: datetime, end: datetime, step: float) -> list[dict[str, Any]]:
        self.asked.append((start.timestamp(), end.timestamp(), step))
        return [{"metric": {"service": "customs"}, "values": [[self.busy_at, "600"]]}]

    def at(self, promql: str, when: datetime) -> list[dict[str, Any]]:
        self.heads.append((promql, when.timestamp()))
        return [{"metric": {"service": "customs"}, "value": [when.timestamp(), self.head_count]}]


def test_the_timeline_has_a_point_at_every_step_end_and_dates_them() -> None:
    start = datetime(2026, 12, 1, tzinfo=UTC)
    end = start + timedelta(days=7)
    prometheus = Answers(busy_at=start.timestamp() + 50 * 5040)

    step, timeline = admitted_by_step(prometheus, start, end)

    points = timeline["customs"]
    assert step == 5040  # a week in 120 steps
    assert len(points) == 120
    assert points[0][0] == start.timestamp() + step  # the first step ends one step after the start
    assert points[-1][0] == end.timestamp()
    assert sum(v for _, v in points) == 600
    assert prometheus.asked == [(start.timestamp() + step, end.timestamp(), step)]
    assert prometheus.heads == []  # the steps fill the week


def test_what_precedes_the_first_whole_step_is_counted_as_a_shorter_step() -> None:
    start = datetime(2026, 12, 1, tzinfo=UTC)
    end = start + timedelta(hours=2, seconds=30)  # 120 steps of 60 s, and 30 s before them
    prometheus = Answers(busy_at=end.timestamp(), head_count="7")

    step, timeline = admitted_by_step(prometheus, start, end)

    points = timeline["customs"]
    assert step == 60
    assert points[0] == (start.timestamp() + 30, 7)
    assert points[1][0] == start.timestamp() + 90
    assert points[-1] == (end.timestamp(), 600)
    assert prometheus.heads == [(admitted_per_step(30), start.timestamp() + 30)]
