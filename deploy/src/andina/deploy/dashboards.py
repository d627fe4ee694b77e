"""Grafana dashboards of the Observatorio, built from short specs and written as provisioned JSON.

The specs (``dashboard_specs``) say what each panel shows; this module lays the panels
out on Grafana's 24-column grid and fills in what Grafana's dashboard model requires.
``andina dashboards`` writes them to deploy/grafana/dashboards/, which docker-compose's
Grafana loads through deploy/grafana/provisioning/dashboards/andina.yml.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATASOURCE = {"type": "prometheus", "uid": "andina-prometheus"}
SCHEMA_VERSION = 41
GRID_WIDTH = 24
PANEL_HEIGHT = 8


@dataclass(frozen=True)
class Query:
    expr: str
    legend: str = ""


@dataclass(frozen=True)
class Panel:
    """One panel. ``kind`` is Grafana's panel type; tables and stats show the range's value."""

    title: str
    queries: tuple[Query, ...]
    kind: str = "timeseries"
    unit: str = "short"
    description: str = ""
    width: int = 12


@dataclass(frozen=True)
class Dashboard:
    uid: str
    title: str
    description: str
    panels: tuple[Panel, ...]
    country_filter: bool = False
    tags: tuple[str, ...] = field(default=("andina",))


def timeseries(title: str, *queries: Query, unit: str = "ops", description: str = "", width: int = 12) -> Panel:
    return Panel(title, queries, "timeseries", unit, description, width)


def stat(title: str, *queries: Query, unit: str = "short", description: str = "", width: int = 6) -> Panel:
    return Panel(title, queries, "stat", unit, description, width)


def table(title: str, *queries: Query, description: str = "", width: int = 12) -> Panel:
    return Panel(title, queries, "table", "short", description, width)


def over_range(rate: str, by: str) -> str:
    """Events in the dashboard's range from a recorded per-second rate: its mean times the range."""
    return f"sum by ({by}) (avg_over_time({rate}[$__range])) * $__range_s"


def counted(counter: str, by: str) -> str:
    """Increase of a raw counter over the dashboard's range."""
    return f"sum by ({by}) (increase({counter}[$__range]))"


def per_second(counter: str, by: str) -> str:
    return f"sum by ({by}) (rate({counter}[$__rate_interval]))"


def _positions(panels: tuple[Panel, ...]) -> list[dict[str, int]]:
    """Left to right, wrapping to a new row when a panel does not fit."""
    x = y = 0
    positions = []
    for panel in panels:
        if x + panel.width > GRID_WIDTH:
            x, y = 0, y + PANEL_HEIGHT
        positions.append({"h": PANEL_HEIGHT, "w": panel.width, "x": x, "y": y})
        x += panel.width
    return positions


def _target(query: Query, ref: str, kind: str) -> dict[str, Any]:
    instant = kind in ("stat", "table")
    target: dict[str, Any] = {
        "datasource": DATASOURCE,
        "expr": query.expr,
        "refId": ref,
        "range": not instant,
        "instant": instant,
        "format": "table" if kind == "table" else "time_series",
    }
    if query.legend:
        target["legendFormat"] = query.legend
    return target


def _panel(panel: Panel, panel_id: int, position: dict[str, int]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": panel_id,
        "type": panel.kind,
        "title": panel.title,
        "description": panel.description,
        "datasource": DATASOURCE,
        "gridPos": position,
        "targets": [_target(q, chr(ord("A") + i), panel.kind) for i, q in enumerate(panel.queries)],
        "fieldConfig": {"defaults": {"unit": panel.unit}, "overrides": []},
        "options": {},
    }
    if panel.kind == "table":
        # One row per label set; the value column carries the range's figure.
        body["transformations"] = [{"id": "merge", "options": {}}]
        body["options"] = {"showHeader": True, "sortBy": [{"displayName": "Value", "desc": True}]}
    if panel.kind == "stat":
        body["options"] = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}}
    return body


def _country_variable(countries: tuple[str, ...]) -> dict[str, Any]:
    return {
        "name": "country",
        "label": "Country",
        "type": "custom",
        "query": ",".join(countries),
        "multi": True,
        "includeAll": True,
        "allValue": ".*",
        "current": {"text": "All", "value": "$__all"},
        "options": [],
    }


def to_json(dashboard: Dashboard, countries: tuple[str, ...]) -> dict[str, Any]:
    """Grafana's dashboard model (provisioned: no numeric id, not editable in the UI)."""
    panels = dashboard.panels
    return {
        "uid": dashboard.uid,
        "title": dashboard.title,
        "description": dashboard.description,
        "tags": list(dashboard.tags),
        "schemaVersion": SCHEMA_VERSION,
        "editable": False,
        "graphTooltip": 1,
        "time": {"from": "now-6h", "to": "now"},
        "refresh": "30s",
        "timezone": "utc",
        "templating": {"list": [_country_variable(countries)] if dashboard.country_filter else []},
        "annotations": {"list": []},
        "panels": [_panel(p, i + 1, pos) for i, (p, pos) in enumerate(zip(panels, _positions(panels), strict=True))],
    }


def write_dashboards(out: Path, dashboards: tuple[Dashboard, ...], countries: tuple[str, ...]) -> list[Path]:
    """``out/<uid>.json`` for each dashboard."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for dashboard in dashboards:
        path = out / f"{dashboard.uid}.json"
        path.write_text(json.dumps(to_json(dashboard, countries), indent=2, ensure_ascii=False) + "\n")
        written.append(path)
    return written
