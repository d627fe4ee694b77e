"""What a service puts in force from the policies topic: only a version the service of record signed,
only if its text is still valid, and never an older version over a newer one."""

from __future__ import annotations

from pathlib import Path

from prometheus_client import CollectorRegistry

from andina.contract.envelope import service_source, unsigned_event
from andina.contract.events.policies import PolicyVersion, policy_version_type
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind
from andina.shared.policy.book import PolicyBook
from andina.shared.policy.members import example_text
from andina.shared.policy.network import PolicyTable

RECORD, OTHER = "intel-exchange", "customs"


class Topic:
    def __init__(self, tmp_path: Path) -> None:
        self.keys = {service: SignerKey.generate(service) for service in (RECORD, OTHER)}
        for key in self.keys.values():
            KeyDirectory.publish(tmp_path / "directory.json", key, SignerKind.SERVICE)
        self.registry = CollectorRegistry()
        self.book = PolicyBook(OTHER, self.registry)
        directory = KeyDirectory.load(tmp_path / "directory.json")
        self.table = PolicyTable(self.book, directory, RECORD, OTHER, self.registry)

    def entry(self, version: int, text: str, signer: str = RECORD, country: str = "CO") -> tuple[str, bytes]:
        data = PolicyVersion(country=country, version=version, policy=text).model_dump(mode="json")
        event = unsigned_event(
            type=policy_version_type(signer), source=service_source(signer), origin=country, data=data
        )
        return country, self.keys[signer].sign(event)

    def counted(self, outcome: str) -> float | None:
        return self.registry.get_sample_value("andina_policy_versions_total", {"service": OTHER, "outcome": outcome})


async def test_a_signed_version_is_put_in_force_and_an_older_one_read_later_changes_nothing(tmp_path: Path) -> None:
    topic = Topic(tmp_path)

    await topic.table.apply([topic.entry(2, example_text("CO")), topic.entry(1, "")])

    assert topic.book.version_of("CO") == 2
    assert topic.book.engine.members["CO"].text == example_text("CO")
    assert topic.counted("in-force") == 1.0


async def test_a_version_another_service_signed_or_a_text_no_longer_valid_leaves_the_version_in_force(
    tmp_path: Path,
) -> None:
    topic = Topic(tmp_path)
    topic.table.load([topic.entry(1, example_text("CO"))])
    forged = topic.entry(2, "", signer=OTHER)
    tampered = (forged[0], topic.entry(3, "")[1].replace(b'"version":3', b'"version":4'))
    invalid = topic.entry(5, 'forbid (principal, action == Action::"gone", resource);')

    await topic.table.apply([forged, tampered, invalid, ("EC", topic.entry(6, "")[1])])

    assert topic.book.version_of("CO") == 1
    assert topic.counted("refused") == 4.0
