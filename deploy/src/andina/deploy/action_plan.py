"""The action plans' indicators against their targets (data/action_plan.json).

An indicator with counters is filled from the network's events: the counters' growth from the
start of its period to the report's end (or the period's end, if earlier). One without is the
coordinator's to enter (``andina indicator enter``, signed and audited); until entered, the report
shows it as awaited.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources
from typing import TYPE_CHECKING, Any

from andina.deploy.kpi_figures import Prometheus, Row, counted

if TYPE_CHECKING:
    from andina.deploy.indicator_entries import Entered

Entries = Mapping[tuple[str, date, date], "Entered"]  # the coordinator's latest entry per indicator and period


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


def _entered_value(indicator: PlanIndicator, entries: Entries, until: datetime) -> tuple[float, list[str]] | None:
    """The coordinator's values for the periods of ``indicator`` that began before ``until``, summed."""
    found = [
        (key, item)
        for key, item in entries.items()
        if key[0] == indicator.id and item.entry.value is not None and _midnight(key[1]) < until
    ]
    if not found:
        return None
    notes = [f"{item.entry.entered_by}, {item.signed_at:%Y-%m-%d}: {item.entry.source}" for _, item in found]
    return sum(item.entry.value or 0.0 for _, item in found), notes


def _entered_target(indicator: PlanIndicator, entries: Entries) -> float:
    """The target last entered for the indicator's whole period, else the plan's."""
    whole = entries.get((indicator.id, *indicator.period))
    return whole.entry.target if whole is not None and whole.entry.target is not None else indicator.target


def against_targets(
    prometheus: Prometheus, end: datetime, plan: tuple[PlanIndicator, ...], entries: Entries
) -> list[Row]:
    """Each indicator's value to ``end`` within its period, its target and the share of it reached.

    Counted indicators take their value from the counters; the others from the coordinator's
    verified entries (``entries``: the latest per indicator and period). A target entered by the
    coordinator for an indicator's whole period replaces the plan's.
    """
    rows = []
    for indicator in plan:
        since, until = _midnight(indicator.period[0]), min(end, _midnight(indicator.period[1]))
        target = _entered_target(indicator, entries)
        row = {
            "plan": indicator.plan,
            "indicator": indicator.title,
            "period": f"{indicator.period[0]} – {indicator.period[1]}",
            "target": _shown(indicator, target),
            "value": "",
            "reached": "",
            "source": "network events" if indicator.counters else "coordinator",
        }
        value: float | None = None
        if indicator.counters:
            value = _value(prometheus, indicator, since, until) if since < until else None
        elif (entered := _entered_value(indicator, entries, until)) is not None:
            value, notes = entered
            row["source"] = "coordinator: " + "; ".join(notes)
        else:
            row["value"] = "awaiting the coordinator's entry"
        if value is not None:
            row["value"] = _shown(indicator, value)
            row["reached"] = f"{value / target:.0%}"
        rows.append(row)
    return rows
