"""Every version of every member's policy, in the service's store; the engine of the latest ones.

A version is inserted once and never changed (``_id`` ``<country>/<version>``), so the
whole history stays for the auditors. At start-up the versions are read once and the
latest of each member is put in force; a change then swaps the engine in place.
"""

from __future__ import annotations

from datetime import datetime

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from andina.shared.envelope import Envelope
from andina.shared.events.policies import PolicyChange
from andina.shared.policy.engine import PolicyEngine
from andina.shared.policy.members import MemberPolicy, PolicyRefused
from andina.shared.policy.registry import AgencyRegistry
from andina.shared.rejections import Reason, Rejected
from andina.shared.store import Document, insert_document

COLLECTION = "policy_versions"


class PolicyBook:
    def __init__(self, db: AsyncDatabase[Document], registry: AgencyRegistry | None = None) -> None:
        self._versions: AsyncCollection[Document] = db[COLLECTION]
        self.engine = PolicyEngine(registry or AgencyRegistry.load())

    async def ensure_indexes(self) -> None:
        """The store's index, then the policies in force read from the store."""
        await self._versions.create_index("country")
        engine = self.engine
        async for doc in self._versions.find().sort("version", 1):
            engine = engine.with_member(MemberPolicy.check(doc["country"], doc["version"], doc["text"]))
        self.engine = engine

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
