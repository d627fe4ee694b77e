"""The operators' commands: tail a partition, replay dead letters, raise and acknowledge alerts,
write the dashboards, report the indicators. ``cli.py`` registers them, with its error handling.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from pymongo.errors import PyMongoError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from andina.contract.envelope import Handling
from andina.contract.sealing import DeliveryOpener
from andina.contract.topics import DEAD_LETTER, DELIVERIES
from andina.deploy import alert_ops
from andina.deploy.action_plan import against_targets, load_plan
from andina.deploy.console import console, done, errors, fields_table, info
from andina.deploy.dashboard_services import DASHBOARDS
from andina.deploy.dashboards import write_dashboards
from andina.deploy.indicator_entries import coordinator_entries
from andina.deploy.kpi_figures import Prometheus, collect
from andina.deploy.kpi_report import render
from andina.deploy.observatory_figures import MIN_COUNT, collect_observatory
from andina.deploy.processes import StackError
from andina.deploy.replay import replay as replay_dead_letters
from andina.deploy.settings import Endpoints, StackSettings, endpoints, find_repo_root
from andina.deploy.tail import UNATTRIBUTED, target
from andina.deploy.tail import tail as tail_partition

alert_app = typer.Typer(help="Raise and acknowledge 24/7 alerts as a country's contact point.", no_args_is_help=True)


def tail(
    service: Annotated[str, typer.Argument(help="alerts, intel-exchange, customs or finance-trace")],
    country: Annotated[str, typer.Argument(help=f"member country code, or `{UNATTRIBUTED}` (unknown senders)")],
    stream: Annotated[str, typer.Option(help=f"{DELIVERIES}, {DEAD_LETTER}, submissions or signals")] = DELIVERIES,
    from_beginning: Annotated[bool, typer.Option("--from-beginning", help="Start at the oldest record.")] = False,
    count: Annotated[int | None, typer.Option(min=1, help="Stop after this many records.")] = None,
) -> None:
    """Show a country's partition of a service's topic as a table, live, until Ctrl-C (or `--count`).

    Events show their type, id, origin and data on one line; dead letters their reason,
    detail and where they came from.
    """
    ends = endpoints()
    where = target(ends, service, country.upper() if country != UNATTRIBUTED else country, stream)
    start = "the beginning" if from_beginning else "new records"
    try:
        shown = asyncio.run(
            tail_partition(
                ends.bootstrap_servers,
                where,
                console,
                from_beginning=from_beginning,
                count=count,
                started=lambda: info(f"{where.topic} partition {where.partition} ({country}), from {start}"),
                auth=ends.admin_auth(),
                opener=_opener_if_held(ends, country, stream),
            )
        )
    except KeyboardInterrupt:
        console.print("[dim]stopped[/dim]")
        return
    done(f"{shown} record(s) shown")


def _opener_if_held(ends: Endpoints, country: str, stream: str) -> DeliveryOpener | None:
    """The country's key when this host holds it (the local stack plays every member's agency)."""
    if stream != DELIVERIES or not (ends.keys_dir / f"{country.upper()}.key").exists():
        return None
    return ends.opener(country.upper())


def replay(
    service: Annotated[str, typer.Argument(help="the service whose dead letters to submit again")],
    reason: Annotated[
        list[str] | None,
        typer.Option(help="Only dead letters of this reason (repeat for more); default: all but duplicate"),
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Replay at most this many.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count what would be replayed; send nothing.")] = False,
) -> None:
    """Submit a service's dead letters again, original bytes and key, after the cause was fixed.

    Each dead letter is replayed once per selection (`--reason` set); `duplicate` ones only when
    named. Records that fail again become new dead letters with their new reason.
    """
    ends = endpoints()
    reasons = sorted(set(reason or []))
    with Progress(TextColumn("replaying"), BarColumn(), MofNCompleteColumn(), console=console) as bar:
        task = bar.add_task("replay", total=None)
        summary = asyncio.run(
            replay_dead_letters(
                ends,
                service,
                reasons,
                limit=limit,
                dry_run=dry_run,
                progress=lambda n, total: bar.update(task, completed=n, total=total),
            )
        )
    table = Table(title=f"{service} dead letters ({'dry run' if dry_run else 'group ' + summary.group})")
    table.add_column("")
    table.add_column("why")
    table.add_column("records", justify="right")
    for why, n in sorted(summary.replayed.items()):
        table.add_row("[green]replayed[/green]" if not dry_run else "would replay", why, str(n))
    for why, n in sorted(summary.skipped.items()):
        table.add_row("left", why, str(n))
    console.print(table)
    total = sum(summary.replayed.values())
    done(f"{'would replay' if dry_run else 'replayed'} {total} dead letter(s) to the {service} submissions topic")


def alert_raise(
    as_country: Annotated[str, typer.Option("--as", help="the raising country (its key signs the alert)")],
    to: Annotated[str, typer.Option(help='recipients, comma separated (e.g. "CO,EC"), or "all"')],
    priority: Annotated[str, typer.Option(help="FLASH, URGENT or ROUTINE")],
    category: Annotated[str, typer.Option(help="e.g. vehicle, missing-person, wanted-person, cargo, firearm")],
    title: Annotated[str, typer.Option(help="one line")],
    facts: Annotated[str, typer.Option(help="what is known")],
    handling: Annotated[Handling, typer.Option(help="h0..h3; h3 needs named recipients")] = Handling.H2,
    dedup_key: Annotated[str | None, typer.Option(help="a second raise with this key updates the open alert")] = None,
    domestic: Annotated[bool, typer.Option("--domestic", help="an event inside the country, for awareness")] = False,
    ack_within: Annotated[
        float | None, typer.Option(help="seconds to acknowledge, if sooner than the priority's")
    ] = None,
    wait: Annotated[float, typer.Option(help="seconds to wait for the deliveries")] = 30.0,
) -> None:
    """Raise an alert as a country's contact point and show where the network delivered it."""
    ends = endpoints()
    country = as_country.upper()
    payload = alert_ops.raise_payload(
        to, priority, category, title, facts, dedup_key=dedup_key, domestic=domestic, acknowledge_within=ack_within
    )
    outcome = asyncio.run(alert_ops.raise_alert(ends, country, payload, handling, wait))
    _refused(outcome)
    info(f"alert id {outcome.event_id} raised by {country}")
    table = Table(title="delivered")
    for column in ("recipient", "alert_id", "step", "contact point", "acknowledge by"):
        table.add_column(column)
    for recipient, event in outcome.caused:
        data = event.data
        table.add_row(recipient, data["alert_id"], data["step"], data["contact"], str(data.get("acknowledge_by")))
    console.print(table)
    missing = alert_ops.expected_recipients(payload, country, ends.andina.countries().codes) - alert_ops.delivered_to(
        outcome.caused
    )
    if missing:
        raise StackError(f"no delivery to {', '.join(sorted(missing))} within {wait:.0f} s: is the alerts service up?")
    done(f"delivered to {', '.join(sorted(alert_ops.delivered_to(outcome.caused)))}")


