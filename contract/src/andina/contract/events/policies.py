"""Members' own policies: a country sends the Cedar text of its policy, the network puts it in force.

One service takes the changes (the one whose topics include the policies stream): it accepts
``andina.<service>.policy-changed.v1``; only the country itself may change its policy, and
each accepted text is a new version, kept. It publishes each version, signed, as
``andina.<service>.policy-version.v1`` on its policies topic, which every service reads.
The schema, the baseline and the shipped examples are in ``docs/policies.md``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints

from andina.contract.countries import CountryCode
from andina.contract.events.base import Payload

MAX_POLICY_CHARS = 64_000  # part of the contract: an agency's system checks it before sending


def policy_changed_type(service: str) -> str:
    return f"andina.{service}.policy-changed.v1"


def policy_accepted_type(service: str) -> str:
    return f"andina.{service}.policy-accepted.v1"


def policy_version_type(service: str) -> str:
    return f"andina.{service}.policy-version.v1"


EXAMPLE_POLICY = (
    '@id("co-no-person-records-to-military")\n'
    '@reason("Colombian law forbids giving person records to military bodies")\n'
    'forbid (principal, action in [Action::"receive-hit", Action::"receive-record"], resource is PersonRecord)\n'
    'when { resource.owner == Country::"CO" && principal.kind == "military" };\n'
)


class PolicyChange(Payload):
    """A member's whole policy, replacing its previous version on the service."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"country": "CO", "policy": EXAMPLE_POLICY, "note": "Ley 1621 de 2013, art. 33"}]
        }
    )

    country: CountryCode = Field(description="whose policy this is: must be the sending country (unauthorized else)")
    policy: Annotated[str, StringConstraints(max_length=MAX_POLICY_CHARS)] = Field(
        description=(
            "Cedar policy text of forbid rules only (give each an @id and an @reason), valid against the network's"
            " schema (docs/policies.md); an empty text lifts every restriction. A text that does not parse or"
            " validate is refused as invalid-payload with the engine's message, and the previous version stays"
        )
    )
    note: Annotated[str, StringConstraints(max_length=1000)] = Field(
        "", description="why it changed, e.g. the law it follows; kept with the version"
    )


class PolicyAccepted(Payload):
    """To the member: its policy is in force on this service under this version."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"country": "CO", "version": 2, "policy_ids": ["CO@v2/co-no-person-records-to-military"]}]
        }
    )

    country: CountryCode
    version: int = Field(description="1 for the first policy, one more for each accepted change")
    policy_ids: list[str] = Field(description="the rules now in force, as decisions name them")


class PolicyVersion(Payload):
    """To every service, on the policies topic (key: the country): this version is the member's policy in force."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"country": "CO", "version": 2, "policy": EXAMPLE_POLICY, "note": "Ley 1621 de 2013, art. 33"}]
        }
    )

    country: CountryCode
    version: int = Field(description="the version the service that took the change gave it")
    policy: str = Field(description="the Cedar text, as accepted; each service checks it again before it applies it")
    note: str = Field("", description="why it changed, as the member said")
