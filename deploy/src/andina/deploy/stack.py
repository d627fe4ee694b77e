"""``andina stack up|down|status``: the whole local stack, in order, each step idempotent.

Order: prerequisites (jars, store binary, PostgreSQL and Prometheus packages, keys), Kafka,
the store (PostgreSQL when it is the backend, FerretDB), the topics, Prometheus, then the
services, since each one needs the ones before it.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping

from rich.table import Table

from andina.deploy import kafka, postgres, prometheus, services, store
from andina.deploy.console import console, done, info
from andina.deploy.kafka_quotas import describe as describe_quotas
from andina.deploy.kafka_quotas import member_quotas, quotas_on
from andina.deploy.kafka_security import SecuredKafka, secure_kafka
from andina.deploy.kafka_tls import RENEW_BEFORE, certificate_end
from andina.deploy.kafka_users import KafkaUsers
from andina.deploy.keys import generate_keys
from andina.deploy.lag_view import service_lags
from andina.deploy.processes import (
    Component,
    StackError,
    check_ports_free,
    check_same_ports,
    port_in_use,
    recorded_ports,
    running_pid,
    spawn,
    stop,
    wait_ready,
)
from andina.deploy.settings import Endpoints, StackSettings, stack_agency_tls
from andina.shared.admin import ensure_topics


def _started(
    settings: StackSettings,
    component: Component,
    argv: Callable[[], list[str]],
    ready: Callable[[], bool],
    env: Mapping[str, str] | None = None,
) -> subprocess.Popen[bytes] | None:
    """Start the component unless ours already runs; None when it was already running."""
    state = settings.state
    pid = running_pid(state, component)
    if pid is not None:
        check_same_ports(state, component)
        with console.status(f"{component.name}: running (pid {pid}), checking it is ready…"):
            wait_ready(component, state, ready, settings.ready_timeout)
        done(component.name, f"already running (pid {pid})")
        return None
    check_ports_free(component)
    return spawn(component, state, argv(), env=env, cwd=state)


def _await(
    settings: StackSettings,
    component: Component,
    process: subprocess.Popen[bytes],
    ready: Callable[[], bool],
    started: float,
) -> None:
    try:
        with console.status(f"{component.name}: waiting until it is ready…"):
            wait_ready(component, settings.state, ready, settings.ready_timeout, process)
    except StackError:
        stop(settings.state, component, timeout=10)
        raise
    ports = ", ".join(str(p.number) for p in component.ports)
    done(component.name, f"started (pid {process.pid}) on 127.0.0.1:{ports} in {time.monotonic() - started:.1f} s")


def _start(
    settings: StackSettings,
    component: Component,
    argv: Callable[[], list[str]],
    ready: Callable[[], bool],
    env: Mapping[str, str] | None = None,
) -> None:
    started = time.monotonic()
    process = _started(settings, component, argv, ready, env)
    if process is not None:
        _await(settings, component, process, ready, started)


def prerequisites(settings: StackSettings, ends: Endpoints, with_prometheus: bool) -> str | None:
    """Fetch and build what is missing; returns the prometheus binary when wanted."""
    with console.status("Kafka jars: resolving with Maven (first time only)…"):
        if kafka.ensure_jars(settings.root):
            done("Kafka jars", "resolved from Maven Central")
    with console.status("FerretDB: building with go build (first time takes a few minutes)…"):
        if store.ensure_binary(settings):
            done("FerretDB binary", f"built at {store.binary_path(settings)}")
    if settings.store_backend == "postgresql":
        with console.status("PostgreSQL: checking the Debian package…"):
            if postgres.ensure_installed()[1]:
                done("PostgreSQL", "installed from Debian's package")
    binary = None
    if with_prometheus:
        with console.status("Prometheus: checking the Debian package…"):
            binary, installed = prometheus.ensure_installed()
        if installed:
            done("Prometheus", "installed from Debian's package")
    registry = ends.andina.countries()
    keys = generate_keys(ends.keys_dir, ends.key_directory, registry.every_code, ends.andina.topics().services)
    if keys.generated:
        done("signing keys", f"generated {', '.join(keys.generated)} in {keys.keys_dir}")
    return binary


def up(settings: StackSettings, ends: Endpoints, *, with_services: bool = True, with_prometheus: bool = True) -> None:
    state = settings.state
    state.mkdir(parents=True, exist_ok=True)
    info(f"state folder {state}")
    ensure_no_foreign_ports(
        settings, components(settings, ends, with_services=with_services, with_prometheus=with_prometheus)
    )
    binary = prerequisites(settings, ends, with_prometheus)

    bootstrap, secured = _start_kafka(settings, ends)
    admin = secured.users.admin()

    for launch in store.launches(settings):
        _start(settings, launch.component, launch.argv, launch.ready)

    registry = ends.andina.topics()
    with console.status("topics: creating the missing ones…"):
        states = asyncio.run(ensure_topics(bootstrap, registry, ends.andina.countries(), auth=admin))
    created = [s.name for s in states if s.action != "exists"]
    done(
        "topics",
        f"{len(states)} topics of {registry.partitions} partitions" + (f", {len(created)} new" if created else ""),
    )

    specs = services.specs(settings, registry.services)
    if binary is not None:
        _start_prometheus(settings, binary, {s.name: s.port for s in specs})
    if with_services:
        pending = []
        started = time.monotonic()
        for spec in specs:
            component = services.component(spec)
            ready = functools.partial(services.is_ready, spec.port)
            argv = functools.partial(services.command, spec)
            env = services.environment(spec, settings, ends, secured.users)
            process = _started(settings, component, argv, ready, env=env)
            if process is not None:
                pending.append((component, process, ready))
        for component, process, ready in pending:
            _await(settings, component, process, ready, started)
    console.print(f"[bold green]stack is up[/bold green] (`andina stack status`, logs in {state / 'logs'})")


def _start_kafka(settings: StackSettings, ends: Endpoints) -> tuple[str, SecuredKafka]:
    """Kafka started (formatted the first time), then every user and ACL it lacks created."""
    props, formatted = kafka.prepare(settings)
    if formatted:
        done("Kafka storage", "formatted (KRaft, single node, SASL/SCRAM users, ACLs)")
    bootstrap = kafka.bootstrap_servers(settings)
    admin = KafkaUsers.load(settings.kafka_credentials).admin()
    ready = functools.partial(kafka.is_ready, bootstrap, auth=admin)
    _start(settings, kafka.component(settings), lambda: kafka.command(settings, props), ready)
    with console.status("Kafka users and ACLs: creating the missing ones…"):
        registry, countries = ends.andina.topics(), ends.andina.countries()
        quotas = member_quotas(list(countries.every_code), settings.agency_quota, settings.agency_quotas)
        reach = countries.programme_reach()
        secured = asyncio.run(
            secure_kafka(bootstrap, settings.kafka_credentials, registry, countries.every_code, reach, quotas)
        )
    done("Kafka users and ACLs", f"{secured.summary()}; passwords in {settings.kafka_credentials}")
    return bootstrap, secured


def _start_prometheus(settings: StackSettings, binary: str, targets: Mapping[str, int]) -> None:
    component = prometheus.component(settings)
    config_file, changed = prometheus.write_config(settings, targets)
    pid = running_pid(settings.state, component)
    if pid is not None and changed:
        os.kill(pid, signal.SIGHUP)  # reload the new scrape targets without a restart
        info("prometheus: config changed, reloaded")
    _start(
        settings,
        component,
        lambda: prometheus.command(binary, settings, config_file),
        lambda: prometheus.is_ready(settings.prometheus_port),
    )


def components(
    settings: StackSettings, ends: Endpoints, *, with_services: bool = True, with_prometheus: bool = True
) -> list[Component]:
    """Every component in start order."""
    names = ends.andina.topics().services
    return [
        kafka.component(settings),
        *(launch.component for launch in store.launches(settings)),
        *([prometheus.component(settings)] if with_prometheus else []),
        *(services.component(spec) for spec in services.specs(settings, names) if with_services),
    ]


def down(settings: StackSettings, ends: Endpoints) -> None:
    for component in reversed(components(settings, ends)):
        with console.status(f"{component.name}: stopping…"):
            pid = stop(settings.state, component, timeout=30 if component.name == "kafka" else 15)
        if pid is None:
            console.print(f"[dim]– {component.name}: not running[/dim]")
        else:
            done(component.name, f"stopped (pid {pid})")
    console.print("[bold]stack is down[/bold]")


def _health(settings: StackSettings, component: Component) -> str:
    if component.name == "kafka":
        credentials = settings.kafka_credentials
        admin = KafkaUsers.load(credentials).admin() if credentials.exists() else None
        return "ready" if kafka.is_ready(kafka.bootstrap_servers(settings), auth=admin) else "not answering"
    for launch in store.launches(settings):
        if component.name == launch.component.name:
            return "ready" if launch.ready() else "not answering"
    if component.name == "prometheus":
        return "ready" if prometheus.is_ready(settings.prometheus_port) else "not answering"
    code, body = services.health(component.port)
    if code is None:
        return f"not answering ({body})"
    try:
        checks = json.loads(body)
        return f"{code} " + " ".join(f"{k}={'ok' if v is True else v}" for k, v in checks.items())
    except (ValueError, AttributeError):
        return f"{code} {body[:60]}"


def status(settings: StackSettings, ends: Endpoints) -> bool:
    """Print the table; True when every component of ours is up and healthy."""
    table = Table(title=f"local stack ({settings.state})")
    for column in ("component", "pid", "port", "state", "health", "lag"):
        table.add_column(column)
    lags = service_lags(settings, ends) if running_pid(settings.state, kafka.component(settings)) else {}
    healthy = True
    for component in components(settings, ends):
        pid = running_pid(settings.state, component)
        ports = ", ".join(str(p.number) for p in component.ports)
        if pid is None:
            healthy = False
            held = any(port_in_use(p.number) for p in component.ports)
            note = "[yellow]port held by another process[/yellow]" if held else ""
            table.add_row(component.name, "-", ports, "[red]down[/red]", note)
            continue
        recorded = recorded_ports(settings.state, component)
        if recorded and recorded != tuple(p.number for p in component.ports):
            healthy = False
            where = ", ".join(str(p) for p in recorded)
            table.add_row(
                component.name, str(pid), where, "[green]up[/green]", "[yellow]other ports than configured[/yellow]"
            )
            continue
        health = _health(settings, component)
        ok = health == "ready" or health.startswith("200")
        healthy = healthy and ok
        shown = health if ok else f"[red]{health}[/red]"
        table.add_row(component.name, str(pid), ports, "[green]up[/green]", shown, lags.get(component.name, ""))
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


def ensure_no_foreign_ports(settings: StackSettings, components: list[Component]) -> None:
    """Fail fast, before fetching or starting anything, when a port we need is taken.

    Ours running elsewhere than configured is refused too: its clients would otherwise be
    pointed at whatever listens on the configured port.
    """
    for component in components:
        if running_pid(settings.state, component) is None:
            check_ports_free(component)
        else:
            check_same_ports(settings.state, component)
