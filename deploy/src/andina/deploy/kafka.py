"""Kafka (KRaft, each node a combined broker and controller) from the official jars: one node,
or three in the highly available profile (topics replicated on three, two in sync).

The jars come from Maven Central through deploy/kafka/pom.xml; the properties are
rendered from deploy/kafka/server.properties with the configured ports, data folder, the
admin user's password and the TLS listener's keystore. Clients authenticate with SASL/SCRAM,
on the plain listener (the stack's own services, on loopback) or the TLS one (agency
systems); the admin user is created when the storage is formatted, every other one by
``andina stack up``.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient

from andina.contract.kafka_auth import KafkaAuth, client_options
from andina.deploy.kafka_tls import BrokerTls, ensure_broker_tls
from andina.deploy.kafka_users import ADMIN, AgencyListener, KafkaUsers, scram_format_argument
from andina.deploy.processes import Component, Port, StackError
from andina.deploy.settings import StackSettings

MAIN_CLASS = "kafka.Kafka"


def kafka_dir(root: Path) -> Path:
    return root / "deploy" / "kafka"


def component(settings: StackSettings, node: int = 1) -> Component:
    """Broker ``node`` (from 1; the highly available profile runs 3), on its ports."""
    ports = (
        (settings.kafka_port, "ANDINA_STACK_KAFKA_PORT", "client listener"),
        (settings.kafka_tls_port, "ANDINA_STACK_KAFKA_TLS_PORT", "TLS client listener"),
        (settings.kafka_controller_port, "ANDINA_STACK_KAFKA_CONTROLLER_PORT", "controller listener"),
    )
    broker = Component(
        name="kafka",
        ports=tuple(Port(settings.shifted(number, node), env, purpose) for number, env, purpose in ports),
        marker=MAIN_CLASS,
        instance=node,
    )
    return replace(broker, logs=(settings.state / "logs" / broker.key / "server.log",))


def brokers(settings: StackSettings) -> list[Component]:
    return [component(settings, node) for node in range(1, settings.brokers + 1)]


@dataclass(frozen=True, slots=True)
class Listeners:
    port: int
    tls_port: int
    controller_port: int
    node: int = 1
    voters: tuple[int, ...] = ()  # every controller's port, node 1 first; this one alone if empty

    @property
    def quorum(self) -> str:
        return ",".join(f"{n}@127.0.0.1:{port}" for n, port in enumerate(self.voters or (self.controller_port,), 1))


# A killed broker's partitions stay without a leader (and its replicas in every ISR, holding up
# acks=all writes) until the controller fences it, one session after its last heartbeat: 9 s
# by default, after which answers had stopped for 16-17 s. A broker heartbeats every 0.5 s.
FAST_FENCING = {"broker.session.timeout.ms": "3000", "broker.heartbeat.interval.ms": "500"}


def replication(brokers: int) -> dict[str, str]:
    """With several brokers, every topic (internal ones too) on up to 3 of them, a write acknowledged
    by 2 (producers ask for ``acks=all``), no out-of-sync replica ever elected leader, and a dead
    broker fenced within seconds."""
    if brokers <= 1:  # a single voter, whose quorum lists none
        return {}
    copies, in_sync = str(min(brokers, 3)), str(min(brokers, 3) - 1)
    return {
        "default.replication.factor": copies,
        "min.insync.replicas": in_sync,
        "offsets.topic.replication.factor": copies,
        "transaction.state.log.replication.factor": copies,
        "transaction.state.log.min.isr": in_sync,
        "share.coordinator.state.topic.replication.factor": copies,
        "share.coordinator.state.topic.min.isr": in_sync,
        "unclean.leader.election.enable": "false",
        **FAST_FENCING,
    }


def render_properties(
    template: str, *, listeners: Listeners, log_dir: Path, admin_password: str, tls: BrokerTls
) -> str:
    """The template with the listeners, the quorum, ``log.dirs``, the admin's login and the keystore set."""
    scram = "org.apache.kafka.common.security.scram.ScramLoginModule"
    plain = "org.apache.kafka.common.security.plain.PlainLoginModule"
    admin = f'username="{ADMIN}" password="{admin_password}"'
    clients = f"SASL_PLAINTEXT://127.0.0.1:{listeners.port},SASL_SSL://127.0.0.1:{listeners.tls_port}"
    overrides = {
        "node.id": str(listeners.node),
        "listeners": f"{clients},CONTROLLER://127.0.0.1:{listeners.controller_port}",
        "advertised.listeners": clients,
        "controller.quorum.voters": listeners.quorum,
        "log.dirs": str(log_dir),
        # The broker logs in as admin on every listener; the controller listener knows only admin.
        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config": f"{scram} required {admin};",
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config": f"{scram} required {admin};",
        "listener.name.sasl_ssl.ssl.keystore.location": str(tls.keystore),
        "listener.name.sasl_ssl.ssl.keystore.password": tls.password,
        "listener.name.controller.plain.sasl.jaas.config": (
            f'{plain} required {admin} user_{ADMIN}="{admin_password}";'
        ),
        **replication(len(listeners.voters)),
    }
    lines: list[str] = []
    for line in template.splitlines():
        key = line.split("=", 1)[0].strip() if "=" in line and not line.lstrip().startswith("#") else None
        if key in overrides:
            lines.append(f"{key}={overrides.pop(key)}")
        else:
            lines.append(line)
    lines.extend(f"{key}={value}" for key, value in overrides.items())
    return "\n".join(lines) + "\n"


