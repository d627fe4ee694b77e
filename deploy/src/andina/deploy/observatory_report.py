"""The analyst's part of ``andina report``: trends by month, the top routes and border posts, a map of
the posts with their seizures, and the action plans' indicators against their targets."""

from __future__ import annotations

import json
import textwrap
from collections import defaultdict
from importlib import resources
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.figure import Figure  # no pyplot: no backend or window, files only

from andina.deploy.kpi_figures import Row
from andina.deploy.observatory_figures import COUNT, Observatory
from andina.shared.observatory import BORDER_POSTS

TOP = 10  # routes and posts shown in the charts
# A monthly chart: (file, title, view, the label each bar's colour stands for).
TRENDS = (
    ("seizure_trend", "Seizures by month", "seizures_by_month", "dimension"),
    ("trade_trend", "Customs discrepancies and unmatched exports by month", "trade_findings_by_month", "kind"),
    ("pattern_trend", "Financial patterns by month", "patterns_by_month", "pattern"),
    ("alert_trend", "Alerts raised by category and month", "alerts_by_category", "category"),
)


def _save(figure: Figure, path: Path) -> Path:
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    return path


def _nothing_published(axes: Axes, min_count: int) -> None:
    axes.text(
        0.5, 0.5, f"nothing to publish (no figure of {min_count} cases or more)",
        ha="center", va="center", transform=axes.transAxes,
    )  # fmt: skip


def _trend(path: Path, title: str, rows: list[Row], series: str, observatory: Observatory) -> Path:
    figure = Figure(figsize=(8, 3.2))
    axes = figure.subplots()
    by_series: dict[str, dict[str, float]] = defaultdict(dict)
    for row in rows:
        by_series[row[series]][row["month"]] = float(row[COUNT])
    bottom = [0.0] * len(observatory.months)
    for name, counts in sorted(by_series.items()):
        heights = [counts.get(m, 0.0) for m in observatory.months]
        axes.bar(observatory.months, heights, bottom=bottom, label=name)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.set_title(title)
    axes.set_xlabel("month (UTC)")
    if by_series:
        axes.legend(fontsize="small")
    else:
        _nothing_published(axes, observatory.min_count)
    return _save(figure, path)


def _top(path: Path, title: str, rows: list[Row], label: str, observatory: Observatory) -> Path:
    totals: dict[str, float] = defaultdict(float)
    for row in rows:
        totals[row[label]] += float(row[COUNT])
    shown = sorted(totals.items(), key=lambda kv: -kv[1])[:TOP][::-1]
    figure = Figure(figsize=(8, 3.2))
    axes = figure.subplots()
    axes.barh([name for name, _ in shown], [count for _, count in shown])
    axes.set_title(title)
    axes.set_xlabel("seizures")
    if not shown:
        _nothing_published(axes, observatory.min_count)
    return _save(figure, path)


def _outline() -> dict[str, list[list[float]]]:
    document = json.loads(resources.files("andina.deploy").joinpath("data/andean_outline.json").read_text())
    outline: dict[str, list[list[float]]] = document["countries"]
    return outline


def _map(path: Path, rows: list[Row], observatory: Observatory) -> Path:
    """The members' outline, every post as a dot, and the posts with published seizures as circles
    whose area follows their count."""
    seized: dict[str, float] = defaultdict(float)
    for row in rows:
        seized[row["border_post"]] += float(row[COUNT])
    figure = Figure(figsize=(6, 7.5))
    axes = figure.subplots()
    for code, points in _outline().items():
        axes.fill([p[0] for p in points], [p[1] for p in points], facecolor="#eef2f5", edgecolor="#7a8a99")
        axes.annotate(code, _centre(points), color="#7a8a99", ha="center", fontsize="large")
    biggest = max(seized.values(), default=1.0)
    for post in BORDER_POSTS:
        count = seized.get(post.id, 0.0)
        size = 20 + 800 * count / biggest if count else 8
        axes.scatter([post.lon], [post.lat], s=size, color="#c0392b" if count else "#555", alpha=0.7, zorder=3)
        if count:
            axes.annotate(f"{post.name}: {count:.0f}", (post.lon, post.lat), fontsize="small",
                          xytext=(6, 4), textcoords="offset points")  # fmt: skip
    axes.set_aspect("equal")
    axes.set_title("Seizures by border post")
    axes.set_xlabel("longitude")
    axes.set_ylabel("latitude")
    if not seized:
        _nothing_published(axes, observatory.min_count)
    return _save(figure, path)


def _centre(points: list[list[float]]) -> tuple[float, float]:
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _targets(path: Path, rows: list[Row]) -> Path:
    """The share of each target reached, for the indicators that have a value."""
    filled = [r for r in rows if r["reached"]][::-1]
    figure = Figure(figsize=(8, 1.2 + 0.5 * max(1, len(filled))))
    axes = figure.subplots()
    reached = [min(150.0, float(r["reached"].rstrip("%"))) for r in filled]
    names = [textwrap.fill(f"{r['plan']}: {r['indicator']}", 36) for r in filled]
    axes.barh(names, reached, color="#2e86c1")
    axes.tick_params(axis="y", labelsize="small")
    axes.axvline(100, color="#c0392b", linestyle="--", label="target")
    axes.set_xlabel("% of the target reached (capped at 150)")
    axes.set_title("Action-plan indicators: share of the target")
    axes.legend(fontsize="small")
    return _save(figure, path)


def observatory_charts(out: Path, observatory: Observatory, plan: list[Row]) -> list[Path]:
    views = observatory.views
    return [
        *(_trend(out / f"{name}.png", title, views[view], series, observatory) for name, title, view, series in TRENDS),
        _top(out / "top_routes.png", "Top routes of the seizures", views["seizures_by_route"], "route", observatory),
        _top(out / "top_posts.png", "Top border posts", views["seizures_by_post"], "border_post", observatory),
        _map(out / "border_posts_map.png", views["seizures_by_post"], observatory),
        _targets(out / "targets.png", plan),
    ]
