"""``andina report``: the Observatorio's indicators for a period, as one self-contained HTML
file (charts embedded), the charts as PNG files beside it, and the figures as JSON."""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure  # no pyplot: no backend or window, files only

from andina.deploy.kpi_figures import INDICATORS, Figures, Row
from andina.deploy.observatory_figures import VIEWS, Observatory
from andina.deploy.observatory_report import observatory_charts


@dataclass(frozen=True)
class CountryFigure:
    """A per-country column: which indicator, which label names the country."""

    title: str
    indicator: str
    label: str
    extra: tuple[tuple[str, str], ...] = ()


PER_COUNTRY = (
    CountryFigure("events sent", "admitted", "origin"),
    CountryFigure("events received", "published", "recipient"),
    CountryFigure("alerts raised", "alerts_raised", "origin"),
    CountryFigure("alerts acknowledged", "alerts_acknowledged", "recipient"),
    CountryFigure("deadlines missed", "deadlines_missed", "recipient"),
    CountryFigure("escalations", "escalations", "recipient"),
    CountryFigure("requests answered in time", "requests_settled", "counterpart", (("in_time", "true"),)),
    CountryFigure("requests answered late", "requests_settled", "counterpart", (("in_time", "false"),)),
    CountryFigure("screenings", "screenings", "origin"),
    CountryFigure("hits on its records", "hits", "owner"),
    CountryFigure("seizure reports", "seizures", "reporter"),
    CountryFigure("transfers reported", "transfers", "origin"),
)
CHARTS = {
    "exchanges": ("Events sent and received, by country", ("events sent", "events received")),
    "alerts": (
        "The 24/7 network, by country",
        ("alerts raised", "alerts acknowledged", "deadlines missed", "escalations"),
    ),
    "services": (
        "Intelligence, customs and finance, by country",
        ("screenings", "hits on its records", "seizure reports", "transfers reported"),
    ),
}


def per_country(figures: Figures, countries: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """figure title -> country -> count."""
    return {
        f.title: {c: figures.total(f.indicator, **{f.label: c}, **dict(f.extra)) for c in countries}
        for f in PER_COUNTRY
    }


def _grouped_bars(path: Path, title: str, countries: tuple[str, ...], series: dict[str, dict[str, float]]) -> Path:
    figure = Figure(figsize=(8, 3.6))
    axes = figure.subplots()
    width = 0.8 / max(1, len(series))
    for i, (name, values) in enumerate(series.items()):
        axes.bar([x + i * width for x in range(len(countries))], [values[c] for c in countries], width, label=name)
    axes.set_xticks([x + width * (len(series) - 1) / 2 for x in range(len(countries))], list(countries))
    axes.set_title(title)
    axes.legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    return path


def _timeline(path: Path, figures: Figures) -> Path:
    figure = Figure(figsize=(8, 3.2))
    axes = figure.subplots()
    for service, points in sorted(figures.timeline.items()):
        moments = [date2num(datetime.fromtimestamp(t, UTC)) for t, _ in points]  # type: ignore[no-untyped-call]
        axes.plot(moments, [v for _, v in points], label=service)
    _date_axis(axes)
    axes.set_title(f"Events admitted per {_duration(figures.step)}, by service")
    if figures.timeline:
        axes.legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    return path


def _date_axis(axes: Axes) -> None:
    """Dates (and times when the period is short) on the x axis, in UTC."""
    locator = AutoDateLocator(tz=UTC)  # type: ignore[no-untyped-call]  # matplotlib's dates are untyped
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator, tz=UTC))  # type: ignore[no-untyped-call]
    axes.set_xlabel("UTC")


def _duration(seconds: float) -> str:
    """A step as people say it: 12 min, 2 h, 1 d 6 h."""
    minutes = round(seconds / 60)
    if seconds < 60:
        return f"{seconds:.0f} s"
    if minutes < 120:
        return f"{minutes} min"
    hours = round(minutes / 60)
    return f"{hours} h" if hours < 48 else f"{hours // 24} d {hours % 24} h".removesuffix(" 0 h")


