"""The published contract of a service: the typed envelope of each event type and an example of it.

The AsyncAPI documents built from them are written by ``andina docs`` (``andina.deploy.asyncapi``).
"""

from __future__ import annotations

import re
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, create_model

from andina.contract.envelope import Envelope, Handling, OpenedEvent, agency_source, service_source, unsigned_event
from andina.contract.events.catalogs import catalog_of


def typed_envelope(event_type: str, payload: type[BaseModel], *, delivered: bool = False) -> type[BaseModel]:
    """The envelope of ``event_type`` with its payload model as ``data`` (for documentation).

    ``delivered``: the event as its sealed delivery opens to, which carries no signature of its own.
    """
    name = "".join(part.title() for part in re.split(r"[.-]", event_type.removeprefix("andina.")))
    only_this_type: Any = Literal[event_type]
    base = OpenedEvent if delivered else Envelope
    return create_model(name, __base__=base, type=(only_this_type, ...), data=(payload, ...))


def example_event(
    event_type: str,
    payload: type[BaseModel],
    origin: str = "PE",
    emitted_by: str | None = None,
    agency: str = "policia",
) -> dict[str, Any]:
    """An unsigned example event of ``event_type`` built from the payload model's own example.

    ``emitted_by`` names the service for events a service emits; otherwise ``agency`` of
    ``origin`` sends it, or of the country its data names if it names one (a policy's member).
    """
    envelope = _example_envelope(event_type)
    example = {**payload.model_json_schema()["examples"][0], **envelope.pop("data", {})}
    data = payload.model_validate(example).model_dump(mode="json", exclude_none=True)
    event_id = UUID(envelope.pop("id", "0b6c3f7e-5a1d-4c2b-9e8f-7a6d5c4b3a21"))
    if not emitted_by:
        origin = envelope.pop("origin", data.get("country", origin))
    attributes = unsigned_event(
        id=event_id,
        type=event_type,
        source=service_source(emitted_by) if emitted_by else agency_source(origin, agency),
        origin=origin,
        data=data,
        handling=Handling.H1,
    )
    return {**attributes, "time": "2026-11-23T03:40:00+00:00", **envelope}


def _example_envelope(event_type: str) -> dict[str, Any]:
    """What the service's catalog sets in the example of ``event_type`` (``EXAMPLE_ENVELOPES``): the ids
    of one conversation, its sender, its time, parts of its data."""
    catalog = catalog_of(event_type.split(".")[1])
    return dict(getattr(catalog, "EXAMPLE_ENVELOPES", {}).get(event_type, {}))
