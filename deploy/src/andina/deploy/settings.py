"""Settings of the local stack (prefix ``ANDINA_STACK_``) and where its files live.

The stack's ports are its own settings so that a second stack (a test run, CI) can sit
beside a running one. The services' own ``ANDINA_`` settings win where they are set
explicitly (keys, broker address), so the same commands work inside docker-compose.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from andina.contract.client import AgencyClient, PartitionReader
from andina.contract.kafka_auth import KafkaAuth
from andina.contract.sealing import DeliveryOpener
from andina.contract.signing import KeyDirectory, SignerKey
from andina.deploy.kafka_quotas import Quota
from andina.deploy.kafka_tls import CA_FILE
from andina.deploy.kafka_users import KafkaUsers
from andina.shared.settings import AndinaSettings

StoreBackend = Literal["sqlite", "postgresql"]


def find_repo_root() -> Path:
    """The checkout this package is installed from (editable install), else the working folder.

    deploy/src/andina/deploy/settings.py -> parents[4] is the repository root.
    """
    override = os.environ.get("ANDINA_STACK_ROOT")
    if override:
        return Path(override).resolve()
    candidate = Path(__file__).resolve().parents[4]
    if (candidate / "deploy" / "kafka" / "pom.xml").exists():
        return candidate
    return Path.cwd().resolve()


class StackSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ANDINA_STACK_", extra="ignore")

    root: Path = Field(default_factory=find_repo_root, description="repository root (deploy/ is under it)")
    state_dir: Path | None = Field(None, description="pids, logs, data and keys; <root>/.stack if unset")
    kafka_port: int = Field(9092, description="Kafka client listener on 127.0.0.1")
    kafka_tls_port: int = Field(9094, description="Kafka client listener with TLS (SASL_SSL) on 127.0.0.1")
    kafka_controller_port: int = Field(9093, description="Kafka KRaft controller listener on 127.0.0.1")
    kafka_heap: str = Field("768m", description="Kafka JVM maximum heap (-Xmx)")
    mongo_port: int = Field(27017, description="FerretDB (MongoDB wire protocol) on 127.0.0.1")
    store_backend: StoreBackend = Field(
        "sqlite",
        description=(
            "where FerretDB keeps the documents: sqlite (files in the state folder) or postgresql "
            "(a PostgreSQL cluster from Debian's package, in the state folder, started by the stack)"
        ),
    )
    postgres_port: int = Field(5432, description="PostgreSQL under FerretDB on 127.0.0.1 (store_backend=postgresql)")
    prometheus_port: int = Field(9090, description="Prometheus UI and API on 127.0.0.1")
    alerts_port: int = Field(8101, description="alerts service /health and /metrics")
    intel_exchange_port: int = Field(8102, description="intel-exchange service /health and /metrics")
    customs_port: int = Field(8103, description="customs service /health and /metrics")
    finance_trace_port: int = Field(8104, description="finance-trace service /health and /metrics")
    agency_quota: Quota = Field(
        default_factory=Quota,
        description=(
            "each member's Kafka client quota, set on its agency user by stack up (JSON:"
            ' {"producer_byte_rate": bytes/s, "request_percentage": percent of a broker thread})'
        ),
    )
    agency_quotas: dict[str, Quota] = Field(
        default_factory=dict,
        description='members with a quota of their own (JSON: {"PE": {...}}); the rest get agency_quota',
    )
    ha: bool = Field(
        False,
        description=(
            "highly available profile (`stack up --ha`): 3 Kafka brokers, every topic replicated on 3 with"
            " 2 in sync, and 2 instances of every service; the default runs one of each"
        ),
    )
    port_step: int = Field(
        10,
        description=(
            "in the highly available profile, broker n's ports and service instance n's port are the"
            " configured ones plus (n-1) times this"
        ),
    )
    supervisor_port: int = Field(
        8100, description="the stack's supervisor /metrics (its restarts of crashed processes)"
    )
    ready_timeout: float = Field(120.0, description="seconds each component may take to become ready")
    kafka_credentials_file: Path | None = Field(
        None,
        description="Kafka users and passwords (JSON, written by stack up); <state>/kafka/credentials.json if unset",
    )

    @property
    def state(self) -> Path:
        return (self.state_dir or self.root / ".stack").resolve()

    @property
    def brokers(self) -> int:
        return 3 if self.ha else 1

    @property
    def instances(self) -> int:
        """Instances of every service, in one consumer group."""
        return 2 if self.ha else 1

    def shifted(self, port: int, number: int) -> int:
        """Broker or instance ``number``'s (from 1) port, given the first one's."""
        return port + (number - 1) * self.port_step

    def on_every_broker(self, port: int) -> str:
        """A listener's loopback addresses on every broker, given broker 1's port."""
        return ",".join(f"127.0.0.1:{self.shifted(port, n)}" for n in range(1, self.brokers + 1))

    @property
    def bootstrap_servers(self) -> str:
        return self.on_every_broker(self.kafka_port)

    @property
    def kafka_tls_dir(self) -> Path:
        """The TLS listener's authority and keystore; clients trust its ``ca.pem``."""
        return self.state / "kafka" / "tls"

    @property
    def kafka_credentials(self) -> Path:
        return (self.kafka_credentials_file or self.state / "kafka" / "credentials.json").resolve()

    def service_port(self, service: str) -> int:
        port = getattr(self, f"{service.replace('-', '_')}_port", None)
        if not isinstance(port, int):
            raise KeyError(f"no port setting for service {service!r}")
        return port

    @staticmethod
    def service_port_env(service: str) -> str:
        return f"ANDINA_STACK_{service.replace('-', '_').upper()}_PORT"


