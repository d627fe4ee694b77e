"""The CloudEvents 1.0 envelope (structured JSON mode) every event on the bus travels in.

Extensions (docs/architecture.md, "The event"): ``origin`` (sending country), ``handling`` (h0..h3),
``correlationid``, ``causationid``, and the sender's Ed25519 ``signature`` made with the
key named by ``signer``. The signature covers the canonical form of every other
attribute: the JSON object without ``signature``, keys sorted, no insignificant
whitespace, UTF-8 (RFC 8785 for the strings, integers and objects events use).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal
from uuid import UUID, uuid4

import orjson
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from andina.contract.countries import CountryCode

CONTENT_TYPE = "application/cloudevents+json"
EVENT_TYPE_PATTERN = r"^andina\.[a-z][a-z-]*\.[a-z][a-z0-9-]*\.v[1-9][0-9]*$"
SOURCE_PATTERN = r"^/(countries/[A-Z]{2}/agencies|services)/[a-z0-9][a-z0-9-]*$"

EventType = Annotated[str, StringConstraints(pattern=EVENT_TYPE_PATTERN)]
KeyId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")]


class Handling(StrEnum):
    """Europol SIENA-style handling codes, enforced by the services.

    h0: usable for law-enforcement purposes across the network.
    h1: not to be used as evidence in judicial proceedings without the provider's consent.
    h2: not to be passed on by the recipient without the provider's consent.
    h3: named recipients only; never delivered to "all members".
    """

    H0 = "h0"
    H1 = "h1"
    H2 = "h2"
    H3 = "h3"


class SourceReliability(StrEnum):
    """First half of the 4x4 evaluation: how reliable is the source."""

    A = "A"  # no doubt about authenticity, trustworthiness and competence
    B = "B"  # usually reliable
    C = "C"  # not usually reliable
    X = "X"  # reliability cannot be assessed


class InformationAssessment(StrEnum):
    """Second half of the 4x4 evaluation: how credible is the information."""

    KNOWN_TRUE = "1"  # known without reservation to be accurate
    KNOWN_TO_SOURCE = "2"  # known personally to the source, not to the official passing it
    NOT_KNOWN_TO_SOURCE = "3"  # not known personally to the source, corroborated
    CANNOT_BE_ASSESSED = "4"


class Evaluation(BaseModel):
    """A 4x4 evaluation code such as ``B2``; serialised as that two-character string."""

    model_config = ConfigDict(frozen=True)

    source: SourceReliability
    information: InformationAssessment

    @classmethod
    def parse(cls, code: str) -> Evaluation:
        if len(code) != 2:
            raise ValueError(f"evaluation code {code!r} must be a letter A/B/C/X and a digit 1-4")
        return cls(source=SourceReliability(code[0]), information=InformationAssessment(code[1]))

    def __str__(self) -> str:
        return f"{self.source.value}{self.information.value}"


EvaluationCode = Annotated[str, StringConstraints(pattern=r"^[ABCX][1-4]$")]
"""The wire form of an :class:`Evaluation` inside payloads."""


class _Attributes(BaseModel):
    """What every CloudEvent on the bus carries. Unknown attributes are refused so nothing rides
    along unsigned."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    specversion: Literal["1.0"]
    id: UUID
    source: Annotated[str, StringConstraints(pattern=SOURCE_PATTERN)]
    type: EventType

    @property
    def service(self) -> str:
        """The service part of ``andina.<service>.<name>.v<major>``."""
        return self.type.split(".")[1]


class _Signed(_Attributes):
    """The signer's attributes of an event as it travels."""

    signer: Annotated[str, StringConstraints(pattern=r"^[a-zA-Z0-9][a-zA-Z0-9-]{1,40}$")]
    keyid: KeyId | None = Field(
        None, description="which of the signer's keys signed (first 16 hex digits of SHA-256 of the public key)"
    )
    signature: Annotated[str, StringConstraints(min_length=86, max_length=88)] = Field(
        description="base64 Ed25519 signature over the canonical event without this attribute"
    )


class OpenedEvent(_Attributes):
    """A delivered event as its sealed record opens to: no signature of its own, the box and the
    sealed record's signature vouch for it (docs/integrating.md, step 7)."""

    time: AwareDatetime
    datacontenttype: Literal["application/json"] = "application/json"
    origin: CountryCode
    handling: Handling
    correlationid: UUID
    causationid: UUID | None = None
    data: dict[str, Any]


class Envelope(_Signed, OpenedEvent):
    """A signed CloudEvent with its data in clear: what agencies submit, and a delivery once opened."""


SEALED_TYPE_PATTERN = r"^andina\.[a-z][a-z-]*\.sealed\.v1$"


def sealed_type(service: str) -> str:
    """The one type every sealed delivery of ``service`` travels as, whatever it holds."""
    return f"andina.{service}.sealed.v1"


class SealedEnvelope(_Signed):
    """A delivery as it travels: the whole event sealed for the one country whose partition holds it.

    ``data_base64`` (CloudEvents' binary data attribute) opens, with the recipient's key only, to
    the event's JSON attributes (its own id, type, time, origin, handling, conversation ids and
    data); outside there is only a fresh id, the sending service, the recipient and the
    signature. See :mod:`andina.contract.sealing`.
    """

    type: Annotated[str, StringConstraints(pattern=SEALED_TYPE_PATTERN)]
    data_base64: Annotated[str, StringConstraints(min_length=1)]
    sealedfor: CountryCode = Field(description="the recipient country, the only one that can open data_base64")
    sealkeyid: KeyId = Field(
        description="which of the recipient's keys it is sealed for (its key id in the key directory)"
    )


def canonical_bytes(attributes: dict[str, Any]) -> bytes:
    """The bytes a signature covers: the event without ``signature``, keys sorted, compact."""
    unsigned = {k: v for k, v in attributes.items() if k != "signature"}
    return orjson.dumps(unsigned, option=orjson.OPT_SORT_KEYS)


def unsigned_event(
    *,
    type: str,
    source: str,
    origin: str,
    data: dict[str, Any],
    handling: Handling = Handling.H0,
    id: UUID | None = None,
    correlationid: UUID | None = None,
    causationid: UUID | None = None,
    time: datetime | None = None,
) -> dict[str, Any]:
    """The JSON attributes of a new event, ready to be signed.

    A new conversation starts with its correlation id equal to its own id.
    """
    event_id = id or uuid4()
    attributes: dict[str, Any] = {
        "specversion": "1.0",
        "id": str(event_id),
        "source": source,
        "type": type,
        "time": (time or datetime.now(UTC)).isoformat(),
        "datacontenttype": "application/json",
        "data": data,
        "origin": origin,
        "handling": handling.value,
        "correlationid": str(correlationid or event_id),
    }
    if causationid is not None:
        attributes["causationid"] = str(causationid)
    return attributes


def agency_source(country: str, agency: str) -> str:
    return f"/countries/{country}/agencies/{agency}"


def service_source(service: str) -> str:
    return f"/services/{service}"