def _require(tool: str, hint: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise StackError(f"`{tool}` is not installed: {hint}")
    return path


def ensure_jars(root: Path) -> bool:
    """Resolve the broker jars with Maven when missing; True when it had to."""
    lib = kafka_dir(root) / "lib"
    if any(lib.glob("kafka_2.13-*.jar")):
        return False
    mvn = _require("mvn", "install Maven and a JDK (Debian: apt-get install maven default-jdk-headless)")
    result = subprocess.run(
        [mvn, "-q", "-B", "-f", str(kafka_dir(root) / "pom.xml"), "dependency:copy-dependencies"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not any(lib.glob("kafka_2.13-*.jar")):
        raise StackError(f"resolving the Kafka jars with Maven failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return True


def _java_argv(settings: StackSettings, main: str, *args: str, node: int = 1) -> list[str]:
    java = _require("java", "install a JDK 17 or newer (Debian: apt-get install default-jdk-headless)")
    root = settings.root
    return [
        java,
        f"-Xmx{settings.kafka_heap}",
        "-Xms128m",
        "-Djava.awt.headless=true",
        f"-Dlog4j2.configurationFile={kafka_dir(root) / 'log4j2.properties'}",
        f"-Dkafka.logs.dir={component(settings, node).logs[0].parent}",
        "-cp",
        str(kafka_dir(root) / "lib" / "*"),
        main,
        *args,
    ]


def _run_tool(settings: StackSettings, *args: str) -> str:
    argv = _java_argv(settings, "kafka.tools.StorageTool", *args)
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise StackError(f"kafka StorageTool {args[0]} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return result.stdout.strip()


def bootstrap_servers(settings: StackSettings) -> str:
    return settings.bootstrap_servers


def node_dir(settings: StackSettings, node: int) -> Path:
    """Broker ``node``'s properties and data; broker 1's is the single-node profile's."""
    return settings.state / component(settings, node).key


def prepare(settings: StackSettings, node: int = 1) -> tuple[Path, bool]:
    """Write broker ``node``'s properties and format its storage once; returns (properties, formatted now)."""
    state = node_dir(settings, node)
    data = state / "data"
    credentials = settings.kafka_credentials
    if (data / "meta.properties").exists() and not credentials.exists():
        raise StackError(
            f"the Kafka data in {data} was formatted before the stack required SASL/SCRAM and has no "
            f"users: run `andina stack down`, remove {data} (its topics and records go with it), "
            "then `andina stack up` again"
        )
    _check_profile(settings, data)
    state.mkdir(parents=True, exist_ok=True)
    component(settings, node).logs[0].parent.mkdir(parents=True, exist_ok=True)
    tls, _ = ensure_broker_tls(settings.kafka_tls_dir)
    agencies = AgencyListener(settings.on_every_broker(settings.kafka_tls_port), str(tls.ca_file))
    users, _ = KafkaUsers.ensure(credentials, bootstrap_servers(settings), [ADMIN], agencies)
    admin_password = users.passwords[ADMIN]
    props = state / "server.properties"
    template = (kafka_dir(settings.root) / "server.properties").read_text()
    props.touch()
    props.chmod(0o600)  # it holds the admin's and the keystore's passwords
    voters = tuple(b.ports[2].number for b in brokers(settings)) if settings.brokers > 1 else ()
    client, tls_client, controller = (p.number for p in component(settings, node).ports)
    listeners = Listeners(client, tls_client, controller, node=node, voters=voters)
    props.write_text(
        render_properties(template, listeners=listeners, log_dir=data, admin_password=admin_password, tls=tls)
    )
    cluster_file = settings.state / "kafka" / "cluster-id"  # one cluster: every broker formats with it
    cluster_file.parent.mkdir(parents=True, exist_ok=True)
    if not cluster_file.exists():
        cluster_file.write_text(_run_tool(settings, "random-uuid").splitlines()[-1].strip() + "\n")
    if (data / "meta.properties").exists():
        return props, False
    cluster = cluster_file.read_text().strip()
    _run_tool(
        settings, "format", "-t", cluster, "-c", str(props), "--add-scram", scram_format_argument(ADMIN, admin_password)
    )
    (settings.state / "kafka" / "brokers").write_text(f"{settings.brokers}\n")
    return props, True


def formatted_brokers(settings: StackSettings) -> int:
    """How many brokers the state folder's Kafka was formatted for (1 when not formatted yet)."""
    recorded = settings.state / "kafka" / "brokers"
    return int(recorded.read_text()) if recorded.exists() else 1


def _check_profile(settings: StackSettings, data: Path) -> None:
    """A quorum formatted for one broker cannot be joined by two more, nor the reverse."""
    formatted = formatted_brokers(settings)
    if (data / "meta.properties").exists() and formatted != settings.brokers:
        raise StackError(
            f"the Kafka data in {settings.state} is of a stack of {formatted} broker(s), not {settings.brokers}: "
            "use another ANDINA_STACK_STATE_DIR for the other profile (or run `andina stack down` and remove "
            f"{settings.state / 'kafka'}*)"
        )


def command(settings: StackSettings, props: Path, node: int = 1) -> list[str]:
    return _java_argv(settings, MAIN_CLASS, str(props), node=node)


async def _metadata(bootstrap: str, limit: float, auth: KafkaAuth | None) -> bool:
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap, request_timeout_ms=int(limit * 1000), **client_options(auth)
    )
    try:
        await asyncio.wait_for(admin.start(), limit)
        cluster = await asyncio.wait_for(admin.describe_cluster(), limit)
        return bool(cluster.get("brokers"))
    except Exception:  # not reachable yet, or still electing its controller
        return False
    finally:
        with contextlib.suppress(Exception):
            await admin.close()


def is_ready(bootstrap: str, timeout: float = 3.0, auth: KafkaAuth | None = None) -> bool:
    """True when the broker answers ``auth``'s metadata request and lists itself."""
    return asyncio.run(_metadata(bootstrap, timeout, auth))
