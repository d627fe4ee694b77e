"""Every topic of the bus, its partition count, and the one partitioner all producers use.

Topic names follow ``<namespace>.<service>.<stream>.v1``; the namespace is ``andina``, and
another one gives an isolated set of topics on the same cluster (tests, benchmarks).
Submissions are keyed by the sending (owner) country, directed messages by the
recipient; the record key is always a member country code and the partition is that
country's fixed index.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from andina.contract.countries import CountryRegistry, UnknownCountryError

SUBMISSIONS = "submissions"
DELIVERIES = "deliveries"
DEAD_LETTER = "dead-letter"
CHANGELOG = "changelog"  # a service's state changes, compacted: every instance reads it whole
# The members' policies in force, one entry per country (compacted), written by the one service that
# takes policy changes and read whole by every service (andina.shared.policy.network).
POLICIES = "policies"
COMPACTED_STREAMS = frozenset({CHANGELOG, POLICIES})


def topic_name(service: str, stream: str, major: int = 1, namespace: str = "andina") -> str:
    return f"{namespace}.{service}.{stream}.v{major}"


@dataclass(frozen=True, slots=True)
class TopicRegistry:
    partitions: int
    streams: dict[str, tuple[str, ...]]
    namespace: str = "andina"

    @classmethod
    def load(cls, path: Path | None = None) -> TopicRegistry:
        if path is None:
            text = resources.files("andina.contract").joinpath("data/topics.json").read_text()
        else:
            text = path.read_text()
        raw = json.loads(text)
        streams = {service: tuple(names) for service, names in raw["services"].items()}
        return cls(partitions=int(raw["partitions"]), streams=streams, namespace=raw.get("namespace", "andina"))

    @property
    def services(self) -> tuple[str, ...]:
        return tuple(self.streams)

    def all_topics(self) -> list[str]:
        return [
            topic_name(s, stream, namespace=self.namespace) for s, names in self.streams.items() for stream in names
        ]

    def topic(self, service: str, stream: str) -> str:
        if stream not in self.streams.get(service, ()):
            raise KeyError(f"no stream {stream!r} for service {service!r} in the topic registry")
        return topic_name(service, stream, namespace=self.namespace)

    def owner_of(self, stream: str) -> str:
        """The one service that writes ``stream`` (the members' policies, say)."""
        owners = [service for service, names in self.streams.items() if stream in names]
        if len(owners) != 1:
            raise KeyError(f"stream {stream!r} needs exactly one service in the topic registry, not {owners}")
        return owners[0]

    def compacted(self, topic: str) -> bool:
        """Whether the broker keeps only each key's last record of ``topic`` (a state changelog)."""
        return topic.rsplit(".", 2)[-2] in COMPACTED_STREAMS

    def consumer_group(self, service: str) -> str:
        return f"{self.namespace}-{service}"

    def check_fits(self, countries: CountryRegistry) -> None:
        """Fail early when a country's partition index does not exist on the topics."""
        if countries.highest_partition >= self.partitions:
            raise ValueError(
                f"topics have {self.partitions} partitions but the country registry "
                f"uses index {countries.highest_partition}: add partitions first"
            )


class CountryPartitioner:
    """aiokafka partitioner: the record key is a country code, the partition is its own.

    A record without a key, or keyed by a non-member, is refused rather than spread
    round-robin: a misrouted record would reach another country's agencies.
    """

    def __init__(self, countries: CountryRegistry) -> None:
        self._countries = countries

    def __call__(
        self,
        key: bytes | None,
        all_partitions: Sequence[int],
        available: Sequence[int] | None = None,
    ) -> int:
        if key is None:
            raise UnknownCountryError(None)
        partition = self._countries.partition_of(key.decode("ascii", "replace"))
        if partition not in all_partitions:
            raise ValueError(f"topic has no partition {partition} for country {key!r}")
        return partition
