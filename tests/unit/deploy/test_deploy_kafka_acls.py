"""The ACLs computed from the registries: what each country and each service may do on the bus."""

from __future__ import annotations

from dataclasses import replace

import pytest

from andina.contract.countries import CountryRegistry
from andina.contract.topics import TopicRegistry
from andina.deploy.kafka_acls import AclBinding, Operation, Pattern, Resource, acl_bindings

REGISTRY = replace(TopicRegistry.load(), namespace="ns")
COUNTRIES = CountryRegistry.load().codes


def allowed(user: str) -> set[tuple[str, Operation]]:
    """(resource name, operation) pairs the user is allowed, whatever the resource type."""
    return {(b.name, b.operation) for b in acl_bindings(REGISTRY, COUNTRIES) if b.user == user}


def topics_with(user: str, operation: Operation) -> set[str]:
    return {
        b.name
        for b in acl_bindings(REGISTRY, COUNTRIES)
        if b.user == user and b.operation == operation and b.resource == Resource.TOPIC
    }


def test_a_country_writes_every_submissions_topic_and_reads_every_deliveries_topic_only() -> None:
    assert topics_with("agency-pe", Operation.WRITE) == {f"ns.{s}.submissions.v1" for s in REGISTRY.services}
    assert topics_with("agency-pe", Operation.READ) == {f"ns.{s}.deliveries.v1" for s in REGISTRY.services}


def test_a_country_may_not_even_see_dead_letters_or_signals() -> None:
    described = topics_with("agency-co", Operation.DESCRIBE)

    assert not [t for t in described if ".dead-letter." in t or ".signals." in t]


def test_a_countrys_consumer_groups_are_its_own_prefix() -> None:
    groups = [b for b in acl_bindings(REGISTRY, COUNTRIES) if b.user == "agency-ec" and b.resource == Resource.GROUP]

    assert {(b.name, b.pattern) for b in groups} == {("ns-agency-ec", Pattern.PREFIXED)}


@pytest.mark.parametrize("service", ["alerts", "intel-exchange", "customs", "finance-trace"])
def test_a_service_reads_its_submissions_and_writes_its_own_outputs(service: str) -> None:
    user = f"svc-{service}"
    outputs = {f"ns.{service}.{stream}.v1" for stream in REGISTRY.streams[service] if stream != "submissions"}

    assert topics_with(user, Operation.WRITE) == outputs
    assert f"ns.{service}.submissions.v1" in topics_with(user, Operation.READ)
    assert (f"ns-{service}", Operation.READ) in allowed(user)


def test_only_the_24_7_network_reads_the_other_services_signals() -> None:
    signals = {f"ns.{s}.signals.v1" for s in REGISTRY.services if "signals" in REGISTRY.streams[s]}
    readers = {b.user for b in acl_bindings(REGISTRY, COUNTRIES) if b.name in signals and b.operation == Operation.READ}

    assert topics_with("svc-alerts", Operation.READ) == {
        "ns.alerts.submissions.v1",
        "ns.intel-exchange.policies.v1",
        *signals,
    }
    assert readers == {"svc-alerts"}


def test_every_service_reads_the_members_policies_and_only_the_one_that_takes_changes_writes_them() -> None:
    policies = "ns.intel-exchange.policies.v1"
    granted = {(b.user, b.operation) for b in acl_bindings(REGISTRY, COUNTRIES) if b.name == policies}

    assert {user for user, op in granted if op == Operation.READ} == {f"svc-{s}" for s in REGISTRY.services}
    assert {user for user, op in granted if op == Operation.WRITE} == {"svc-intel-exchange"}


def test_only_the_service_s_own_instances_read_and_write_its_changelog() -> None:
    changelog = "ns.intel-exchange.changelog.v1"
    granted = {(b.user, b.operation) for b in acl_bindings(REGISTRY, COUNTRIES) if b.name == changelog}

    assert granted == {("svc-intel-exchange", op) for op in (Operation.READ, Operation.WRITE, Operation.DESCRIBE)}


def test_no_one_but_a_service_may_read_its_submissions() -> None:
    readers = {
        b.user
        for b in acl_bindings(REGISTRY, COUNTRIES)
        if b.name == "ns.customs.submissions.v1" and b.operation == Operation.READ
    }

    assert readers == {"svc-customs"}


def test_a_new_member_gets_its_own_bindings_and_changes_no_one_elses() -> None:
    before = acl_bindings(REGISTRY, COUNTRIES)
    after = acl_bindings(REGISTRY, [*COUNTRIES, "VE"])

    assert before < after
    assert {b.user for b in after - before} == {"agency-ve"}


def test_bindings_are_literal_names_of_this_namespace_only() -> None:
    bindings = acl_bindings(REGISTRY, COUNTRIES)
    other = acl_bindings(replace(REGISTRY, namespace="other"), COUNTRIES)

    assert all(b.name.startswith("ns.") or b.name.startswith("ns-") for b in bindings)
    assert not bindings & other
    assert all(b.pattern == Pattern.LITERAL for b in bindings if b.resource == Resource.TOPIC)


def test_a_binding_allows_the_user_principal_from_any_host() -> None:
    binding = AclBinding(Resource.TOPIC, "ns.alerts.deliveries.v1", Pattern.LITERAL, "agency-bo", Operation.READ)

    assert binding.wire() == (2, "ns.alerts.deliveries.v1", 3, "User:agency-bo", "*", 3, 3)


def test_a_programme_only_member_reaches_its_programmes_service_and_no_other_topic() -> None:
    countries = CountryRegistry.load()
    bindings = acl_bindings(REGISTRY, countries.every_code, countries.programme_reach())
    cl = {(b.name, b.operation) for b in bindings if b.user == "agency-cl" and b.resource == Resource.TOPIC}

    assert cl == {
        ("ns.alerts.submissions.v1", Operation.WRITE),
        ("ns.alerts.submissions.v1", Operation.DESCRIBE),
        ("ns.alerts.deliveries.v1", Operation.READ),
        ("ns.alerts.deliveries.v1", Operation.DESCRIBE),
    }
    full = {b for b in bindings if b.user == "agency-pe"}
    assert full == {b for b in acl_bindings(REGISTRY, COUNTRIES) if b.user == "agency-pe"}  # full members unchanged