@dataclass(frozen=True, slots=True)
class AgencyTls:
    """The stack's TLS listener, where agency systems connect, and the authority its certificate chains to."""

    bootstrap_servers: str
    ca_file: Path


def stack_agency_tls(stack: StackSettings) -> AgencyTls | None:
    """The stack's TLS listener once ``stack up`` has made its authority, else None."""
    ca_file = stack.kafka_tls_dir / CA_FILE
    return AgencyTls(stack.on_every_broker(stack.kafka_tls_port), ca_file) if ca_file.exists() else None


@dataclass(frozen=True, slots=True)
class Endpoints:
    """Where the commands find the broker, the store and the keys, and as whom they log in to Kafka.

    With the stack's users (``kafka_users``), operator commands log in as admin and act for a
    country as that country's user, over the stack's TLS listener when it has one (``agency_tls``),
    as an agency system does; without, every client uses the ``ANDINA_KAFKA_*`` settings.
    """

    bootstrap_servers: str
    mongo_url: str
    keys_dir: Path
    key_directory: Path
    andina: AndinaSettings
    kafka_users: KafkaUsers | None = None
    agency_tls: AgencyTls | None = None

    def admin_auth(self) -> KafkaAuth:
        return self.kafka_users.admin() if self.kafka_users else self.andina.kafka_auth()

    def country_login(self, country: str) -> tuple[str, KafkaAuth]:
        """Where ``country``'s agency systems connect, and as whom."""
        if self.kafka_users is None:
            return self.bootstrap_servers, self.andina.kafka_auth()
        auth = self.kafka_users.country(country)
        if self.agency_tls is None:
            return self.bootstrap_servers, auth
        return self.agency_tls.bootstrap_servers, auth.over_tls(self.agency_tls.ca_file)

    def country_reader(self, country: str, topic: str, partition: int) -> PartitionReader:
        """A partition read as ``country``'s agency system reads it."""
        bootstrap, auth = self.country_login(country)
        return PartitionReader(bootstrap, topic, partition, auth=auth)

    def opener(self, country: str) -> DeliveryOpener:
        """What ``country``'s agency system opens its deliveries with (its key from ``keys_dir``)."""
        return DeliveryOpener.load(self.keys_dir, country, KeyDirectory.load(self.key_directory))

    def agency_client(self, country: str, agency: str = "policia") -> AgencyClient:
        """An agency of ``country``: signing with the country's key, logged in to Kafka as its user."""
        key = SignerKey.load(self.keys_dir, country)
        countries, topics = self.andina.countries(), self.andina.topics()
        bootstrap, auth = self.country_login(country)
        return AgencyClient(bootstrap, key, countries, topics, agency, auth=auth)


def endpoints(stack: StackSettings | None = None, andina: AndinaSettings | None = None) -> Endpoints:
    """The stack's addresses, unless the ``ANDINA_`` variables name others explicitly (both
    settings read from the environment when not given)."""
    stack = stack or StackSettings()
    andina = andina or AndinaSettings()
    explicit = andina.model_fields_set
    keys_dir = andina.keys_dir if "keys_dir" in explicit else stack.state / "keys"
    key_directory = andina.key_directory if "key_directory" in explicit else keys_dir / "directory.json"
    bootstrap = andina.kafka_bootstrap_servers if "kafka_bootstrap_servers" in explicit else stack.bootstrap_servers
    users = None if "kafka_username" in explicit else stack_users_of(stack, bootstrap)
    return Endpoints(
        bootstrap_servers=bootstrap,
        mongo_url=andina.mongo_url if "mongo_url" in explicit else f"mongodb://127.0.0.1:{stack.mongo_port}/",
        keys_dir=keys_dir.resolve(),
        key_directory=key_directory.resolve(),
        andina=andina,
        kafka_users=users,
        agency_tls=stack_agency_tls(stack) if users else None,
    )


def stack_users_of(stack: StackSettings, bootstrap: str) -> KafkaUsers | None:
    """The stack's Kafka users when its credentials file exists and is for this broker."""
    if not stack.kafka_credentials.exists():
        return None
    users = KafkaUsers.load(stack.kafka_credentials)
    return users if users.bootstrap_servers == bootstrap else None
