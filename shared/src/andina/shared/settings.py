"""Settings from the environment (prefix ``ANDINA_``), shared by every service."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from andina.contract.countries import CountryRegistry
from andina.contract.kafka_auth import KafkaAuth
from andina.contract.topics import TopicRegistry


class AndinaSettings(BaseSettings):
    """What every service reads at start. Each service subclasses it for its own options."""

    model_config = SettingsConfigDict(env_prefix="ANDINA_", extra="ignore")

    kafka_bootstrap_servers: str = Field("127.0.0.1:9092", description="Kafka bootstrap servers, comma separated")
    kafka_security_protocol: Literal["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        "PLAINTEXT", description="PLAINTEXT (no authentication), SASL_PLAINTEXT or SASL_SSL"
    )
    kafka_sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256"] = Field(
        "SCRAM-SHA-512", description="SASL mechanism when the protocol is SASL_*"
    )
    kafka_username: str | None = Field(None, description="SASL user: svc-<service>, agency-<cc> or admin")
    kafka_password: SecretStr | None = Field(None, description="that user's SASL password")
    kafka_ssl_cafile: Path | None = Field(
        None,
        description="on SASL_SSL, the authorities (PEM) the broker's certificate must chain to; the system's if unset",
    )
    mongo_url: str = Field("mongodb://127.0.0.1:27017/", description="MongoDB (or FerretDB) connection string")
    database_prefix: str = Field("andina_", description="each service's database is <prefix><service>")
    http_host: str = Field(
        "127.0.0.1",
        description=(
            "address of the HTTP endpoint: /metrics and /health for operators, POST /validate for agencies"
            " (offer it alone through a reverse proxy: docs/operations.md)"
        ),
    )
    http_port: int = Field(8000, description="port of the HTTP endpoint (/metrics, /health, POST /validate)")
    instance: str = Field(
        "",
        description=(
            "this process among its service's instances, e.g. alerts-2 (set by the stack): its Kafka client id"
            " is andina-<instance>, so the consumer group's description tells instances apart"
        ),
    )
    keys_dir: Path = Field(Path(".stack/keys"), description="folder of private signing keys (<signer>.key)")
    key_directory: Path = Field(Path(".stack/keys/directory.json"), description="public-key directory of every signer")
    countries_file: Path | None = Field(None, description="country registry JSON; the packaged one if unset")
    topics_file: Path | None = Field(None, description="topic registry JSON; the packaged one if unset")
    topic_namespace: str | None = Field(None, description="first part of every topic name; the registry's if unset")
    max_event_bytes: int = Field(262_144, description="events larger than this go to the dead-letter topic")
    max_event_age_hours: float = Field(
        72.0, description="older events are refused as stale: a replay the inbox may no longer remember"
    )
    max_clock_skew_seconds: float = Field(300.0, description="events dated further ahead are refused as stale")
    max_batch: int = Field(500, description="most records handled as one batch (one inbox claim, one offset commit)")
    poll_timeout_ms: int = Field(
        10, description="longest wait for records in one poll; an empty poll then waits as long again"
    )
    fetch_max_wait_ms: int = Field(
        500,
        description=(
            "longest the broker holds a fetch when no partition has new records; it returns as soon as"
            " one has, so this adds no latency, and shorter costs idle CPU (fetches every so often)"
        ),
    )
    chunk_records: int = Field(
        64,
        description=(
            "records handled at once while several members' partitions have records waiting (each its"
            " share in turn), and in a service with urgent events (alerts) always: one member's flood then"
            " delays another's events by one chunk at most (an urgent event of another member is handled"
            " beside the chunk under way)"
        ),
    )
    late_arrival_ms: int = Field(
        4,
        description=(
            "after taking a batch, how long to wait for the records that reached the broker while the"
            " previous one was handled, so that they are handled now and not a batch later (0: off)"
        ),
    )
    consumer_session_timeout_ms: int = Field(
        6000,
        description=(
            "how long the group waits for a silent instance before its partitions go to the others: a killed"
            " instance's partitions are served again about this long plus one heartbeat after the kill"
            " (the broker's group.min.session.timeout.ms, 6 s by default, is the floor)"
        ),
    )
    consumer_heartbeat_interval_ms: int = Field(
        1000,
        description="how often an instance tells the group it lives and hears of a rebalance (a third of the above)",
    )
    kafka_group_instance_id: str | None = Field(
        None,
        description=(
            "static membership: a stable name per instance (e.g. intel-exchange-1); restarted within the session"
            " timeout, it gets its partitions back without a rebalance of the others. Unset: dynamic membership"
        ),
    )
    changelog_snapshot_seconds: float = Field(
        300.0, description="how often an instance writes a snapshot of its changelog state to the store, if it changed"
    )
    changelog_image_dir: str = Field(
        "",
        description=(
            "a folder on the instance's disk for images of what a changelog table built (intel-exchange's screening"
            " index), written with each snapshot and loaded first at start; empty: none, the start builds it"
        ),
    )
    lag_sample_seconds: float = Field(
        5.0, description="how often the consumer group's lag is read from the broker (andina_consumer_lag_*)"
    )
    timer_poll_seconds: float = Field(1.0, description="how often due escalations, reminders and deadlines are fired")
    retry_initial_seconds: float = Field(
        0.5, description="first wait before retrying a step the broker or the store failed (then doubling)"
    )
    retry_max_seconds: float = Field(30.0, description="longest wait between retries while a dependency is down")
    log_level: str = Field("INFO", description="DEBUG, INFO, WARNING or ERROR")
    log_json: bool = Field(True, description="JSON log lines (false: human-readable console lines)")

    def kafka_auth(self) -> KafkaAuth:
        password = self.kafka_password.get_secret_value() if self.kafka_password else None
        cafile = str(self.kafka_ssl_cafile) if self.kafka_ssl_cafile else None
        return KafkaAuth(self.kafka_security_protocol, self.kafka_sasl_mechanism, self.kafka_username, password, cafile)

    def countries(self) -> CountryRegistry:
        return CountryRegistry.load(self.countries_file)

    def topics(self) -> TopicRegistry:
        registry = TopicRegistry.load(self.topics_file)
        if self.topic_namespace:
            registry = dataclasses.replace(registry, namespace=self.topic_namespace)
        return registry
