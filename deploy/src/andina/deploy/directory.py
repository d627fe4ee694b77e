"""``andina directory``: the 24/7 directory as the alerts service holds it now."""

from __future__ import annotations

from typing import Any

import httpx
from rich.table import Table

from andina.deploy.processes import StackError


def fetch_directory(alerts_url: str) -> list[dict[str, Any]]:
    try:
        response = httpx.get(f"{alerts_url}/directory", timeout=10)
    except httpx.TransportError as exc:
        raise StackError(f"the alerts service does not answer at {alerts_url} ({exc}): is the stack up?") from None
    if response.status_code != 200:
        raise StackError(f"the alerts service answered {response.status_code} at {alerts_url}/directory")
    entries: list[dict[str, Any]] = response.json()
    return entries


def _point(point: dict[str, Any]) -> str:
    phone = f"\n{point['phone']}" if point.get("phone") else ""
    return f"{point['post']}\n[dim]{point['agency']} · {', '.join(point['languages'])}{phone}[/dim]"


def directory_table(entries: list[dict[str, Any]]) -> Table:
    table = Table(title="Red Andina 24/7 directory", show_lines=True)
    for column in ("country", "version", "primary contact point", "alternate", "coordinator", "on duty now"):
        table.add_column(column)
    for entry in entries:
        table.add_row(
            entry["country"],
            str(entry["version"]),
            _point(entry["primary"]),
            _point(entry["alternate"]),
            _point(entry["coordinator"]),
            "\n".join(entry["on_duty"]) or "[red]nobody on the roster[/red]",
        )
    return table
