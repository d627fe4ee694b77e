"""``andina stack status``: every process of the stack, its instance, health, partitions and lag."""

from __future__ import annotations

import asyncio
import json

from rich.table import Table

from andina.deploy import kafka, prometheus, services, store, supervisor
from andina.deploy.console import console, info
from andina.deploy.kafka_quotas import describe as describe_quotas
from andina.deploy.kafka_quotas import quotas_on
from andina.deploy.kafka_tls import RENEW_BEFORE, certificate_end
from andina.deploy.kafka_users import KafkaUsers
from andina.deploy.lag_view import held_partitions, service_lags
from andina.deploy.processes import Component, port_in_use, recorded_ports, running_pid
from andina.deploy.settings import Endpoints, StackSettings, stack_agency_tls
from andina.deploy.stack import components

COLUMNS = ("component", "instance", "pid", "port", "state", "health", "partitions", "lag")


def _health(settings: StackSettings, component: Component) -> str:
    if component.name == "kafka":
        credentials = settings.kafka_credentials
        admin = KafkaUsers.load(credentials).admin() if credentials.exists() else None
        return "ready" if kafka.is_ready(f"127.0.0.1:{component.port}", auth=admin) else "not answering"
    for launch in store.launches(settings):
        if component.name == launch.component.name:
            return "ready" if launch.ready() else "not answering"
    if component.name == "prometheus":
        return "ready" if prometheus.is_ready(settings.prometheus_port) else "not answering"
    if component.name == "supervisor":
        return "ready" if supervisor.is_ready(component.port) else "not answering"
    code, body = services.health(component.port)
    if code is None:
        return f"not answering ({body})"
    try:
        checks = json.loads(body)
        return f"{code} " + " ".join(f"{k}={'ok' if v is True else v}" for k, v in checks.items())
    except (ValueError, AttributeError):
        return f"{code} {body[:60]}"


def _row(
    settings: StackSettings, component: Component, held: dict[str, str], lags: dict[str, str]
) -> tuple[bool, list[str]]:
    """Whether the component is up and healthy, and its row of the table."""
    pid = running_pid(settings.state, component)
    ports = ", ".join(str(p.number) for p in component.ports)
    first = [component.key, str(component.instance)]
    if pid is None:
        note = (
            "[yellow]port held by another process[/yellow]"
            if any(port_in_use(p.number) for p in component.ports)
            else ""
        )
        return False, [*first, "-", ports, "[red]down[/red]", note]
    recorded = recorded_ports(settings.state, component)
    if recorded and recorded != tuple(p.number for p in component.ports):
        where = ", ".join(str(p) for p in recorded)
        return False, [*first, str(pid), where, "[green]up[/green]", "[yellow]other ports than configured[/yellow]"]
    health = _health(settings, component)
    ok = health == "ready" or health.startswith("200")
    shown = health if ok else f"[red]{health}[/red]"
    partitions, lag = "", ""
    if component.name in lags:  # a service: "" keys the reason the broker gave none
        partitions, lag = held.get(component.key, held.get("", "none")), lags[component.name]
    return ok, [*first, str(pid), ports, "[green]up[/green]", shown, partitions, lag]


def status(settings: StackSettings, ends: Endpoints) -> bool:
    """Print the table; True when every component of ours is up and healthy."""
    table = Table(title=f"local stack ({settings.state})" + (", highly available" if settings.ha else ""))
    for column in COLUMNS:
        table.add_column(column)
    kafka_up = any(running_pid(settings.state, broker) for broker in kafka.brokers(settings))
    lags = service_lags(settings, ends) if kafka_up else {}
    held = held_partitions(settings, ends) if kafka_up else {}
    healthy = True
    for component in [*components(settings, ends), supervisor.component(settings.supervisor_port)]:
        ok, row = _row(settings, component, held, lags)
        healthy = healthy and ok
        table.add_row(*row)
    console.print(table)
    _agency_listener(settings)
    if lags:
        _member_quotas(settings)
    return healthy


def _member_quotas(settings: StackSettings) -> None:
    """Each member's client quota, as the broker enforces it."""
    admin = KafkaUsers.load(settings.kafka_credentials).admin()
    try:
        quotas = asyncio.run(asyncio.wait_for(quotas_on(kafka.bootstrap_servers(settings), admin), 10.0))
    except Exception as error:  # status must answer whatever the broker does
        info(f"member quotas: unknown ({type(error).__name__})")
        return
    info(f"member quotas (Kafka throttles a member above them): {describe_quotas(quotas) or 'none'}")


def _agency_listener(settings: StackSettings) -> None:
    """Where agency systems connect, what they trust, and when the broker's certificate ends."""
    tls, end = stack_agency_tls(settings), certificate_end(settings.kafka_tls_dir)
    if tls is not None and end is not None:
        info(
            f"agency systems: SASL_SSL on {tls.bootstrap_servers}, trusting {tls.ca_file}; the broker's "
            f"certificate ends {end:%Y-%m-%d} (`stack up` renews it within {RENEW_BEFORE.days} days of that)"
        )
