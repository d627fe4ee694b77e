"""The published contract of a service: its AsyncAPI document and an example of every event.

FastStream generates the AsyncAPI document from the application. Services read their
submissions as raw bytes (so that bad input reaches the dead-letter topic instead of
failing inside the framework), so the document is completed here with the typed
envelope of each event type the service accepts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal, cast
from uuid import UUID

from faststream.asgi import AsgiFastStream
from faststream.specification import AsyncAPI
from pydantic import BaseModel, create_model

from andina.shared.envelope import Envelope, Handling, agency_source, service_source, unsigned_event


def typed_envelope(event_type: str, payload: type[BaseModel]) -> type[BaseModel]:
    """The envelope of ``event_type`` with its payload model as ``data`` (for documentation)."""
    name = "".join(part.title() for part in re.split(r"[.-]", event_type.removeprefix("andina.")))
    only_this_type: Any = Literal[event_type]
    return create_model(name, __base__=Envelope, type=(only_this_type, ...), data=(payload, ...))


def asyncapi_document(app: AsgiFastStream, service: str, accepts: Mapping[str, type[BaseModel]]) -> dict[str, Any]:
    """The service's AsyncAPI 3.0 document, with the accepted event types on its submissions channel."""
    assert app.broker is not None, "a service application has its broker"
    spec = AsyncAPI(
        app.broker,
        title=f"Red Andina 24/7 — {service}",
        version="1.0.0",
        description=f"Events the {service} service accepts and emits. Every event is a signed CloudEvent 1.0.",
        schema_version="3.0.0",
    )
    document: dict[str, Any] = spec.to_specification().to_jsonable()
    schemas = document["components"]["schemas"]
    accepted = []
    for event_type, payload in accepts.items():
        envelope = typed_envelope(event_type, payload)
        schema = envelope.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[envelope.__name__] = schema
        accepted.append({"$ref": f"#/components/schemas/{envelope.__name__}"})
    for message in document["components"]["messages"].values():
        if message["payload"] == {"$ref": "#/components/schemas/EmptyPayload"}:
            message["payload"] = {"oneOf": accepted}
            message["contentType"] = "application/cloudevents+json"
    schemas.pop("EmptyPayload", None)
    return document


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
