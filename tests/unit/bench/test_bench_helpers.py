"""The benchmark's pure helpers: the measured window, the report and its last JSON line."""

from __future__ import annotations

import inspect
import json
import math

import pytest

from bench.__main__ import BENCHMARKS, main
from bench.outputs import measured_window
from bench.report import Result, ratio, table
from bench.soak import FULL, QUICK, SETTLED_AFTER, SETTLED_GROWTH_CEILING, Window, settled_growth, settled_window


def test_window_excludes_the_warm_up() -> None:
    # 3 warm-up outputs, then 10 outputs at one every 100 ms, given out of order.
    stamps = [0, 5, 1_000] + [1_000 + 100 * i for i in range(1, 11)]
    window = measured_window(list(reversed(stamps)), warmup=3, events=10)
    assert window.seconds == pytest.approx(1.0)
    assert window.per_second == pytest.approx(10.0)
    assert window.first == pytest.approx(10.0)
    assert window.last == pytest.approx(10.0)


def test_window_shows_a_relay_slowing_down() -> None:
    stamps = [0] + [10 * i for i in range(1, 11)] + [100 + 1_000 * i for i in range(1, 11)]
    window = measured_window(stamps, warmup=1, events=20)
    assert window.first > 10 * window.last


def test_window_needs_every_output_and_a_warm_up() -> None:
    with pytest.raises(ValueError, match="expected"):
        measured_window([1, 2, 3], warmup=1, events=5)
    with pytest.raises(ValueError, match="warm-up"):
        measured_window([1, 2, 3], warmup=0, events=2)


def test_ratio_of_nothing_is_not_a_number() -> None:
    assert ratio(1.0, 4.0) == 0.25
    assert math.isnan(ratio(1.0, 0.0))


def test_table_aligns_columns() -> None:
    text = table(["name", "msgs/s"], [["a", 12_345.6], ["longer name", 0.5]])
    lines = text.splitlines()
    assert len({len(line) for line in lines}) == 1
    assert "12,346" in lines[2]
    assert lines[3].endswith("0.50")


def test_result_is_one_json_line_with_targets() -> None:
    result = Result(
        name="bus",
        mode="quick",
        figures={"service": 600.0},
        baseline={"work": 2_000.0},
        ratio={"service_vs_work": 0.3},
        targets={"service_vs_work": 0.5},
    )
    line = result.as_json()
    assert "\n" not in line
    document = json.loads(line)
    assert document["targets"] == {"service_vs_work": {"min": 0.5, "met": False}}
    assert document["figures"] == {"service": 600.0}
    assert document["baseline"] == {"work": 2_000.0}


def test_cli_runs_registered_benchmarks_only() -> None:
    assert {"bus", "alerts", "screening"} <= set(BENCHMARKS)
    assert all(inspect.iscoroutinefunction(run) for run in BENCHMARKS.values())
    with pytest.raises(SystemExit):
        main(["no-such-benchmark"])


def _memory(service: str, rss_by_window: list[float]) -> list[Window]:
    return [Window(service, i, 20.0, 20.0, 25.0, 50.0, rss, 0) for i, rss in enumerate(rss_by_window)]


def test_soak_measures_memory_after_the_horizon_has_filled() -> None:
    settled = settled_window(FULL)
    assert settled is not None
    assert settled * FULL.window < SETTLED_AFTER <= (settled + 1) * FULL.window  # the first to end after it
    filling = [70 + min(i, 8) * 2.0 for i in range(30)]  # grows while the horizon fills, then flat
    leaking = [70 + i * 1.0 for i in range(30)]  # a little more after every window, to the end
    growth = settled_growth(_memory("filling", filling) + _memory("leaking", leaking), settled)
    assert growth["filling"] == 0.0
    assert growth["leaking"] > SETTLED_GROWTH_CEILING


def test_soak_too_short_to_fill_its_horizon_claims_nothing_settled() -> None:
    assert settled_window(QUICK) is None
    assert settled_growth(_memory("alerts", [70.0, 90.0]), settled_window(QUICK)) == {}
