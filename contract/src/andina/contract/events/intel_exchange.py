"""Banco Andino de Datos: person records, hit/no-hit screening and the follow-up for the full record.

The Prüm model: a screening answer reveals only references to matching records (hits, or
possible matches for a query with names only); the full
record follows only on a request the owner approves, and goes to the requester alone
(:mod:`andina.contract.events.intel_requests`). The owner is told of every hit and possible
match on its data.
Only the owner creates, updates or withdraws a record.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID

from pydantic import ConfigDict, Field, JsonValue, StringConstraints

from andina.contract.countries import CountryCode
from andina.contract.events.base import Payload

Name = Annotated[str, StringConstraints(min_length=1, max_length=80)]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=1000)]
RecordId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}-[A-Za-z0-9][A-Za-z0-9-]{0,60}$")]
PartialDate = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
Score = Annotated[str, StringConstraints(pattern=r"^(0\.\d{2}|1\.00)$")]
IsoCountry = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


def intel_type(name: str) -> str:
    return f"andina.intel-exchange.{name}.v1"


class RecordType(StrEnum):
    WARRANT = "warrant"
    CRIMINAL_RECORD = "criminal-record"
    TRAVEL_IMPEDIMENT = "travel-impediment"
    MISSING_PERSON = "missing-person"
    DEPORTATION = "deportation"


class RequestedAction(StrEnum):
    ARREST = "arrest"
    DISCREET_CHECK = "discreet-check"
    REFUSE_ENTRY = "refuse-entry"
    INFORM_OWNER = "inform-owner"


class Sex(StrEnum):
    FEMALE = "F"
    MALE = "M"
    UNKNOWN = "X"


class DocumentType(StrEnum):
    PASSPORT = "passport"
    NATIONAL_ID = "national-id"
    RESIDENCE_PERMIT = "residence-permit"
    OTHER = "other"


class IdentityDocument(Payload):
    type: DocumentType
    number: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(
        description="as printed; compared without punctuation, spaces and prefixes such as DNI, CI, CC"
    )
    issuing_country: IsoCountry


class BiometricReference(Payload):
    """A reference to a template held by the owner; images never travel on the bus."""

    type: Literal["fingerprint", "face", "iris"]
    template_hash: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] = Field(
        description="SHA-256 of the template, hex"
    )


class PersonIdentity(Payload):
    given_names: list[Name] = Field(min_length=1, max_length=4)
    paternal_surname: Name | None = None
    maternal_surname: Name | None = None
    date_of_birth: PartialDate | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    documents: list[IdentityDocument] = Field(default_factory=list, max_length=10)
    nationalities: list[IsoCountry] = Field(default_factory=list, max_length=5)


# Only the owner files, so the example is PE's: published examples are sent by PE.
RECORD_EXAMPLE: dict[str, JsonValue] = {
    "record_id": "PE-2026-000113",
    "owner": "PE",
    "agency": "policia-judicial",
    "record_type": "warrant",
    "given_names": ["Juan", "Carlos"],
    "paternal_surname": "Quispe",
    "maternal_surname": "Huamán",
    "aliases": ["El Cuy"],
    "sex": "M",
    "date_of_birth": "1985-03-12",
    "nationalities": ["PE"],
    "documents": [{"type": "national-id", "number": "40.123.456", "issuing_country": "PE"}],
    "share_with": ["CO", "EC"],
    "requested_action": "arrest",
    "immediate_alert": True,
    "review_date": "2027-03-01",
    "expires_on": "2028-03-01",
}


class PersonRecord(PersonIdentity):
    """A record of the Banco Andino de Datos; submitting it again under its id updates it (its first filing stays)."""

    model_config = ConfigDict(json_schema_extra={"examples": [RECORD_EXAMPLE]})

    record_id: RecordId = Field(description="the owner's id, starting with the owner's country code: EC-...")
    owner: CountryCode
    agency: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,40}$")]
    record_type: RecordType
    aliases: list[Annotated[str, StringConstraints(min_length=1, max_length=160)]] = Field(
        default_factory=list, max_length=10
    )
    sex: Sex = Sex.UNKNOWN
    biometric: BiometricReference | None = None
    share_with: list[CountryCode] | Literal["all"] = Field(
        description='members that may get hits on it, or "all"; other members always get no-hit'
    )
    requested_action: RequestedAction
    immediate_alert: bool = Field(False, description="a hit raises an immediate alert on the 24/7 network")
    review_date: date
    expires_on: date | None = Field(
        None,
        description=(
            "from this day on the record no longer hits; nor from the day its owner's retention ends, "
            "counted from its first filing (an update does not restart it)"
        ),
    )


class RecordWithdrawal(Payload):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"record_id": "PE-2026-000113", "reason": "warrant served"}]}
    )

    record_id: RecordId
    reason: Reason


class RecordAcknowledged(Payload):
    """To the owner: its record is stored (created or updated) or withdrawn."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"record_id": "EC-2026-000113", "status": "stored", "version": 1}]}
    )

    record_id: RecordId
    status: Literal["stored", "withdrawn"]
    version: int


