"""The ``andina indicator`` commands: the coordinator enters, and anyone lists, the action plans'
indicators that the network's events cannot count. ``cli.py`` registers them."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.table import Table

from andina.contract.events.indicators import IndicatorEntry
from andina.deploy.action_plan import load_plan
from andina.deploy.console import console, done, errors
from andina.deploy.indicator_entries import check_against_plan, coordinator_entries
from andina.deploy.indicator_entries import enter as enter_entry
from andina.deploy.processes import StackError
from andina.deploy.settings import endpoints

indicator_app = typer.Typer(
    help="The action plans' indicators the coordinator enters (signed, audited).", no_args_is_help=True
)


def enter(
    indicator: Annotated[str, typer.Argument(help="the indicator's id in the plan (`andina indicator list`)")],
    start: Annotated[str, typer.Option("--from", help="first day the figure covers, YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="the day after the last it covers, YYYY-MM-DD")],
    by: Annotated[str, typer.Option(help="the person or office entering it")],
    source: Annotated[str, typer.Option(help="the document, report or meeting the figure comes from")],
    value: Annotated[float | None, typer.Option(help="the indicator's value over the period")] = None,
    target: Annotated[float | None, typer.Option(help="a new target for the period")] = None,
) -> None:
    """Enter a value (or a target) of an indicator for a period, signed with the observatory's key."""
    ends = endpoints()
    try:
        entry = IndicatorEntry(
            indicator=indicator,
            period_start=date.fromisoformat(start),
            period_end=date.fromisoformat(end),
            value=value,
            target=target,
            entered_by=by,
            source=source,
        )
        check_against_plan(entry, load_plan())
    except (ValidationError, ValueError) as refused:
        raise StackError(f"entry refused: {refused}") from None
    signed = asyncio.run(enter_entry(ends, entry))
    done(f"{indicator} entered for {start} – {end}", f"signed by key {signed['keyid']}, audited as {signed['id']}")


def list_entries() -> None:
    """Every indicator of the plans with the coordinator's latest entries, and any entry refused."""
    plan = load_plan()
    latest, refused = asyncio.run(coordinator_entries(endpoints(), plan))
    table = Table(title="Action-plan indicators")
    for column in ("id", "plan", "indicator", "counted from", "entries (period: value / target, by)"):
        table.add_column(column)
    for indicator in plan:
        mine = [item for key, item in sorted(latest.items()) if key[0] == indicator.id]
        shown = "; ".join(
            f"{i.entry.period_start}–{i.entry.period_end}: {i.entry.value} / {i.entry.target}, {i.entry.entered_by}"
            for i in mine
        )
        table.add_row(
            indicator.id, indicator.plan, indicator.title, "events" if indicator.counters else "entries", shown
        )
    console.print(table)
    for item in refused:
        errors.print(f"✗ entry {item.event_id} counts for nothing: {item.reason}")