def charts(out: Path, figures: Figures, countries: tuple[str, ...]) -> list[Path]:
    by_country = per_country(figures, countries)
    paths = [
        _grouped_bars(out / f"{name}.png", title, countries, {s: by_country[s] for s in shown})
        for name, (title, shown) in CHARTS.items()
    ]
    return [*paths, _timeline(out / "timeline.png", figures)]


def _table(columns: list[str], rows: list[Row], caption: str) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(r.get(c, '')))}</td>" for c in columns) + "</tr>" for r in rows
    )
    empty = "" if rows else f'<tr><td colspan="{len(columns)}">none in the period</td></tr>'
    return f"<table><caption>{html.escape(caption)}</caption><tr>{head}</tr>{body}{empty}</table>"


def _image(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode()
    return f'<img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}">'


STYLE = (
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}"
    "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}"
    "caption{font-weight:bold;text-align:left;padding:.3em 0}img{max-width:100%}"
)


def _observatory_sections(out: Path, observatory: Observatory, plan: list[Row]) -> list[str]:
    images = observatory_charts(out, observatory, plan)
    tables = []
    for view in VIEWS:
        rows = observatory.views[view.key]
        columns = [*view.by, *([c for c in rows[0] if c not in view.by] if rows else ["count"])]
        left_out = observatory.suppressed[view.key]
        note = f" ({left_out} under {observatory.min_count} cases suppressed)" if left_out else ""
        tables.append(_table(columns, rows, view.title + note))
    return [
        '<section id="observatory"><h2>Observatory: what the exchanges say about crime</h2>'
        f"<p>Aggregates only; a figure of fewer than {observatory.min_count} cases is not published.</p>",
        *(_image(p) for p in images),
        *tables,
        _table(["plan", "indicator", "period", "target", "value", "reached", "source"], plan,
               "Action-plan indicators against their targets"),
        "</section>",
    ]  # fmt: skip


def render(out: Path, figures: Figures, countries: tuple[str, ...], observatory: Observatory, plan: list[Row]) -> Path:
    """Write ``index.html``, the charts and ``figures.json`` into ``out``; returns the HTML file."""
    out.mkdir(parents=True, exist_ok=True)
    images = charts(out, figures, countries)
    by_country = per_country(figures, countries)
    summary = [{"country": c, **{t: str(round(v[c])) for t, v in by_country.items()}} for c in countries]
    period = f"{figures.start:%Y-%m-%d %H:%M:%S} – {figures.end:%Y-%m-%d %H:%M:%S} UTC"
    sections = [
        f"<h1>Red Andina 24/7 — indicators</h1><p>Period: {html.escape(period)}</p>",
        *_observatory_sections(out, observatory, plan),
        '<section id="operators"><h2>Operators: the network\'s own traffic</h2>',
        _table(["country", *by_country], summary, "Per country"),
        *(_image(p) for p in images),
        _table(["from", "to", "kind", "value"], figures.exchanges(), "Exchanges between countries"),
        *(_table([*i.by, "value"], figures.tables[i.key], i.title) for i in INDICATORS),
        "</section>",
    ]
    page = out / "index.html"
    page.write_text(
        f'<!doctype html><html lang="en"><meta charset="utf-8"><title>Red Andina 24/7 — {html.escape(period)}</title>'
        f"<style>{STYLE}</style><body>{''.join(sections)}</body></html>\n"
    )
    document = {
        "from": figures.start.isoformat(),
        "to": figures.end.isoformat(),
        "observatory": {
            "min_count": observatory.min_count,
            "months": observatory.months,
            "figures": observatory.views,
            "suppressed": observatory.suppressed,
            "action_plan": plan,
        },
        "per_country": by_country,
        "exchanges": figures.exchanges(),
        "indicators": figures.tables,
        "timeline": {"step_seconds": figures.step, "admitted": figures.timeline},
    }
    (out / "figures.json").write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return page
