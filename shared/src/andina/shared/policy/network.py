"""The members' policies reach every service: the policies topic, read as a global table.

The service that takes policy changes publishes each accepted version, signed with its key,
on its policies topic, keyed by the country (compaction keeps each member's latest). Every
service reads that topic whole at start, before it handles any event, and then follows it
(:mod:`andina.shared.changelog`): a new version is in force on every instance of every
service a topic round trip after its acceptance. An entry is put in force only if the
service of record signed it and the engine accepts its text again (a schema may have changed
since); otherwise the version held stays, and the refusal is logged and counted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import orjson
import structlog
from prometheus_client import CollectorRegistry
from pydantic import ValidationError

from andina.contract.events.policies import PolicyVersion, policy_version_type
from andina.contract.rejections import Reason, Rejected
from andina.contract.signing import KeyDirectory
from andina.contract.topics import POLICIES
from andina.shared.changelog import GlobalTable, global_table
from andina.shared.metrics import Declare
from andina.shared.policy.book import PolicyBook
from andina.shared.policy.members import MemberPolicy, PolicyRefused
from andina.shared.snapshots import Entry

if TYPE_CHECKING:
    from andina.shared.service import ServiceDependencies

log = structlog.get_logger(__name__)

IN_FORCE, REFUSED = "in-force", "refused"


class PolicyTable:
    """The policies topic applied to a :class:`PolicyBook`: a changelog ``StateTable`` of one entry per member."""

    def __init__(
        self, book: PolicyBook, directory: KeyDirectory, signer: str, service: str, registry: CollectorRegistry
    ) -> None:
        self._book = book
        self._directory = directory
        self._signer = signer  # the service of record, the only one whose versions count
        self._entries: dict[str, bytes] = {}
        versions = Declare(registry).counter(
            "andina_policy_versions_total",
            "Members' policy versions read from the policies topic: put in force, or refused (bad signature or text)",
            ("service", "outcome"),
        )
        self._outcomes = {outcome: versions.labels(service, outcome) for outcome in (IN_FORCE, REFUSED)}

    async def apply(self, entries: Sequence[Entry]) -> None:
        self.load(entries)

    def load(self, entries: Iterable[Entry]) -> None:
        for key, value in entries:
            try:
                policy = self._checked(key, value)
            except (Rejected, PolicyRefused, ValidationError, ValueError, KeyError) as refused:
                log.error("policy version refused; the version in force stays", country=key, error=str(refused))
                self._outcomes[REFUSED].inc()
                continue
            if policy.version < self._book.version_of(policy.country):
                continue  # an older version than the one held: nothing changes
            self._book.put_in_force(policy)  # a no-op where the change was taken: in force there already
            self._entries[key] = value
            self._outcomes[IN_FORCE].inc()
            log.info("policy in force", country=policy.country, version=policy.version)

    def frozen(self) -> Callable[[], Iterable[Entry]]:
        """What is in force, as entries (the protocol's; the policies topic takes no snapshots)."""
        entries = dict(self._entries)
        return lambda: entries.items()

    def _checked(self, country: str, value: bytes) -> MemberPolicy:
        attributes = orjson.loads(value)
        if attributes.get("signer") != self._signer or attributes.get("type") != policy_version_type(self._signer):
            raise Rejected(Reason.ORIGIN_MISMATCH, f"only {self._signer} publishes policy versions")
        self._directory.verify(attributes)
        version = PolicyVersion.model_validate(attributes["data"])
        if version.country != country:
            raise Rejected(Reason.INVALID_PAYLOAD, f"a version of {version.country}'s policy keyed as {country}'s")
        return MemberPolicy.check(version.country, version.version, version.policy)


@dataclass(frozen=True)
class NetworkPolicies:
    """A service's book of the policies in force (its handlers decide with it), and the reader that keeps
    it from the policies topic: ``reader.start`` among the service's ``startup``, ``reader.follow`` in
    its ``background``."""

    book: PolicyBook
    reader: GlobalTable


def network_policies(deps: ServiceDependencies) -> NetworkPolicies:
    book = PolicyBook(deps.service, deps.metrics.registry)
    signer = deps.topics.owner_of(POLICIES)
    table = PolicyTable(book, deps.directory, signer, deps.service, deps.metrics.registry)
    return NetworkPolicies(book, global_table(deps, table, deps.topics.topic(signer, POLICIES), None))
