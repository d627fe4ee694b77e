"""Who may do what on the bus's topics: ACL bindings computed from the registries, applied in one request.

Kafka ACLs are per topic, group or cluster, never per partition: a user that may read a
topic may read all its partitions. So a country may write to every submissions topic and
read every deliveries topic, and nothing else (not another country's submitted records,
nor dead letters, nor signals; and it may not write where the services publish). A member of
a programme only (say PROSUR's assisted returns) gets the same on the topics of the services
running its programmes, and nothing on any other topic. Another
country's partition of a deliveries topic stays private by sealing, not by ACLs: the services
seal each delivery, whole, for its recipient (andina.contract.sealing).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.protocol.admin import (
    CreateAclsRequest_v1,
    DeleteAclsRequest_v1,
    DescribeAclsRequest,
)
from aiokafka.protocol.api import Request

from andina.contract.events.signals import SIGNALS
from andina.contract.topics import CHANGELOG, DEAD_LETTER, DELIVERIES, POLICIES, SUBMISSIONS, TopicRegistry
from andina.deploy.kafka_users import country_user, service_user

# The 24/7 network turns the other services' findings (their signals topics) into alerts.
SIGNALS_READER = "alerts"


class Resource(IntEnum):
    ANY = 1
    TOPIC = 2
    GROUP = 3


class Pattern(IntEnum):
    ANY = 1
    LITERAL = 3
    PREFIXED = 4


class Operation(IntEnum):
    ANY = 1
    READ = 3
    WRITE = 4
    DESCRIBE = 8


ALLOW = 3
ANY_PERMISSION = 1


@dataclass(frozen=True, slots=True, order=True)
class AclBinding:
    """ALLOW ``operation`` on a resource to ``User:<user>`` from any host."""

    resource: Resource
    name: str
    pattern: Pattern
    user: str
    operation: Operation

    @property
    def principal(self) -> str:
        return f"User:{self.user}"

    def wire(self) -> tuple[Any, ...]:
        return (self.resource, self.name, self.pattern, self.principal, "*", self.operation, ALLOW)


def agency_group_prefix(namespace: str, country: str) -> str:
    """Consumer groups a country's systems may use (e.g. ``andina-agency-pe-…``) to keep their offsets."""
    return f"{namespace}-{country_user(country)}"


def _topic(user: str, topic: str, *operations: Operation) -> list[AclBinding]:
    return [AclBinding(Resource.TOPIC, topic, Pattern.LITERAL, user, op) for op in (*operations, Operation.DESCRIBE)]


def country_bindings(
    registry: TopicRegistry, country: str, services: Collection[str] | None = None
) -> list[AclBinding]:
    """``services``: the only services a programme-only member may use (None: every one)."""
    user = country_user(country)
    bindings = [
        AclBinding(Resource.GROUP, agency_group_prefix(registry.namespace, country), Pattern.PREFIXED, user, op)
        for op in (Operation.READ, Operation.DESCRIBE)
    ]
    for service in registry.services if services is None else sorted(services):
        bindings += _topic(user, registry.topic(service, SUBMISSIONS), Operation.WRITE)
        bindings += _topic(user, registry.topic(service, DELIVERIES), Operation.READ)
    return bindings


def service_bindings(registry: TopicRegistry, service: str) -> list[AclBinding]:
    user = service_user(service)
    group = registry.consumer_group(service)
    bindings = [
        AclBinding(Resource.GROUP, group, Pattern.LITERAL, user, op) for op in (Operation.READ, Operation.DESCRIBE)
    ]
    bindings += _topic(user, registry.topic(service, SUBMISSIONS), Operation.READ)
    for stream in (DELIVERIES, DEAD_LETTER, SIGNALS):
        if stream in registry.streams[service]:
            bindings += _topic(user, registry.topic(service, stream), Operation.WRITE)
    if CHANGELOG in registry.streams[service]:  # written by each instance, read whole by all of them
        bindings += _topic(user, registry.topic(service, CHANGELOG), Operation.WRITE, Operation.READ)
    # The members' policies: written by the service that takes the changes, read whole by every service.
    policies = registry.owner_of(POLICIES)
    if service == policies:
        bindings += _topic(user, registry.topic(service, POLICIES), Operation.WRITE, Operation.READ)
    else:
        bindings += _topic(user, registry.topic(policies, POLICIES), Operation.READ)
    if service == SIGNALS_READER:
        for source in registry.services:
            if source != service and SIGNALS in registry.streams[source]:
                bindings += _topic(user, registry.topic(source, SIGNALS), Operation.READ)
    return bindings


