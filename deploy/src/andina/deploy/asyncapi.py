"""A service's AsyncAPI 3.0 document, shaped as the contract an agency implements.

FastStream generates the skeleton from the application (its channels, what the service does on
each, their descriptions); it knows a channel's messages only as one schema, and services read
submissions as raw bytes. The document is rebuilt here around the event types: on each channel,
one message per CloudEvents type with its envelope and payload schema and an example, the
servers of both listeners, and the partition of each member country.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote
from uuid import UUID, uuid5

import orjson
from faststream.asgi import AsgiFastStream
from faststream.specification import AsyncAPI
from pydantic import BaseModel, create_model

from andina.contract.countries import CountryRegistry
from andina.contract.envelope import CONTENT_TYPE, SealedEnvelope, sealed_type
from andina.contract.events.receipts import event_rejected_type
from andina.contract.published import example_event, typed_envelope
from andina.contract.sealing import DeliverySealer
from andina.contract.signing import KeyDirectory, PublicKey, SignerKind
from andina.contract.topics import DEAD_LETTER, DELIVERIES, SUBMISSIONS
from andina.deploy.conformance.published_keys import published_key

SERVICES_SERVER = "services"
AGENCIES_SERVER = "agencies"
SCRAM = "scramSha512"
CLOUD_EVENT_TRAIT = "cloudEvent"
REFUSED_RECORD = "refused-record"
KAFKA_BINDING = "0.5.0"
PARTITIONS_EXTENSION = "x-andina-partitions"
# Agencies write submissions and read deliveries; dead letters and signals stay inside the network.
AGENCY_STREAMS = (SUBMISSIONS, DELIVERIES)
# Who sends a service's examples: Peru's agency of its kind (shared/policy/agencies.json); police otherwise.
EXAMPLE_SENDERS = {"customs": "sunat", "finance-trace": "uif"}


@dataclass(frozen=True)
class Listeners:
    """Where clients connect: the services' loopback listener and the agencies' TLS one."""

    services: str
    agencies: str


@dataclass(frozen=True)
class Channel:
    """One topic: its stream (submissions, deliveries...) and what travels on it, event type -> payload model.

    ``service`` owns the topic; ``emitted_by`` names the service that signs those events (none: agencies sign them).
    """

    stream: str
    service: str
    events: Mapping[str, type[BaseModel]]
    emitted_by: str | None = None
    description: str | None = None  # instead of FastStream's, which names a consumer's topics all alike


def _servers(listeners: Listeners) -> dict[str, Any]:
    security = [{"$ref": f"#/components/securitySchemes/{SCRAM}"}]
    return {
        SERVICES_SERVER: {
            "host": listeners.services,
            "protocol": "kafka",
            "description": "The network's services' own listener (SASL_PLAINTEXT on loopback); a deployment"
            " across hosts closes it. Agencies do not use it.",
            "security": security,
        },
        AGENCIES_SERVER: {
            "host": listeners.agencies,
            "protocol": "kafka-secure",
            "description": "The agencies' listener: SASL_SSL, trusting the network's certificate authority, as the"
            " user agency-<cc> (docs/integrating.md, step 1). Shown with the local stack's address.",
            "security": security,
        },
    }


def _components(countries: CountryRegistry, service: str) -> dict[str, Any]:
    return {
        "securitySchemes": {
            SCRAM: {"type": SCRAM, "description": "SASL SCRAM-SHA-512 with the user and password from the operators."}
        },
        "messageTraits": {
            CLOUD_EVENT_TRAIT: {
                "contentType": CONTENT_TYPE,
                "description": "A CloudEvent 1.0 in structured JSON mode: the attributes (id, source, type, time,"
                " origin, handling, correlationid, causationid, signer, keyid, signature) are members of the"
                " record value, signed with it; no Kafka header is required.",
                "headers": {
                    "type": "object",
                    "properties": {"content-type": {"type": "string", "const": CONTENT_TYPE}},
                },
                "bindings": {
                    "kafka": {
                        "key": {
                            "type": "string",
                            "enum": list(countries.reaching(service)),
                            "description": "A member country's code: the sender's on submissions, the"
                            " recipient's on deliveries, the country concerned on signals.",
                        },
                        "bindingVersion": KAFKA_BINDING,
                    }
                },
            }
        },
        "messages": {
            REFUSED_RECORD: {
                "name": REFUSED_RECORD,
                "title": "A refused record",
                "contentType": "application/octet-stream",
                "summary": "The refused record's value as received, with andina-dlq-* headers giving the reason"
                " and its position (docs/integrating.md, step 10).",
                "payload": {"type": "string", "format": "binary"},
            }
        },
        "schemas": {},
    }


def _envelope_schema(document: dict[str, Any], envelope: type[BaseModel]) -> dict[str, str]:
    schemas = document["components"]["schemas"]
    schema = envelope.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(schema.pop("$defs", {}))
    schemas[envelope.__name__] = schema
    return {"$ref": f"#/components/schemas/{envelope.__name__}"}


def _summary(model: type[BaseModel]) -> dict[str, str]:
    """The first paragraph of the model's docstring, if it has one (``__doc__`` is not inherited)."""
    doc = model.__dict__.get("__doc__")
    return {"summary": " ".join(doc.strip().split("\n\n")[0].split())} if doc else {}


def published_example(
    event_type: str, payload: type[BaseModel], emitted_by: str | None = None, *, delivered: bool = False
) -> dict[str, Any]:
    """The example the documents show: a delivered event as its sealed record opens to (unsigned),
    any other signed with its signer's published conformance test key (docs/conformance/keys.json)."""
    service = event_type.split(".")[1]
    event = example_event(event_type, payload, emitted_by=emitted_by, agency=EXAMPLE_SENDERS.get(service, "policia"))
    if delivered:
        return event
    signed: dict[str, Any] = orjson.loads(published_key(emitted_by or event["origin"]).sign(event))
    return signed


