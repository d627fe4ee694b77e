"""Every version of the members' policies in the store of the service that takes the changes."""

from __future__ import annotations

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from andina.contract.events.policies import PolicyChange, policy_changed_type
from andina.shared.policy.book import PolicyBook
from andina.shared.policy.members import example_text
from andina.shared.policy.versions import COLLECTION, PolicyVersions
from andina.shared.store import Document
from tests.fakes import inbound
from tests.store_units import unit_of

pytestmark = pytest.mark.integration


def version(country: str, number: int, text: str) -> Document:
    return {"_id": f"{country}/{number}", "country": country, "version": number, "text": text}


async def test_every_version_is_kept_and_a_restarted_service_numbers_the_next_one_after_them(
    db: AsyncDatabase[Document],
) -> None:
    await db[COLLECTION].insert_many(
        [version("CO", 1, ""), version("CO", 2, example_text("CO")), version("BO", 1, example_text("BO"))]
    )
    versions = PolicyVersions(db, PolicyBook("intel-exchange"), "policies")
    await versions.ensure_indexes()  # the service starts

    assert [d["version"] for d in await versions.history("CO")] == [1, 2]
    assert (versions.next_version("CO"), versions.next_version("EC")) == (3, 1)
    assert {c: p.version for c, p in (await versions.latest()).engine.members.items()} == {"BO": 1, "CO": 2}


async def test_a_stored_version_a_newer_schema_refuses_leaves_the_earlier_one_as_the_latest(
    db: AsyncDatabase[Document],
) -> None:
    await db[COLLECTION].insert_many(
        [
            version("CO", 1, example_text("CO")),
            version("CO", 2, 'forbid (principal, action == Action::"gone", resource);'),
        ]
    )
    versions = PolicyVersions(db, PolicyBook("intel-exchange"), "policies")

    assert (await versions.latest()).engine.members["CO"].version == 1


async def test_a_change_handled_again_makes_the_version_it_made_not_the_next(db: AsyncDatabase[Document]) -> None:
    versions = PolicyVersions(db, PolicyBook("intel-exchange"), "policies")
    await versions.ensure_indexes()
    change = PolicyChange(country="CO", policy=example_text("CO"), note="Ley 1581")
    first, later = (inbound(policy_changed_type("intel-exchange"), change, "CO").envelope for _ in range(2))
    for cause in (first, later):
        async with unit_of(versions) as batch:
            await batch.put(cause, await batch.propose(cause, change), change.note)

    async with unit_of(versions) as batch:  # after a crash, on this instance or another
        again = await batch.propose(first, change)

    assert (again.version, again.text, versions.next_version("CO")) == (1, change.policy, 3)
