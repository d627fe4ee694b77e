"""Fixtures of the integration tier: a fresh database in the real store for each test."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from andina.shared.store import Document, mongo_client


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[AsyncDatabase[Document]]:
    """A database of its own for the test, dropped after it."""
    client = mongo_client(mongo_url)
    database = client[f"t{uuid.uuid4().hex[:10]}_it"]
    try:
        yield database
    finally:
        await client.drop_database(database.name)
        await client.close()
