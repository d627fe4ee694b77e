"""Every version of the members' policies in the store, and what a service puts in force from them."""

from __future__ import annotations

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from andina.shared.policy.book import COLLECTION, PolicyBook
from andina.shared.policy.members import example_text
from andina.shared.store import Document

pytestmark = pytest.mark.integration


def version(country: str, number: int, text: str) -> Document:
    return {"_id": f"{country}/{number}", "country": country, "version": number, "text": text}


async def test_the_latest_version_of_each_member_is_in_force_and_every_version_is_kept(
    db: AsyncDatabase[Document],
) -> None:
    await db[COLLECTION].insert_many(
        [version("CO", 1, ""), version("CO", 2, example_text("CO")), version("BO", 1, example_text("BO"))]
    )
    book = PolicyBook(db, "intel-exchange")
    await book.ensure_indexes()

    assert {c: p.version for c, p in book.engine.members.items()} == {"BO": 1, "CO": 2}
    assert [d["version"] for d in await book.history("CO")] == [1, 2]


async def test_a_stored_version_a_newer_schema_refuses_leaves_the_earlier_one_in_force(
    db: AsyncDatabase[Document],
) -> None:
    await db[COLLECTION].insert_many(
        [
            version("CO", 1, example_text("CO")),
            version("CO", 2, 'forbid (principal, action == Action::"gone", resource);'),
        ]
    )
    book = PolicyBook(db, "intel-exchange")
    await book.ensure_indexes()  # the service starts

    assert book.engine.members["CO"].version == 1
