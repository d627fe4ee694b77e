"""Each member's rate bounded by Kafka itself: client quotas on its agency user.

A member's burst (a bug in its system, or an attack with a valid key) must not take the broker's
capacity from the others. Kafka throttles a user over its quota natively: it delays the
responses to that user's requests, so its producer slows down, and nobody else notices.
``andina stack up`` sets ``producer_byte_rate`` and ``request_percentage`` on every member's user
from :class:`~andina.deploy.settings.StackSettings` (one default, overridden per member), and
``andina stack status`` reads them back from the broker, and the stack's supervisor exports
them as ``andina_member_quota{user,quota}``.

aiokafka has no call for AlterClientQuotas (API key 49), so the request is written here from
Kafka's protocol definition, version 0; DescribeClientQuotas is aiokafka's own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.protocol.admin import DescribeClientQuotasRequest
from aiokafka.protocol.api import Request, RequestStruct, Response
from aiokafka.protocol.types import Array, Boolean, Float64, Int16, Int32, Schema, String
from pydantic import BaseModel, Field

from andina.contract.kafka_auth import KafkaAuth
from andina.deploy.kafka_users import country_user
from andina.shared.admin import connect_admin

USER = "user"
MATCH_ANY_NAMED = 2  # DescribeClientQuotas: every user with a name (not the default entity)


class Quota(BaseModel):
    """What one member's agency user may use of the broker."""

    producer_byte_rate: int = Field(
        2_000_000, gt=0, description="bytes a second the member may produce, on all partitions together"
    )
    request_percentage: float = Field(
        50.0, gt=0, description="share of one broker I/O and network thread's time, in percent, per quota window"
    )


class _AlterQuotasResponse(Response):  # type: ignore[misc]  # aiokafka is untyped
    API_KEY = 49
    API_VERSION = 0
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        (
            "entries",
            Array(
                ("error_code", Int16),
                ("error_message", String("utf-8")),
                ("entity", Array(("entity_type", String("utf-8")), ("entity_name", String("utf-8")))),
            ),
        ),
    )


class _AlterQuotasStruct(RequestStruct):  # type: ignore[misc]  # aiokafka is untyped
    API_KEY = 49
    API_VERSION = 0
    RESPONSE_TYPE = _AlterQuotasResponse
    SCHEMA = Schema(
        (
            "entries",
            Array(
                ("entity", Array(("entity_type", String("utf-8")), ("entity_name", String("utf-8")))),
                ("ops", Array(("key", String("utf-8")), ("value", Float64), ("remove", Boolean))),
            ),
        ),
        ("validate_only", Boolean),
    )


class _AlterQuotas(Request[_AlterQuotasStruct]):  # type: ignore[misc]  # aiokafka is untyped
    API_KEY = 49

    def __init__(self, quotas: Mapping[str, Quota]) -> None:
        self._entries = [
            ([(USER, user)], [(key, float(value), False) for key, value in quota.model_dump().items()])
            for user, quota in sorted(quotas.items())
        ]

    def build(self, request_struct_class: type[_AlterQuotasStruct]) -> _AlterQuotasStruct:
        return request_struct_class(self._entries, False)


def member_quotas(countries: list[str], default: Quota, overrides: Mapping[str, Quota]) -> dict[str, Quota]:
    """Each member's agency user and its quota: the default unless the member has its own."""
    unknown = set(overrides) - set(countries)
    if unknown:
        raise ValueError(f"ANDINA_STACK_AGENCY_QUOTAS names countries that are not members: {sorted(unknown)}")
    return {country_user(code): overrides.get(code, default) for code in countries}


async def set_quotas(admin: AIOKafkaAdminClient, quotas: Mapping[str, Quota]) -> None:
    """Set these users' quotas on the broker, in one request (idempotent)."""
    response = await admin._send_request(_AlterQuotas(quotas))
    errors = [(entity, code, message) for code, message, entity in response.entries if code]
    if errors:
        raise RuntimeError(f"the broker refused client quotas: {errors}")


async def quotas_of(admin: AIOKafkaAdminClient) -> dict[str, dict[str, float]]:
    """Every user's quotas, as the broker holds them."""
    response: Any = await admin._send_request(DescribeClientQuotasRequest([(USER, MATCH_ANY_NAMED, None)], False))
    if response.error_code:
        raise RuntimeError(f"the broker did not describe client quotas: {response.error_message}")
    return {
        name: dict(values)
        for entity, values in response.entries
        for entity_type, name in entity
        if entity_type == USER and name is not None
    }


async def quotas_on(bootstrap: str, auth: KafkaAuth) -> dict[str, dict[str, float]]:
    """The broker's quotas per user (``andina stack status``)."""
    admin = await connect_admin(bootstrap, 5.0, auth)
    try:
        return await quotas_of(admin)
    finally:
        await admin.close()


def describe(quotas: Mapping[str, Mapping[str, float]]) -> str:
    """``agency-pe 2.0 MB/s 50 %, …``, users in order."""
    return ", ".join(
        f"{user} {values.get('producer_byte_rate', 0) / 1e6:.1f} MB/s {values.get('request_percentage', 0):.0f} %"
        for user, values in sorted(quotas.items())
    )


def quotas_path(state: Path) -> Path:
    """Where ``stack up`` keeps the quotas it set, for the supervisor's metric."""
    return state / "run" / "quotas.json"


def write_quotas(state: Path, quotas: Mapping[str, Quota]) -> None:
    path = quotas_path(state)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({user: quota.model_dump() for user, quota in quotas.items()}, indent=1))


def read_quotas(state: Path) -> dict[str, Quota]:
    """The quotas the last ``stack up`` set (none when it set none)."""
    path = quotas_path(state)
    if not path.exists():
        return {}
    return {user: Quota.model_validate(values) for user, values in json.loads(path.read_text()).items()}