def _event_message(document: dict[str, Any], event_type: str, payload: type[BaseModel], channel: Channel) -> None:
    delivered = channel.stream == DELIVERIES
    example = published_example(event_type, payload, channel.emitted_by, delivered=delivered)
    document["components"]["messages"][event_type] = {
        "name": event_type,
        "title": payload.__name__,
        **_summary(payload),
        "payload": _envelope_schema(document, typed_envelope(event_type, payload, delivered=delivered)),
        "correlationId": {
            "location": "$message.payload#/correlationid",
            "description": "The conversation: the id of the event that began it.",
        },
        "traits": [{"$ref": f"#/components/messageTraits/{CLOUD_EVENT_TRAIT}"}],
        "examples": [{"name": event_type, "payload": example}],
    }


def sealed_example(service: str, delivered: Mapping[str, type[BaseModel]]) -> dict[str, Any]:
    """The service's ``event-rejected`` example as it travels: sealed for its origin, signed by the
    service, both under their published test keys, so that anyone can verify and open it.

    A service draws a fresh nonce and id for every delivery; here they are fixed, so that the
    documents stay the same from one ``andina docs`` to the next.
    """
    rejected = event_rejected_type(service)
    event = published_example(rejected, delivered[rejected], service, delivered=True)
    recipient = published_key(event["origin"])
    directory = KeyDirectory(
        {recipient.signer: PublicKey(SignerKind.COUNTRY, {recipient.key_id: recipient.key.verify_key})}
    )
    sealer = DeliverySealer(published_key(service), directory)
    sealed = sealer.seal(event, recipient.signer, nonce=bytes(range(24)), sealed_id=uuid5(UUID(event["id"]), "sealed"))
    signed: dict[str, Any] = orjson.loads(published_key(service).sign(sealed))
    return signed


def _sealed_message(document: dict[str, Any], service: str, delivered: Mapping[str, type[BaseModel]]) -> str:
    event_type = sealed_type(service)
    only_this_type: Any = Literal[event_type]
    name = f"{service.title().replace('-', '')}SealedV1"
    envelope = create_model(name, __base__=SealedEnvelope, type=(only_this_type, ...))
    document["components"]["messages"][event_type] = {
        "name": event_type,
        "title": "A sealed delivery",
        "summary": "How every delivery travels: the event, whole, sealed for the recipient"
        " (docs/integrating.md, step 7). The other messages of this channel are what it opens to.",
        "payload": _envelope_schema(document, envelope),
        "traits": [{"$ref": f"#/components/messageTraits/{CLOUD_EVENT_TRAIT}"}],
        "examples": [{"name": event_type, "payload": sealed_example(service, delivered)}],
    }
    return event_type


def _channel(
    document: dict[str, Any],
    address: str,
    description: str,
    channel: Channel,
    partitions: int,
    countries: CountryRegistry,
) -> dict[str, Any]:
    if channel.stream == DEAD_LETTER:
        names = [REFUSED_RECORD]
    else:
        for event_type, payload in channel.events.items():
            _event_message(document, event_type, payload, channel)
        names = list(channel.events)
        if channel.stream == DELIVERIES and channel.emitted_by:
            names.insert(0, _sealed_message(document, channel.emitted_by, channel.events))
    servers = [SERVICES_SERVER, AGENCIES_SERVER] if channel.stream in AGENCY_STREAMS else [SERVICES_SERVER]
    return {
        "address": address,
        "description": channel.description or description,
        "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in names},
        "servers": [{"$ref": f"#/servers/{server}"} for server in servers],
        "bindings": {"kafka": {"topic": address, "partitions": partitions, "bindingVersion": KAFKA_BINDING}},
        PARTITIONS_EXTENSION: {
            **{code: countries.partition_of(code) for code in countries.reaching(channel.service)},
            "unattributed": countries.unattributed_partition,
        },
    }


def asyncapi_document(
    app: AsgiFastStream,
    service: str,
    channels: Mapping[str, Channel],
    listeners: Listeners,
    countries: CountryRegistry,
    partitions: int,
) -> dict[str, Any]:
    """The service's AsyncAPI 3.0 document; ``channels``: what travels on each topic, by address."""
    assert app.broker is not None, "a service application has its broker"
    generated = (
        AsyncAPI(
            app.broker,
            title=f"Red Andina 24/7 — {service}",
            version="1.0.0",
            description=f"Events the {service} service accepts and emits. Every event is a signed CloudEvent 1.0;"
            " docs/integrating.md says how to sign, submit, read and open them.",
            schema_version="3.0.0",
        )
        .to_specification()
        .to_jsonable()
    )
    document: dict[str, Any] = {
        "asyncapi": generated["asyncapi"],
        "info": generated["info"],
        "defaultContentType": CONTENT_TYPE,
        "servers": _servers(listeners),
        "channels": {},
        "operations": {},
        "components": _components(countries, service),
    }
    for operation in generated["operations"].values():
        faststream_channel = generated["channels"][unquote(operation["channel"]["$ref"].split("/")[-1])]
        address = faststream_channel["address"]
        document["channels"][address] = built = _channel(
            document, address, faststream_channel["description"], channels[address], partitions, countries
        )
        document["operations"][f"{operation['action']}-{address}"] = {
            "action": operation["action"],
            "channel": {"$ref": f"#/channels/{address}"},
            "messages": [{"$ref": f"#/channels/{address}/messages/{name}"} for name in built["messages"]],
        }
    return document
