"""The published contract: one AsyncAPI document per service and an example of every event.

The documents are generated from the services' own FastStream applications, built with
throw-away keys (nothing connects to Kafka or the store), and committed under ``docs/``.
"""

from __future__ import annotations

import importlib
import json
import tempfile
from pathlib import Path
from typing import Any

from andina.shared.contract import asyncapi_document, example_event
from andina.shared.countries import CountryRegistry
from andina.shared.signing import KeyDirectory, SignerKey, SignerKind
from andina.shared.topics import TopicRegistry


def _write(path: Path, document: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    return path


def generate_docs(out: Path) -> list[Path]:
    """Write ``out/asyncapi/<service>.json`` and ``out/events/<event type>.json``."""
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as keys:
        keys_dir = Path(keys)
        for country in CountryRegistry.load().every_code:  # a service seals deliveries for every member
            KeyDirectory.publish(keys_dir / "directory.json", SignerKey.generate(country), SignerKind.COUNTRY)
        for service in TopicRegistry.load().services:
            package = service.replace("-", "_")
            key = SignerKey.generate(service)
            key.save(keys_dir)
            KeyDirectory.publish(keys_dir / "directory.json", key, SignerKind.SERVICE)
            app_module = importlib.import_module(f"andina.{package}.app")
            settings = importlib.import_module(f"andina.{package}.settings").Settings(
                keys_dir=keys_dir,
                key_directory=keys_dir / "directory.json",
                # The documents describe the production names, whatever this shell's environment says.
                kafka_bootstrap_servers="127.0.0.1:9092",
                topic_namespace="andina",
                kafka_security_protocol="SASL_PLAINTEXT",  # every client logs in (SCRAM-SHA-512)
                kafka_sasl_mechanism="SCRAM-SHA-512",
                kafka_username="svc-" + service,
                kafka_password="(each service's own, never in the documents)",
            )
            catalog = importlib.import_module(f"andina.{package}.domain.catalog")
            app = app_module.create_app(settings)
            written.append(
                _write(out / "asyncapi" / f"{service}.json", asyncapi_document(app, service, catalog.ACCEPTS))
            )
            for event_type, payload in catalog.ACCEPTS.items():
                written.append(_write(out / "events" / f"{event_type}.json", example_event(event_type, payload)))
            for event_type, payload in {**catalog.EMITS, **getattr(catalog, "SIGNALS", {})}.items():
                example = example_event(event_type, payload, emitted_by=service)
                written.append(_write(out / "events" / f"{event_type}.json", example))
    return written
