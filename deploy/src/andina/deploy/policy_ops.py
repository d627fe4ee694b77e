"""What ``andina policy`` does: read the versions kept, send a member's policy once, explain a decision.

One service takes policy changes and keeps every version (the one whose topics include the
policies stream); every service puts each version in force from the policies topic.
"""

from __future__ import annotations

from typing import Any

from andina.contract.envelope import Envelope
from andina.contract.events.policies import policy_accepted_type, policy_changed_type
from andina.contract.events.receipts import event_rejected_type
from andina.contract.topics import POLICIES
from andina.deploy.demo_support import await_event, partition_ends
from andina.deploy.settings import Endpoints
from andina.shared.policy.book import PolicyBook
from andina.shared.policy.engine import Agency, Decision, Member, PolicyEngine, Resource, Service
from andina.shared.policy.versions import PolicyVersions
from andina.shared.store import Document, database_name, mongo_client


def policy_service(ends: Endpoints) -> str:
    """The service that takes policy changes and keeps every version."""
    return ends.andina.topics().owner_of(POLICIES)


async def policies_in_force(ends: Endpoints) -> tuple[PolicyEngine, list[Document]]:
    """The engine of each member's latest valid version, as every service has it in force, and every version kept
    (also a member's that the current schema no longer accepts)."""
    client = mongo_client(ends.mongo_url)
    service = policy_service(ends)
    try:
        versions = PolicyVersions(client[database_name(ends.andina.database_prefix, service)], PolicyBook(service), "")
        engine = (await versions.latest()).engine
        return engine, await versions.history()
    finally:
        await client.close()


async def send_policy(ends: Endpoints, country: str, text: str, note: str, patience: float) -> Envelope:
    """Send ``text`` as ``country``'s policy, once for every service; the answer: policy-accepted or event-rejected."""
    service = policy_service(ends)
    start = await partition_ends(ends, service, [country])
    async with ends.agency_client(country) as agency:
        sent = agency.event(policy_changed_type(service), {"country": country, "policy": text, "note": note})
        await agency.submit(service, sent)

    def answer(event: Envelope) -> bool:
        wanted = (policy_accepted_type(service), event_rejected_type(service))
        return event.type in wanted and event.causationid == sent.id

    return await await_event(ends, service, country, start[country], answer, patience, "the service's answer")


def typed(value: str) -> Any:
    """A context value as Cedar expects it: true/false a Bool, digits a Long, else a String."""
    if value in ("true", "false"):
        return value == "true"
    return int(value) if value.lstrip("-").isdigit() else value


SERVICE_PREFIX = "service:"  # --as service:intel-exchange: the network's own service, the principal of "keep"


def principal_named(principal: str) -> Agency | Member | Service:
    """``CC/agency`` an agency, ``CC`` a member (for what is addressed to countries: reports, alerts),
    ``service:<name>`` a service of the network (for what it keeps)."""
    if principal.startswith(SERVICE_PREFIX):
        return Service(principal.removeprefix(SERVICE_PREFIX))
    country, _, agency = principal.partition("/")
    return Agency(country, agency) if agency else Member(country)


def explain(
    engine: PolicyEngine, principal: str, action: str, resource: str, owner: str, attrs: list[str], context: list[str]
) -> Decision:
    """``principal`` as :func:`principal_named` reads it, ``resource`` ``Type:id``, ``attrs`` and ``context`` as
    ``name=value``."""
    kind, _, resource_id = resource.partition(":")
    pairs = dict(a.split("=", 1) for a in attrs)
    values = {name: typed(value) for name, value in (c.split("=", 1) for c in context)}
    return engine.decide(principal_named(principal), action, Resource(kind, resource_id, owner, pairs), values)
