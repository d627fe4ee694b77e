"""The published contract: one AsyncAPI document per service, an example of every event and
the reference data the services judge events with.

The documents are generated from the services' own FastStream applications, built with
throw-away keys (nothing connects to Kafka or the store), and committed under ``docs/``.
"""

from __future__ import annotations

import importlib
import json
import tempfile
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

from andina.contract.countries import CountryRegistry
from andina.contract.events.catalogs import catalog_of
from andina.contract.events.receipts import receipts
from andina.contract.events.signals import SIGNALS
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind
from andina.contract.topics import DEAD_LETTER, DELIVERIES, POLICIES, SUBMISSIONS, TopicRegistry
from andina.deploy.asyncapi import Channel, Listeners, asyncapi_document, published_example
from andina.deploy.settings import StackSettings

# docs/reference/<name>: (package, file in it). The tables packaged with the code, as shipped:
# an operator may load fuller ones (docs/configuration.md).
REFERENCE_DATA = {
    "countries.json": ("andina.contract", "data/countries.json"),
    "agencies.json": ("andina.shared.policy", "agencies.json"),
    "policy-schema.cedarschema": ("andina.shared.policy", "schema.cedarschema"),
    "policy-baseline.cedar": ("andina.shared.policy", "baseline.cedar"),
    "hs.json": ("andina.customs", "data/hs.json"),
    "currency_rates.json": ("andina.customs", "data/currency_rates.json"),
    "finance-rates.csv": ("andina.finance_trace", "data/rates.csv"),
    "contact-directory.json": ("andina.alerts", "data/directory.json"),
    "signal-rules.json": ("andina.alerts", "data/rules.json"),
}


def _write(path: Path, document: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    return path


def _catalog(service: str) -> ModuleType:
    return catalog_of(service)


def _emits(service: str, catalog: ModuleType) -> dict[str, Any]:
    """What the service publishes on its deliveries topic: its own events and the receipts every service sends."""
    return {**catalog.EMITS, **receipts(service)}


def _channels(topics: TopicRegistry) -> dict[str, Channel]:
    """What travels on every topic of the network, by address."""
    channels: dict[str, Channel] = {}
    for service in topics.services:
        catalog = _catalog(service)
        channels[topics.topic(service, SUBMISSIONS)] = Channel(SUBMISSIONS, service, catalog.ACCEPTS)
        channels[topics.topic(service, DELIVERIES)] = Channel(
            DELIVERIES, service, _emits(service, catalog), emitted_by=service
        )
        channels[topics.topic(service, DEAD_LETTER)] = Channel(DEAD_LETTER, service, {})
        if SIGNALS in topics.streams.get(service, ()):
            channels[topics.topic(service, SIGNALS)] = Channel(
                SIGNALS,
                service,
                catalog.SIGNALS,
                emitted_by=service,
                description=f"Findings of {service} that need the 24/7 network (key = country concerned).",
            )
        if POLICIES in topics.streams.get(service, ()):
            channels[topics.topic(service, POLICIES)] = Channel(
                POLICIES,
                service,
                catalog.POLICY_VERSIONS,
                emitted_by=service,
                description="Each member's policy in force (compacted, key = the member); every service reads it.",
            )
    return channels


def _listeners() -> Listeners:
    # The local stack's addresses, whatever this shell's environment says.
    stack = StackSettings.model_construct()
    return Listeners(services=f"127.0.0.1:{stack.kafka_port}", agencies=f"127.0.0.1:{stack.kafka_tls_port}")


def _reference_data(out: Path) -> list[Path]:
    written = []
    for name, (package, file) in REFERENCE_DATA.items():
        path = out / "reference" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(resources.files(package).joinpath(file).read_text())
        written.append(path)
    return written


def generate_docs(out: Path) -> list[Path]:
    """Write ``out/asyncapi/<service>.json``, ``out/events/<event type>.json`` and ``out/reference/``."""
    written = _reference_data(out)
    countries, topics = CountryRegistry.load(), TopicRegistry.load()
    channels = _channels(topics)
    with tempfile.TemporaryDirectory() as keys:
        keys_dir = Path(keys)
        for country in CountryRegistry.load().every_code:  # a service seals deliveries for every member
            KeyDirectory.publish(keys_dir / "directory.json", SignerKey.generate(country), SignerKind.COUNTRY)
        for service in topics.services:
            package = service.replace("-", "_")
            key = SignerKey.generate(service)
            key.save(keys_dir)
            KeyDirectory.publish(keys_dir / "directory.json", key, SignerKind.SERVICE)
            app_module = importlib.import_module(f"andina.{package}.app")
            settings = importlib.import_module(f"andina.{package}.settings").Settings(
                keys_dir=keys_dir,
                key_directory=keys_dir / "directory.json",
                # The documents describe the production names, whatever this shell's environment says.
                kafka_bootstrap_servers=_listeners().services,
                topic_namespace="andina",
                kafka_security_protocol="SASL_PLAINTEXT",  # every client logs in (SCRAM-SHA-512)
                kafka_sasl_mechanism="SCRAM-SHA-512",
                kafka_username="svc-" + service,
                kafka_password="(each service's own, never in the documents)",
            )
            catalog = _catalog(service)
            document = asyncapi_document(
                app_module.create_app(settings), service, channels, _listeners(), countries, topics.partitions
            )
            written.append(_write(out / "asyncapi" / f"{service}.json", document))
            for event_type, payload in catalog.ACCEPTS.items():
                written.append(_write(out / "events" / f"{event_type}.json", published_example(event_type, payload)))
            for event_type, payload in _emits(service, catalog).items():
                example = published_example(event_type, payload, service, delivered=True)
                written.append(_write(out / "events" / f"{event_type}.json", example))
            published = {**getattr(catalog, "SIGNALS", {}), **getattr(catalog, "POLICY_VERSIONS", {})}
            for event_type, payload in published.items():
                example = published_example(event_type, payload, service)
                written.append(_write(out / "events" / f"{event_type}.json", example))
    return written
