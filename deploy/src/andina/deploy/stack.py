"""``andina stack up|down``: the whole local stack, in order, each step idempotent.

Order: prerequisites (jars, store binary, PostgreSQL and Prometheus packages, keys), Kafka (one
broker, or three in the highly available profile), the store (PostgreSQL when it is the backend,
FerretDB), the topics, Prometheus, the services (one or two instances each), then the supervisor
that restarts any of them that exits, since each one needs the ones before it.
"""

from __future__ import annotations

import asyncio
import functools
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import replace

from andina.deploy import kafka, postgres, prometheus, services, store, supervisor
from andina.deploy.console import console, done, info
from andina.deploy.kafka_quotas import member_quotas, write_quotas
from andina.deploy.kafka_security import SecuredKafka, secure_kafka
from andina.deploy.kafka_users import KafkaUsers
from andina.deploy.keys import generate_keys
from andina.deploy.processes import (
    Component,
    StackError,
    check_ports_free,
    check_same_ports,
    log_path,
    running_pid,
    spawn,
    stop,
    stop_together,
    wait_ready,
)
from andina.deploy.settings import Endpoints, StackSettings
from andina.deploy.supervisor import Supervised
from andina.shared.admin import ensure_topics


def _started(settings: StackSettings, entry: Supervised, ready: Callable[[], bool]) -> subprocess.Popen[bytes] | None:
    """Start the component unless ours already runs; None when it was already running."""
    state, component = settings.state, entry.component
    pid = running_pid(state, component)
    if pid is not None:
        check_same_ports(state, component)
        with console.status(f"{component.key}: running (pid {pid}), checking it is ready…"):
            wait_ready(component, state, ready, settings.ready_timeout)
        done(component.key, f"already running (pid {pid})")
        return None
    check_ports_free(component)
    return spawn(component, state, entry.argv, env=entry.env, cwd=state)


def _await(
    settings: StackSettings,
    component: Component,
    process: subprocess.Popen[bytes],
    ready: Callable[[], bool],
    started: float,
) -> None:
    try:
        with console.status(f"{component.key}: waiting until it is ready…"):
            wait_ready(component, settings.state, ready, settings.ready_timeout, process)
    except StackError:
        stop(settings.state, component, timeout=10)
        raise
    ports = ", ".join(str(p.number) for p in component.ports)
    done(component.key, f"started (pid {process.pid}) on 127.0.0.1:{ports} in {time.monotonic() - started:.1f} s")


def _start_together(settings: StackSettings, entries: list[tuple[Supervised, Callable[[], bool]]]) -> None:
    """Start every one that is not running, then wait until each is ready (a quorum needs its peers)."""
    pending = []
    started = time.monotonic()
    for entry, ready in entries:
        process = _started(settings, entry, ready)
        if process is not None:
            pending.append((entry.component, process, ready))
    for component, process, ready in pending:
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


def up(
    settings: StackSettings,
    ends: Endpoints,
    *,
    with_services: bool = True,
    with_prometheus: bool = True,
    supervised: bool = True,
) -> None:
    """Start what is not running; with ``supervised``, the supervisor last, restarting whatever exits."""
    state = settings.state
    state.mkdir(parents=True, exist_ok=True)
    info(f"state folder {state}" + (" (highly available profile)" if settings.ha else ""))
    wanted = components(settings, ends, with_services=with_services, with_prometheus=with_prometheus)
    ensure_no_foreign_ports(
        settings, [*wanted, *([supervisor.component(settings.supervisor_port)] if supervised else [])]
    )
    binary = prerequisites(settings, ends, with_prometheus)
    # What this run starts is not to be started a second time by the supervisor meanwhile; it
    # comes back at the end with the new plan.
    stop(state, supervisor.component(settings.supervisor_port))

    plan, secured = _start_kafka(settings, ends)
    admin = secured.users.admin()

    for launch in store.launches(settings):
        entry = Supervised(launch.component, launch.argv())
        _start_together(settings, [(entry, launch.ready)])
        plan.append(entry)

    registry = ends.andina.topics()
    with console.status("topics: creating the missing ones…"):
        copies = min(settings.brokers, 3)
        states = asyncio.run(
            ensure_topics(settings.bootstrap_servers, registry, ends.andina.countries(), auth=admin, replication=copies)
        )
    created = [s.name for s in states if s.action != "exists"]
    done(
        "topics",
        f"{len(states)} topics of {registry.partitions} partitions, each on {copies} broker(s)"
        + (f", {len(created)} new" if created else ""),
    )

    specs = services.specs(settings, registry.services)
    if binary is not None:
        plan.append(_start_prometheus(settings, binary, specs, supervised))
    if with_services:
        instances = [
            Supervised(
                services.component(spec),
                services.command(spec),
                services.environment(spec, settings, ends, secured.users),
            )
            for spec in specs
        ]
        _start_together(
            settings, [(entry, functools.partial(services.is_ready, entry.component.port)) for entry in instances]
        )
        plan += instances
    if supervised:
        _supervise(settings, plan)
    console.print(f"[bold green]stack is up[/bold green] (`andina stack status`, logs in {state / 'logs'})")