def acl_bindings(
    registry: TopicRegistry, countries: Iterable[str], reach: Mapping[str, Collection[str]] | None = None
) -> set[AclBinding]:
    """Every binding of the registry's namespace: each country's and each service's.

    ``reach``: the services each programme-only member may use; a country not in it is a full member.
    """
    reach = reach or {}
    bindings = [b for c in countries for b in country_bindings(registry, c, reach.get(c))]
    bindings += [b for s in registry.services for b in service_bindings(registry, s)]
    return set(bindings)


class _CreateAcls(Request[CreateAclsRequest_v1]):  # type: ignore[misc]  # aiokafka is untyped
    API_KEY = 30

    def __init__(self, bindings: Iterable[AclBinding]) -> None:
        self._creations = [b.wire() for b in bindings]

    def build(self, request_struct_class: type[CreateAclsRequest_v1]) -> CreateAclsRequest_v1:
        return request_struct_class(self._creations)


class _DeleteAcls(Request[DeleteAclsRequest_v1]):  # type: ignore[misc]  # aiokafka is untyped
    API_KEY = 31

    def __init__(self, bindings: Iterable[AclBinding]) -> None:
        self._filters = [b.wire() for b in bindings]

    def build(self, request_struct_class: type[DeleteAclsRequest_v1]) -> DeleteAclsRequest_v1:
        return request_struct_class(self._filters)


async def existing_bindings(admin: AIOKafkaAdminClient) -> set[AclBinding]:
    """The broker's ALLOW bindings for users, whatever their resource."""
    any_acl = DescribeAclsRequest(Resource.ANY, None, Pattern.ANY, None, None, Operation.ANY, ANY_PERMISSION)
    response = await admin._send_request(any_acl)
    if response.error_code:
        raise RuntimeError(f"describing ACLs failed: {response.error_code} {response.error_message}")
    return {
        AclBinding(Resource(kind), name, Pattern(pattern), principal.removeprefix("User:"), Operation(operation))
        for kind, name, pattern, acls in response.resources
        if kind in iter(Resource) and pattern in iter(Pattern)
        for principal, _host, operation, permission in acls
        if permission == ALLOW and principal.startswith("User:") and operation in iter(Operation)
    }


async def apply_acls(admin: AIOKafkaAdminClient, wanted: set[AclBinding], wait: float = 30.0) -> list[AclBinding]:
    """Create the wanted bindings the broker lacks, in one request; returns those created.

    Returns once the broker enforces them: the controller commits them first, and the
    broker's authorizer learns them from the metadata log a moment (up to seconds) later.
    """
    missing = sorted(wanted - await existing_bindings(admin))
    if missing:
        response = await admin._send_request(_CreateAcls(missing))
        errors = [(code, message) for code, message in response.creation_responses if code]
        if errors:
            raise RuntimeError(f"Kafka refused ACLs (code, message): {errors[:5]}")
        deadline = time.monotonic() + wait
        while not wanted <= await existing_bindings(admin):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the broker does not enforce the new ACLs after {wait:.0f} s")
            await asyncio.sleep(0.2)
    return missing


async def remove_acls(admin: AIOKafkaAdminClient, bindings: set[AclBinding]) -> None:
    """Delete exactly these bindings (a test or benchmark namespace's), in one request."""
    if bindings:
        response = await admin._send_request(_DeleteAcls(sorted(bindings)))
        errors = [result[0] for result in response.filter_responses if result[0]]
        if errors:
            raise RuntimeError(f"Kafka refused to delete ACLs (codes): {errors[:5]}")
