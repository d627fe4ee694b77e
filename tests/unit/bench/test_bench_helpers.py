"""The benchmark's pure helpers: the measured window, the report and its last JSON line."""

from __future__ import annotations

import inspect
import json
import math

import pytest

from bench.__main__ import BENCHMARKS, main
from bench.outputs import measured_window
from bench.report import Result, ratio, table


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
