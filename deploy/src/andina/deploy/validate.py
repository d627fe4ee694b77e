"""``andina validate``: what a service's gate says of an event file, before anyone sends it."""

from __future__ import annotations

from pathlib import Path

import orjson
from pydantic import BaseModel

from andina.shared.events.catalogs import catalog_of
from andina.shared.gate import Gate, Verdict, keyed_by_origin
from andina.shared.settings import AndinaSettings
from andina.shared.signing import KeyDirectory
from andina.shared.topics import TopicRegistry


def _accepted_types(value: bytes) -> dict[str, type[BaseModel]]:
    """What the service named by the event's type accepts (nothing if the type names none)."""
    try:
        event_type = orjson.loads(value).get("type")
    except (orjson.JSONDecodeError, AttributeError):
        return {}
    service = event_type.split(".")[1] if isinstance(event_type, str) and event_type.count(".") >= 2 else None
    if service not in TopicRegistry.load().services:
        return {}
    catalog = catalog_of(service)
    return dict(catalog.ACCEPTS)


def validate_file(path: Path, key_directory: Path, record_key: str | None = None) -> Verdict:
    """The verdict of the gate of the service the event is for, with the services' limits from
    the environment (``ANDINA_MAX_EVENT_BYTES``...) and the key directory at ``key_directory``.

    ``record_key``: the Kafka record key to judge it with; the event's origin (as a correct client
    keys it) if not given.
    """
    value = path.read_bytes()
    gate = Gate.configured(AndinaSettings(), KeyDirectory.load(key_directory), _accepted_types(value))
    return gate.verdict(record_key.encode() if record_key is not None else keyed_by_origin(value), value)
