"""The one rich console every command prints through (progress to stdout, errors to stderr)."""

from __future__ import annotations

from rich.console import Console

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)


def done(what: str, detail: str = "") -> None:
    console.print(f"[green]✓[/green] {what}" + (f" [dim]{detail}[/dim]" if detail else ""))


def info(what: str) -> None:
    console.print(f"[cyan]•[/cyan] {what}")
