"""Kafka users of the stack: who they are, their passwords, and their SCRAM credentials on the broker.

Every service and every member country has its own user (``svc-<service>``,
``agency-<cc>``), plus ``admin``, the super user of the deploy step. Passwords are random,
kept in one JSON file under the stack's state folder (mode 0600, never committed). A new
country or service gets a user and a password on the next ``andina stack up``, existing
ones keep theirs; one that left the registries loses its user there (see ``revoked_users``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import os
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.protocol.api import Request, RequestStruct, Response
from aiokafka.protocol.types import (
    CompactArray,
    CompactBytes,
    CompactString,
    Int8,
    Int16,
    Int32,
    Schema,
    TaggedFields,
)

from andina.contract.kafka_auth import KafkaAuth

ADMIN = "admin"
MECHANISM = "SCRAM-SHA-512"
SCRAM_SHA_512 = 2  # the mechanism's code in the SCRAM credential requests
ITERATIONS = 8192  # Kafka accepts 4096 and more for SHA-512


SERVICE_PREFIX = "svc-"
COUNTRY_PREFIX = "agency-"


def service_user(service: str) -> str:
    return SERVICE_PREFIX + service


def country_user(country: str) -> str:
    return COUNTRY_PREFIX + country.lower()


def stack_users(countries: Iterable[str], services: Iterable[str]) -> list[str]:
    """Every user the stack needs, admin first."""
    return [ADMIN, *(service_user(s) for s in services), *(country_user(c) for c in countries)]


def revoked_users(present: Iterable[str], wanted: Iterable[str]) -> set[str]:
    """Country and service users that are no longer wanted: a member that left, a service removed.

    Only the stack's own kinds of user: one an operator added by hand is not the deploy step's to remove.
    """
    keep = set(wanted)
    return {u for u in present if u.startswith((COUNTRY_PREFIX, SERVICE_PREFIX)) and u not in keep}


@dataclass(frozen=True, slots=True)
class AgencyListener:
    """Where agency systems log in with the same passwords: the TLS listener, and the authority to trust."""

    bootstrap_servers: str
    ssl_cafile: str
    security_protocol: str = "SASL_SSL"

    def as_json(self) -> dict[str, str]:
        return {
            "bootstrap_servers": self.bootstrap_servers,
            "security_protocol": self.security_protocol,
            "ssl_cafile": self.ssl_cafile,
        }


@dataclass(frozen=True, slots=True)
class KafkaUsers:
    """The stack's users and passwords, as written in its credentials file.

    ``bootstrap_servers`` and ``security_protocol`` are the loopback listener the services and the
    operators' commands use; ``agencies``, once the stack has its TLS listener, is where countries'
    agency systems connect instead.
    """

    bootstrap_servers: str
    passwords: dict[str, str]
    security_protocol: str = "SASL_PLAINTEXT"
    agencies: AgencyListener | None = None

    def auth(self, user: str) -> KafkaAuth:
        if user not in self.passwords:
            raise KeyError(f"no Kafka user {user!r} in the stack's credentials: `andina stack up` adds it")
        return KafkaAuth(self.security_protocol, MECHANISM, user, self.passwords[user])

    def admin(self) -> KafkaAuth:
        return self.auth(ADMIN)

    def country(self, country: str) -> KafkaAuth:
        return self.auth(country_user(country))

    def service(self, service: str) -> KafkaAuth:
        return self.auth(service_user(service))

    @classmethod
    def load(cls, path: Path) -> KafkaUsers:
        raw = json.loads(path.read_text())
        agencies = AgencyListener(**raw["agencies"]) if "agencies" in raw else None
        return cls(
            raw["bootstrap_servers"], dict(raw["users"]), raw.get("security_protocol", "SASL_PLAINTEXT"), agencies
        )

    @classmethod
    def ensure(
        cls, path: Path, bootstrap_servers: str, users: Iterable[str], agencies: AgencyListener | None = None
    ) -> tuple[KafkaUsers, list[str]]:
        """The file's users plus a new random password for each missing one; returns them and the new names.

        ``agencies``: the TLS listener to name for agency systems (None keeps the one the file names).
        """
        file = cls.load(path) if path.exists() else None
        known = file.passwords if file else {}
        added = [u for u in users if u not in known]
        agencies = agencies or (file.agencies if file else None)
        result = cls(bootstrap_servers, {**known, **{u: secrets.token_urlsafe(24) for u in added}}, agencies=agencies)
        if added or not path.exists() or cls.load(path) != result:
            result._save(path)
        return result, added

    def without(self, path: Path, users: Iterable[str]) -> KafkaUsers:
        """These users and their passwords gone from the file too: one that comes back gets a new password."""
        gone = set(users)
        result = dataclasses.replace(self, passwords={u: p for u, p in self.passwords.items() if u not in gone})
        if result != self:
            result._save(path)
        return result

    def _save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_suffix(".tmp")
        scratch.touch(mode=0o600)
        os.chmod(scratch, 0o600)
        content: dict[str, Any] = {
            "bootstrap_servers": self.bootstrap_servers,
            "security_protocol": self.security_protocol,
            "mechanism": MECHANISM,
            "users": self.passwords,
        }
        if self.agencies is not None:
            content["agencies"] = self.agencies.as_json()
        scratch.write_text(json.dumps(content, indent=2) + "\n")
        scratch.replace(path)


def scram_format_argument(user: str, password: str) -> str:
    """``kafka-storage format --add-scram`` value: the user exists before the broker first starts."""
    return f"{MECHANISM}=[name={user},password={password}]"


# The SCRAM credential requests (KIP-554), which aiokafka does not provide.


class _DescribeScramResponse(Response):  # type: ignore[misc]  # aiokafka is untyped
    API_KEY = 50
    API_VERSION = 0
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        ("error_code", Int16),
        ("error_message", CompactString("utf-8")),
        (
            "results",
            CompactArray(
                ("user", CompactString("utf-8")),
                ("error_code", Int16),
                ("error_message", CompactString("utf-8")),
                ("credential_infos", CompactArray(("mechanism", Int8), ("iterations", Int32), ("tags", TaggedFields))),
                ("tags", TaggedFields),
            ),
        ),
        ("tags", TaggedFields),
    )


class _DescribeScramStruct(RequestStruct):  # type: ignore[misc]  # aiokafka is untyped
    FLEXIBLE_VERSION = True
    API_KEY = 50
    API_VERSION = 0
    RESPONSE_TYPE = _DescribeScramResponse
    SCHEMA = Schema(
        ("users", CompactArray(("name", CompactString("utf-8")), ("tags", TaggedFields))), ("tags", TaggedFields)
    )


class _DescribeScram(Request[_DescribeScramStruct]):  # type: ignore[misc]  # aiokafka is untyped
    API_KEY = 50

    def build(self, request_struct_class: type[_DescribeScramStruct]) -> _DescribeScramStruct:
        return request_struct_class(None, {})  # every user


class _AlterScramResponse(Response):  # type: ignore[misc]  # aiokafka is untyped
    API_KEY = 51
    API_VERSION = 0
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        (
            "results",
            CompactArray(
                ("user", CompactString("utf-8")),
                ("error_code", Int16),
                ("error_message", CompactString("utf-8")),
                ("tags", TaggedFields),
            ),
        ),
        ("tags", TaggedFields),
    )


class _AlterScramStruct(RequestStruct):  # type: ignore[misc]  # aiokafka is untyped
    FLEXIBLE_VERSION = True
    API_KEY = 51
    API_VERSION = 0
    RESPONSE_TYPE = _AlterScramResponse
    SCHEMA = Schema(
        ("deletions", CompactArray(("name", CompactString("utf-8")), ("mechanism", Int8), ("tags", TaggedFields))),
        (
            "upsertions",
            CompactArray(
                ("name", CompactString("utf-8")),
                ("mechanism", Int8),
                ("iterations", Int32),
                ("salt", CompactBytes),
                ("salted_password", CompactBytes),
                ("tags", TaggedFields),
            ),
        ),
        ("tags", TaggedFields),
    )


class _AlterScram(Request[_AlterScramStruct]):  # type: ignore[misc]  # aiokafka is untyped
    API_KEY = 51

    def __init__(self, passwords: dict[str, str], deletions: Iterable[str] = ()) -> None:
        self._deletions: list[tuple[Any, ...]] = [(user, SCRAM_SHA_512, {}) for user in sorted(deletions)]
        self._upsertions: list[tuple[Any, ...]] = []
        for user, password in passwords.items():
            salt = secrets.token_bytes(32)
            salted = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, ITERATIONS)
            self._upsertions.append((user, SCRAM_SHA_512, ITERATIONS, salt, salted, {}))

    def build(self, request_struct_class: type[_AlterScramStruct]) -> _AlterScramStruct:
        return request_struct_class(self._deletions, self._upsertions, {})


async def scram_users(admin: AIOKafkaAdminClient) -> set[str]:
    """The users that have a SCRAM-SHA-512 credential on the broker."""
    response = await admin._send_request(_DescribeScram())
    if response.error_code:
        raise RuntimeError(f"describing SCRAM users failed: {response.error_code} {response.error_message}")
    return {
        user
        for user, error, _, infos, _ in response.results
        if error == 0 and any(info[0] == SCRAM_SHA_512 for info in infos)
    }


async def add_scram_users(admin: AIOKafkaAdminClient, passwords: dict[str, str], wait: float = 30.0) -> None:
    """Create (or reset) these users' SCRAM-SHA-512 credentials, in one request.

    Returns once the broker knows them (it learns them from the metadata log after the controller).
    """
    if passwords:
        await _alter_scram(admin, _AlterScram(passwords), lambda known: set(passwords) <= known, wait)


async def remove_scram_users(admin: AIOKafkaAdminClient, users: Iterable[str], wait: float = 30.0) -> None:
    """Delete these users' SCRAM-SHA-512 credentials, in one request: nobody logs in as them any more.

    Returns once the broker has forgotten them. Connections they opened before stay open,
    but their ACLs go first (see ``secure_kafka``), so those can do nothing.
    """
    gone = set(users)
    if gone:
        await _alter_scram(admin, _AlterScram({}, gone), lambda known: not gone & known, wait)


async def _alter_scram(
    admin: AIOKafkaAdminClient, request: _AlterScram, applied: Callable[[set[str]], bool], wait: float
) -> None:
    response = await admin._send_request(request)
    errors = [(user, code, message) for user, code, message, _ in response.results if code]
    if errors:
        raise RuntimeError(f"Kafka refused a SCRAM credential change (user, code, message): {errors}")
    deadline = time.monotonic() + wait
    while not applied(await scram_users(admin)):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the broker has not applied the SCRAM credential change after {wait:.0f} s")
        await asyncio.sleep(0.2)
