"""Settings from the environment (prefix ``ANDINA_``), shared by every service."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from andina.shared.countries import CountryRegistry
from andina.shared.topics import TopicRegistry


class AndinaSettings(BaseSettings):
    """What every service reads at start. Each service subclasses it for its own options."""

    model_config = SettingsConfigDict(env_prefix="ANDINA_", extra="ignore")

    kafka_bootstrap_servers: str = Field("127.0.0.1:9092", description="Kafka bootstrap servers, comma separated")
    mongo_url: str = Field("mongodb://127.0.0.1:27017/", description="MongoDB (or FerretDB) connection string")
    database_prefix: str = Field("andina_", description="each service's database is <prefix><service>")
    http_host: str = Field("127.0.0.1", description="address of the /metrics and /health endpoint")
    http_port: int = Field(8000, description="port of the /metrics and /health endpoint")
    keys_dir: Path = Field(Path(".stack/keys"), description="folder of private signing keys (<signer>.key)")
    key_directory: Path = Field(Path(".stack/keys/directory.json"), description="public-key directory of every signer")
    countries_file: Path | None = Field(None, description="country registry JSON; the packaged one if unset")
    topics_file: Path | None = Field(None, description="topic registry JSON; the packaged one if unset")
    topic_namespace: str | None = Field(None, description="first part of every topic name; the registry's if unset")
    max_event_bytes: int = Field(262_144, description="events larger than this go to the dead-letter topic")
    max_batch: int = Field(500, description="records handled per poll before one offset commit")
    poll_timeout_ms: int = Field(
        10, description="longest wait for records in one poll; an empty poll then waits as long again"
    )
    timer_poll_seconds: float = Field(1.0, description="how often due escalations, reminders and deadlines are fired")
    log_level: str = Field("INFO", description="DEBUG, INFO, WARNING or ERROR")
    log_json: bool = Field(True, description="JSON log lines (false: human-readable console lines)")

    def countries(self) -> CountryRegistry:
        return CountryRegistry.load(self.countries_file)

    def topics(self) -> TopicRegistry:
        registry = TopicRegistry.load(self.topics_file)
        if self.topic_namespace:
            registry = dataclasses.replace(registry, namespace=self.topic_namespace)
        return registry