MatchKind = Literal["hit", "possible"]
SUFFICIENT_QUERY: list[JsonValue] = [
    {"required": ["documents"], "properties": {"documents": {"minItems": 1}}},
    {"required": ["paternal_surname"]},
    {"required": ["maternal_surname"]},
    {"properties": {"given_names": {"contains": {"pattern": "\\S[\\s,]+\\S"}}}},
]


class ScreeningQuery(PersonIdentity):
    """A check of a person, at a border crossing or from a tip: sufficient is a document number, or a
    given name and a surname, typed in their fields or together as a full name in given_names
    ("Ruth Zulema Mamani Pérez", "Mamani Pérez, Ruth Zulema"). A lone name is refused (invalid-payload).
    With a date of birth or a document the answer gives hits; with names only it gives possible
    matches, which the officer verifies before acting."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": SUFFICIENT_QUERY,
            "examples": [
                {
                    "given_names": ["Juan", "Carlos"],
                    "paternal_surname": "Quispi",
                    "maternal_surname": "Guaman",
                    "date_of_birth": "1985-12-03",
                    "documents": [{"type": "national-id", "number": "DNI 40123456", "issuing_country": "PE"}],
                    "nationalities": ["PE"],
                    "place": "Rumichaca",
                    "purpose": "border-control",
                }
            ],
        }
    )

    place: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    purpose: Annotated[str, StringConstraints(min_length=1, max_length=120)]


class HitReference(Payload):
    """What a hit or a possible match reveals: a reference, never the record."""

    record_id: RecordId
    owner: CountryCode
    record_type: RecordType
    requested_action: RequestedAction
    score: Score
    matched_fields: list[str]
    kind: MatchKind = Field(
        "hit",
        description="hit: the query identifies this person; possible: names only agree, verify identity before acting",
    )
    differing_fields: list[str] = Field(
        default_factory=list, description="fields the query gave that disagree with the record (e.g. document)"
    )


class ScreeningAnswered(Payload):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "screening_id": "1b4e28ba-2fa1-4d2e-883f-0016d3cca427",
                    "outcome": "hit",
                    "hits": [
                        {
                            "record_id": "EC-2026-000113",
                            "owner": "EC",
                            "record_type": "warrant",
                            "requested_action": "arrest",
                            "score": "0.96",
                            "matched_fields": ["surnames", "given_names", "date_of_birth", "document"],
                        }
                    ],
                }
            ]
        }
    )

    screening_id: UUID = Field(description="id of the screening-requested event")
    outcome: Literal["hit", "possible", "no-hit"] = Field(
        description="possible: the query gave names only, and possible_matches lists the likeliest records"
    )
    hits: list[HitReference]
    possible_matches: list[HitReference] = Field(
        default_factory=list,
        description="for a query with names only: the best few records (at most a configured number), "
        "ranked; never a hit, to be verified (date of birth, document, fingerprints) before acting",
    )
    not_searched: dict[CountryCode, str] | None = Field(
        None,
        description=(
            "members whose policy kept all their records out of this screening (e.g. no name-only screening),"
            " with the rules and their reasons; null when every member's records were searched"
        ),
    )


class HitNotified(Payload):
    """To the owner, for every hit and every possible match on its data."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "screening_id": "1b4e28ba-2fa1-4d2e-883f-0016d3cca427",
                    "record_id": "EC-2026-000113",
                    "asked_by": "CO",
                    "agency": "migracion",
                    "place": "Rumichaca",
                    "purpose": "border-control",
                    "asked_at": "2026-11-23T03:40:00+00:00",
                    "score": "0.96",
                    "matched_fields": ["surnames", "given_names", "date_of_birth"],
                }
            ]
        }
    )

    screening_id: UUID
    record_id: RecordId
    asked_by: CountryCode
    agency: str
    place: str
    purpose: str
    asked_at: str = Field(description="when the screening was sent (RFC 3339)")
    score: Score
    matched_fields: list[str]
    kind: MatchKind = Field("hit", description="hit, or possible: a query with names only, not yet verified")
    differing_fields: list[str] = Field(default_factory=list, description="fields the query gave that disagree")