def alert_ack(
    alert_id: Annotated[str, typer.Argument(help="the alert's id, as delivered")],
    as_country: Annotated[str, typer.Option("--as", help="the acknowledging recipient country")],
    by: Annotated[str, typer.Option(help="who acknowledges (name, unit)")],
    wait: Annotated[float, typer.Option(help="seconds to wait for the origin to be told")] = 30.0,
) -> None:
    """Acknowledge an alert as a recipient's contact point; shows the notice the origin receives."""
    ends = endpoints()
    outcome = asyncio.run(alert_ops.acknowledge(ends, as_country.upper(), alert_ops.ack_payload(alert_id, by), wait))
    _refused(outcome)
    if not outcome.caused:
        raise StackError(f"no answer within {wait:.0f} s: is the alerts service up?")
    origin, notice = outcome.caused[0]
    console.print(fields_table(f"{origin} was told", {"type": notice.type, **notice.data}))
    done(f"alert {alert_id} acknowledged by {as_country.upper()}")


def _refused(outcome: alert_ops.Outcome) -> None:
    refusal = outcome.rejection
    if refusal is not None:
        raise StackError(f"refused by the network ({refusal.data['reason']}): {refusal.data['detail']}")


def dashboards(
    out: Annotated[Path | None, typer.Option(help="Folder to write into [deploy/grafana/dashboards]")] = None,
) -> None:
    """Write the Grafana dashboards (network, 24/7, intelligence, customs, finance, observatory, bus health) as JSON."""
    folder = out or find_repo_root() / "deploy" / "grafana" / "dashboards"
    for path in write_dashboards(folder, DASHBOARDS, endpoints().andina.countries().codes):
        console.print(f"wrote {path}")


def _moment(text: str | None, default: datetime) -> datetime:
    if text is None:
        return default
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise StackError(f"not a date and time: {text!r} (e.g. 2026-11-23T08:00 or 2026-11-23T03:00-05:00)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def report(
    start: Annotated[
        str | None, typer.Option("--from", help="start, ISO 8601; UTC without an offset [--to - 24 h]")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="end, ISO 8601 [now]")] = None,
    out: Annotated[Path, typer.Option(help="folder for index.html, the PNG charts and figures.json")] = Path(
        "andina-report"
    ),
    prometheus: Annotated[str | None, typer.Option(help="Prometheus URL [the local stack's]")] = None,
    min_count: Annotated[
        int, typer.Option(min=1, help="the fewest cases behind a published Observatory figure")
    ] = MIN_COUNT,
) -> None:
    """The Observatory's figures (seizures, trade findings, financial patterns by month, route and border
    post; the action plans' indicators against their targets) and the operators' indicators per country
    (exchanges, response times, alerts, hits, seizures, detections) from Prometheus, as a self-contained
    HTML report with charts."""
    settings = StackSettings()
    now = datetime.now(UTC).replace(microsecond=0)
    # Prometheus has no sample after now: a later end would read the counters as gone.
    to = min(_moment(end, now), now)
    since = _moment(start, to - timedelta(hours=24))
    server = Prometheus(prometheus or f"http://127.0.0.1:{settings.prometheus_port}")
    with console.status("asking Prometheus for the indicators…"):
        figures = collect(server, since, to)
        observatory = collect_observatory(server, since, to, min_count)
        plan_indicators = load_plan()
        try:
            entries, refused = asyncio.run(coordinator_entries(endpoints(), plan_indicators))
        except PyMongoError as unreachable:  # the figures from Prometheus are worth a report without them
            errors.print(f"✗ the coordinator's entries were not read ({unreachable}): shown as awaited")
            entries, refused = {}, []
        plan = against_targets(server, to, plan_indicators, entries)
    for item in refused:
        errors.print(f"✗ the coordinator's entry {item.event_id} counts for nothing: {item.reason}")
    page = render(out, figures, endpoints().andina.countries().codes, observatory, plan)
    done(f"report for {since:%Y-%m-%d %H:%M} – {to:%Y-%m-%d %H:%M} UTC", str(page))