def _start_kafka(settings: StackSettings, ends: Endpoints) -> tuple[list[Supervised], SecuredKafka]:
    """Every broker started (formatted the first time), then every user and ACL it lacks created."""
    brokers = []
    for broker in kafka.brokers(settings):
        props, formatted = kafka.prepare(settings, broker.instance)
        if formatted:
            done(f"{broker.key} storage", f"formatted (KRaft, {settings.brokers} node(s), SASL/SCRAM users, ACLs)")
        brokers.append(Supervised(broker, kafka.command(settings, props, broker.instance)))
    bootstrap = kafka.bootstrap_servers(settings)
    admin = KafkaUsers.load(settings.kafka_credentials).admin()
    _start_together(
        settings,
        [
            (entry, functools.partial(kafka.is_ready, f"127.0.0.1:{entry.component.port}", auth=admin))
            for entry in brokers
        ],
    )
    with console.status("Kafka users and ACLs: creating the missing ones…"):
        registry, countries = ends.andina.topics(), ends.andina.countries()
        quotas = member_quotas(list(countries.every_code), settings.agency_quota, settings.agency_quotas)
        write_quotas(settings.state, quotas)
        reach = countries.programme_reach()
        secured = asyncio.run(
            secure_kafka(bootstrap, settings.kafka_credentials, registry, countries.every_code, reach, quotas)
        )
    done("Kafka users and ACLs", f"{secured.summary()}; passwords in {settings.kafka_credentials}")
    return brokers, secured


def _start_prometheus(
    settings: StackSettings, binary: str, specs: list[services.ServiceSpec], supervised: bool
) -> Supervised:
    component = prometheus.component(settings)
    targets: dict[str, list[int]] = {}
    for spec in specs:
        targets.setdefault(spec.name, []).append(spec.port)
    config_file, changed = prometheus.write_config(settings, targets, settings.supervisor_port if supervised else None)
    pid = running_pid(settings.state, component)
    if pid is not None and changed:
        os.kill(pid, signal.SIGHUP)  # reload the new scrape targets without a restart
        info("prometheus: config changed, reloaded")
    entry = Supervised(component, prometheus.command(binary, settings, config_file))
    _start_together(settings, [(entry, lambda: prometheus.is_ready(settings.prometheus_port))])
    return entry


def _supervise(settings: StackSettings, plan: list[Supervised]) -> None:
    state = settings.state
    plan = [replace(entry, cwd=str(state)) for entry in plan]
    supervisor.write_plan(state, plan)
    watcher = Supervised(
        supervisor.component(settings.supervisor_port), supervisor.command(state, settings.supervisor_port)
    )
    _start_together(settings, [(watcher, lambda: supervisor.is_ready(settings.supervisor_port))])
    info(f"supervisor: restarts any of the {len(plan)} processes that exits (its log: {log_path(state, 'supervisor')})")


def components(
    settings: StackSettings, ends: Endpoints, *, with_services: bool = True, with_prometheus: bool = True
) -> list[Component]:
    """Every component in start order (the supervisor aside)."""
    names = ends.andina.topics().services
    return [
        *kafka.brokers(settings),
        *(launch.component for launch in store.launches(settings)),
        *([prometheus.component(settings)] if with_prometheus else []),
        *(services.component(spec) for spec in services.specs(settings, names) if with_services),
    ]


def down(settings: StackSettings, ends: Endpoints) -> None:
    """The supervisor first, so that nothing stopped here is started again; then services first, Kafka last."""
    brokers = kafka.brokers(settings)
    others = [c for c in components(settings, ends) if c not in brokers]
    for component in [supervisor.component(settings.supervisor_port), *reversed(others)]:
        with console.status(f"{component.key}: stopping…"):
            _stopped(component, stop(settings.state, component, timeout=15))
    with console.status("Kafka: stopping every broker…"):
        for broker, pid in zip(brokers, stop_together(settings.state, brokers, timeout=30), strict=True):
            _stopped(broker, pid)
    console.print("[bold]stack is down[/bold]")


def _stopped(component: Component, pid: int | None) -> None:
    if pid is None:
        console.print(f"[dim]– {component.key}: not running[/dim]")
    else:
        done(component.key, f"stopped (pid {pid})")


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
