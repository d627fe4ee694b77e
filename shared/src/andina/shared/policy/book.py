"""Every version of every member's policy, in the service's store; the engine of the latest ones.

A version is inserted once and never changed (``_id`` ``<country>/<version>``), so the
whole history stays for the auditors. At start-up the versions are read and the latest of
each member is put in force; a change then swaps the engine in place on the instance that
took it, and every other instance reads it from the store within ``REFRESH_SECONDS``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import structlog
from prometheus_client import CollectorRegistry
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from andina.shared.envelope import Envelope
from andina.shared.events.policies import PolicyChange
from andina.shared.metrics import Declare
from andina.shared.policy.engine import ACTIONS, Agency, Decision, Member, PolicyEngine, Resource, Service
from andina.shared.policy.members import MemberPolicy, PolicyRefused
from andina.shared.policy.registry import AgencyRegistry
from andina.shared.rejections import Reason, Rejected
from andina.shared.store import Document, insert_document

COLLECTION = "policy_versions"
REFRESH_SECONDS = 2.0  # another instance's change is in force here within this, plus a store read

log = structlog.get_logger(__name__)


class PolicyBook:
    def __init__(self, db: AsyncDatabase[Document], service: str, registry: CollectorRegistry | None = None) -> None:
        declare = Declare(registry or CollectorRegistry())
        self._versions: AsyncCollection[Document] = db[COLLECTION]
        self.engine = PolicyEngine(AgencyRegistry.load())
        decisions = declare.counter(
            "andina_policy_decisions_total",
            "Decisions under the members' policies, by action and outcome (permit, deny)",
            ("service", "action", "outcome"),
        )
        self._decisions = {
            (action, permitted): decisions.labels(service, action, "permit" if permitted else "deny")
            for action in ACTIONS
            for permitted in (True, False)
        }

    def decide(
        self, principal: Agency | Member | Service, action: str, resource: Resource, context: Mapping[str, Any]
    ) -> Decision:
        """The engine's decision under the policies in force, counted."""
        decision = self.engine.decide(principal, action, resource, context)
        self._decisions[action, decision.permitted].inc()
        return decision

    async def ensure_indexes(self) -> None:
        """The store's index, then the policies in force read from the store."""
        await self._versions.create_index("country")
        await self.refresh()

    async def refresh(self) -> None:
        """Put in force the versions newer than those held (a few documents: the store reads them all)."""
        engine = self.engine
        async for doc in self._versions.find({}, {"country": 1, "version": 1, "text": 1}).sort("version", 1):
            held = engine.members.get(doc["country"])
            if held is None or held.version < doc["version"]:
                try:
                    engine = engine.with_member(MemberPolicy.check(doc["country"], doc["version"], doc["text"]))
                except PolicyRefused as refused:  # accepted once, refused by a newer schema: the member must resend
                    log.error(
                        "stored policy no longer valid",
                        country=doc["country"],
                        version=doc["version"],
                        error=str(refused),
                    )
        self.engine = engine

    async def keep_refreshed(self) -> None:
        """Refresh every ``REFRESH_SECONDS`` until cancelled; a store outage only delays it."""
        while True:
            await asyncio.sleep(REFRESH_SECONDS)
            try:
                await self.refresh()
            except PyMongoError as exc:
                log.warning("policy refresh failed, will retry", error=str(exc))

    def next_version(self, country: str) -> int:
        current = self.engine.members.get(country)
        return 1 if current is None else current.version + 1

    def propose(self, sender: str, change: PolicyChange) -> MemberPolicy:
        """The next version of the sender's policy, checked; refused for another country's or a bad text."""
        if change.country != sender:
            raise Rejected(
                Reason.UNAUTHORIZED, f"only {change.country} may change {change.country}'s policy, not {sender}"
            )
        try:
            return MemberPolicy.check(sender, self.next_version(sender), change.policy)
        except PolicyRefused as refused:
            raise Rejected(Reason.INVALID_PAYLOAD, f"{refused}; the version in force stays") from None

    async def put(self, cause: Envelope, policy: MemberPolicy, note: str) -> None:
        """Keep ``policy`` as a new version and put it in force at once."""
        document = {
            "_id": f"{policy.country}/{policy.version}",
            "country": policy.country,
            "version": policy.version,
            "text": policy.text,
            "note": note,
            "event_id": str(cause.id),
            "agency": cause.source,
            "at": cause.time,
            "stored_at": datetime.now(cause.time.tzinfo),
        }
        await insert_document(self._versions, document)
        self.engine = self.engine.with_member(policy)

    async def history(self, country: str) -> list[Document]:
        """Every version ``country`` sent, oldest first (for operators)."""
        return [d async for d in self._versions.find({"country": country}).sort("version", 1)]
