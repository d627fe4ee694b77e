"""The published contract of a service: the typed envelope of each event type and an example of it.

The AsyncAPI documents built from them are written by ``andina docs`` (``andina.deploy.asyncapi``).
"""

from __future__ import annotations

import re
from typing import Any, Literal, cast
from uuid import UUID

from pydantic import BaseModel, create_model

from andina.shared.envelope import Envelope, Handling, agency_source, service_source, unsigned_event


def typed_envelope(event_type: str, payload: type[BaseModel]) -> type[BaseModel]:
    """The envelope of ``event_type`` with its payload model as ``data`` (for documentation)."""
    name = "".join(part.title() for part in re.split(r"[.-]", event_type.removeprefix("andina.")))
    only_this_type: Any = Literal[event_type]
    return create_model(name, __base__=Envelope, type=(only_this_type, ...), data=(payload, ...))


def example_event(
    event_type: str, payload: type[BaseModel], origin: str = "PE", emitted_by: str | None = None
) -> dict[str, Any]:
    """An example event of ``event_type`` built from the payload model's own example.

    ``emitted_by`` names the service for events a service emits (it signs them).
    """
    example = cast(dict[str, Any], payload.model_json_schema()["examples"][0])
    data = payload.model_validate(example).model_dump(mode="json", exclude_none=True)
    event_id = UUID("0b6c3f7e-5a1d-4c2b-9e8f-7a6d5c4b3a21")
    attributes = unsigned_event(
        id=event_id,
        type=event_type,
        source=service_source(emitted_by) if emitted_by else agency_source(origin, "policia"),
        origin=origin,
        data=data,
        handling=Handling.H1,
    )
    signer = emitted_by or origin
    return {**attributes, "time": "2026-11-23T03:40:00+00:00", "signer": signer, "signature": "<base64 Ed25519>"}
