"""What every benchmark prints: a readable table, then one JSON object as the last line."""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Result:
    """The figures of one run, the baseline measured in the same run, and their ratios.

    ``targets`` maps a figure or ratio name to the minimum the design asks of it;
    ``ceilings`` to the maximum (latencies).
    """

    name: str
    mode: str
    params: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, float] = field(default_factory=dict)
    baseline: dict[str, float] = field(default_factory=dict)
    ratio: dict[str, float] = field(default_factory=dict)
    targets: dict[str, float] = field(default_factory=dict)
    ceilings: dict[str, float] = field(default_factory=dict)
    checks: dict[str, Any] = field(default_factory=dict)

    def value(self, name: str) -> float:
        for group in (self.figures, self.ratio, self.baseline):
            if name in group:
                return group[name]
        raise KeyError(name)

    def targets_met(self) -> dict[str, bool]:
        met = {name: self.value(name) >= minimum for name, minimum in self.targets.items()}
        return met | {name: self.value(name) <= maximum for name, maximum in self.ceilings.items()}

    def as_json(self) -> str:
        document = {
            "bench": self.name,
            "mode": self.mode,
            "params": self.params,
            "figures": _rounded(self.figures),
            "baseline": _rounded(self.baseline),
            "ratio": _rounded(self.ratio),
            "targets": {
                **{name: {"min": m, "met": self.targets_met()[name]} for name, m in self.targets.items()},
                **{name: {"max": m, "met": self.targets_met()[name]} for name, m in self.ceilings.items()},
            },
            "checks": self.checks,
            "host": {"cpus": os.cpu_count(), "python": platform.python_version()},
        }
        return json.dumps(document, separators=(",", ":"))


def _rounded(values: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 3) if abs(v) < 100 else round(v, 1) for k, v in values.items()}


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else float("nan")


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain text table: first column left-aligned, the others right-aligned."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True))
        )

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line([str(h) for h in headers]), rule, *(line(r) for r in cells)])


def _cell(value: object) -> str:
    if isinstance(value, float):
        if value != value:  # NaN
            return "-"
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)
