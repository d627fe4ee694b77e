"""The action plans' indicators against their targets (data/action_plan.json).

An indicator with counters is filled from the network's events: the counters' growth from the
start of its period to the report's end (or the period's end, if earlier). One without is the
coordinator's to enter; until entered, the report shows it as awaited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources
from typing import Any

from andina.deploy.kpi_figures import Prometheus, Row, counted


@dataclass(frozen=True)
class PlanIndicator:
    id: str
    plan: str
    title: str
    period: tuple[date, date]  # [from, to)
    target: float
    counters: tuple[str, ...]  # PromQL selectors; none: entered by the coordinator
    share_of: str | None  # the counter whose growth the counters' growth is a share of


def _selector(counter: dict[str, Any]) -> str:
    match = ", ".join(f'{k}="{v}"' for k, v in counter.get("match", {}).items())
    return f"{counter['metric']}{{{match}}}" if match else str(counter["metric"])


def load_plan() -> tuple[PlanIndicator, ...]:
    document = json.loads(resources.files("andina.deploy").joinpath("data/action_plan.json").read_text())
    return tuple(
        PlanIndicator(
            id=i["id"],
            plan=i["plan"],
            title=i["title"],
            period=(date.fromisoformat(i["period"][0]), date.fromisoformat(i["period"][1])),
            target=float(i["target"]),
            counters=tuple(_selector(c) for c in i.get("counters", ())),
            share_of=i.get("share_of"),
        )
        for i in document["indicators"]
    )


def _growth(prometheus: Prometheus, selectors: tuple[str, ...], since: datetime, until: datetime) -> float:
    window = f"{max(1, round((until - since).total_seconds()))}s"
    return sum(
        float(series["value"][1])
        for selector in selectors
        for series in prometheus.at(counted(selector, ())(window), until)
    )


def _value(prometheus: Prometheus, indicator: PlanIndicator, since: datetime, until: datetime) -> float | None:
    """The counters' growth, or its share of ``share_of``'s (none when that did not grow)."""
    value = _growth(prometheus, indicator.counters, since, until)
    if indicator.share_of is None:
        return value
    whole = _growth(prometheus, (indicator.share_of,), since, until)
    return value / whole if whole else None


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _shown(indicator: PlanIndicator, value: float) -> str:
    return f"{value:.0%}" if indicator.share_of else str(round(value))


def against_targets(prometheus: Prometheus, end: datetime, plan: tuple[PlanIndicator, ...]) -> list[Row]:
    """Each indicator's value to ``end`` within its period, its target and the share of it reached."""
    rows = []
    for indicator in plan:
        since, until = _midnight(indicator.period[0]), min(end, _midnight(indicator.period[1]))
        row = {
            "plan": indicator.plan,
            "indicator": indicator.title,
            "period": f"{indicator.period[0]} – {indicator.period[1]}",
            "target": _shown(indicator, indicator.target),
            "value": "",
            "reached": "",
            "source": "network events" if indicator.counters else "coordinator",
        }
        value = _value(prometheus, indicator, since, until) if indicator.counters and since < until else None
        if value is not None:
            row["value"] = _shown(indicator, value)
            row["reached"] = f"{value / indicator.target:.0%}"
        elif not indicator.counters:
            row["value"] = "awaiting the coordinator's entry"
        rows.append(row)
    return rows
