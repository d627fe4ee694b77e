"""Every version of every member's policy, kept by the one service that takes policy changes.

A version is inserted once and never changed (``_id`` ``<country>/<version>``), so the
whole history stays for the auditors. The service publishes each version it keeps on the
policies topic; every service (itself included) puts it in force from there.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from andina.contract.envelope import Envelope
from andina.contract.events.policies import PolicyChange
from andina.contract.rejections import Reason, Rejected
from andina.shared.policy.book import PolicyBook
from andina.shared.policy.members import MemberPolicy, PolicyRefused
from andina.shared.store import Document, InUnitOfWork

COLLECTION = "policy_versions"


class PolicyVersions(InUnitOfWork):
    def __init__(self, db: AsyncDatabase[Document], book: PolicyBook, topic: str) -> None:
        self._versions: AsyncCollection[Document] = db[COLLECTION]
        self._book = book
        self.topic = topic  # the policies topic each kept version is published on
        self._kept: dict[str, int] = {}  # country -> its latest version kept here

    async def ensure_indexes(self) -> None:
        """The store's indexes, then the latest version of each member (the next one follows it)."""
        await self._versions.create_index("country")
        await self._versions.create_index("event_id")
        async for doc in self._versions.find({}, {"country": 1, "version": 1}):
            self._kept[doc["country"]] = max(doc["version"], self._kept.get(doc["country"], 0))

    def next_version(self, country: str) -> int:
        # The book knows what another instance kept (from the topic), this one what it kept itself
        # in a batch whose writes are not in the store yet.
        return max(self._kept.get(country, 0), self._book.version_of(country)) + 1

    async def propose(self, cause: Envelope, change: PolicyChange) -> MemberPolicy:
        """The next version of the sender's policy, checked; refused for another country's or a bad text.
        A change handled again (a crash before the commit) makes the version it made then, not the next one."""
        made = await self.made_by(cause.id)
        if made is not None:
            return made
        sender = cause.origin
        if change.country != sender:
            raise Rejected(
                Reason.UNAUTHORIZED, f"only {change.country} may change {change.country}'s policy, not {sender}"
            )
        try:
            return MemberPolicy.check(sender, self.next_version(sender), change.policy)
        except PolicyRefused as refused:
            raise Rejected(Reason.INVALID_PAYLOAD, f"{refused}; the version in force stays") from None

    async def put(self, cause: Envelope, policy: MemberPolicy, note: str) -> None:
        """Keep ``policy`` as a new version, in force here (the handler publishes it for every service)."""
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
        await self.unit.insert(self._versions, document)
        self._kept[policy.country] = max(policy.version, self._kept.get(policy.country, 0))  # also if handled again
        self._book.put_in_force(policy)  # here at once; on every other service from the topic

    async def made_by(self, change_id: UUID) -> MemberPolicy | None:
        """The version the change ``change_id`` made, if it was kept (by any instance, or in the batch under way);
        None if not, or if a newer schema refuses it (then it is refused again)."""
        doc = await self.unit.find(self._versions, {"event_id": str(change_id)})
        if doc is None:
            return None
        try:
            return MemberPolicy.check(doc["country"], doc["version"], doc["text"])
        except PolicyRefused:
            return None

    async def history(self, country: str | None = None) -> list[Document]:
        """Every version ``country`` sent (every member's when None, by country), oldest first (for operators)."""
        sent_by = {} if country is None else {"country": country}
        return [d async for d in self._versions.find(sent_by).sort([("country", 1), ("version", 1)])]

    async def latest(self) -> PolicyBook:
        """A book of each member's latest valid version, as the services put them in force (for operators)."""
        book = PolicyBook("operator")
        async for doc in self._versions.find({}, {"country": 1, "version": 1, "text": 1}).sort("version", 1):
            try:
                book.put_in_force(MemberPolicy.check(doc["country"], doc["version"], doc["text"]))
            except PolicyRefused:  # accepted once, refused by a newer schema: the services skip it too
                continue
        return book
