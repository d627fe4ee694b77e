"""The one rich console every command prints through (progress to stdout, errors to stderr)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)


def done(what: str, detail: str = "") -> None:
    console.print(f"[green]✓[/green] {what}" + (f" [dim]{detail}[/dim]" if detail else ""))


def info(what: str) -> None:
    console.print(f"[cyan]•[/cyan] {what}")


def fields_table(title: str, fields: dict[str, object]) -> Table:
    """A two-column table of an event's interesting fields."""
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for name, value in fields.items():
        table.add_row(name, str(value))
    return table
