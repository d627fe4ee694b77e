"""``andina validate``: what a service says of an event file, before anyone sends it.

The running service's ``/validate`` judges it whole (gate and content rules, as the bus would);
with the service not running, its gate alone judges it here (envelope, schema, signature).
"""

from __future__ import annotations

from pathlib import Path

import httpx
import orjson
from pydantic import BaseModel

from andina.contract.events.catalogs import catalog_of
from andina.contract.signing import KeyDirectory
from andina.contract.topics import TopicRegistry
from andina.shared.gate import Gate, Verdict, keyed_by_origin
from andina.shared.settings import AndinaSettings


def service_of(value: bytes) -> str | None:
    """The service the event's type names (None if it names none)."""
    try:
        event_type = orjson.loads(value).get("type")
    except (orjson.JSONDecodeError, AttributeError):
        return None
    service = event_type.split(".")[1] if isinstance(event_type, str) and event_type.count(".") >= 2 else None
    return service if service in TopicRegistry.load().services else None


def _accepted_types(value: bytes) -> dict[str, type[BaseModel]]:
    """What the service named by the event's type accepts (nothing if the type names none)."""
    service = service_of(value)
    return dict(catalog_of(service).ACCEPTS) if service else {}


def asked_of_the_service(path: Path, port: int, record_key: str | None = None) -> str | None:
    """The running service's verdict on the file (``accepted`` or ``reason: detail``, with the refused parts of
    an accepted report), or None when no service answers on ``port``."""
    params = {"key": record_key} if record_key is not None else {}
    try:
        response = httpx.post(f"http://127.0.0.1:{port}/validate", content=path.read_bytes(), params=params, timeout=10)
    except httpx.TransportError:
        return None
    if response.status_code != 200:
        return None
    answer = response.json()
    refused = "".join(f"\n  refused part: {part}" for part in answer["refused"])
    return f"{answer['verdict']}{refused}"


def validate_file(path: Path, key_directory: Path, record_key: str | None = None) -> Verdict:
    """The verdict of the gate of the service the event is for, with the services' limits from
    the environment (``ANDINA_MAX_EVENT_BYTES``...) and the key directory at ``key_directory``.

    ``record_key``: the Kafka record key to judge it with; the event's origin (as a correct client
    keys it) if not given.
    """
    value = path.read_bytes()
    gate = Gate.configured(AndinaSettings(), KeyDirectory.load(key_directory), _accepted_types(value))
    return gate.verdict(record_key.encode() if record_key is not None else keyed_by_origin(value), value)
