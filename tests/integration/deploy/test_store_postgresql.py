"""FerretDB on PostgreSQL, as ``ANDINA_STACK_STORE_BACKEND=postgresql`` starts it: documents go in and come back.

It runs on a state folder and ports of its own, beside the stack's store, and is stopped after.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pymongo import MongoClient

from andina.deploy import postgres, store
from andina.deploy.fleet import free_port
from andina.deploy.processes import StackError
from andina.deploy.settings import StackSettings

Document = dict[str, object]


@pytest.fixture(scope="module")
def postgresql_store() -> Iterator[tuple[str, StackSettings]]:
    try:
        postgres.ensure_installed()
    except StackError as cannot:
        pytest.skip(f"PostgreSQL cannot be installed on this machine: {cannot}")
    with tempfile.TemporaryDirectory(prefix="andina-store-pg-") as state:
        os.chmod(state, 0o755)  # the server's own account must reach its data folder
        settings = StackSettings(
            state_dir=Path(state), mongo_port=free_port(), postgres_port=free_port(), store_backend="postgresql"
        )
        with store.running(settings) as mongo_url:
            yield mongo_url, settings


def test_a_document_written_through_ferretdb_is_read_updated_and_deleted(
    postgresql_store: tuple[str, StackSettings],
) -> None:
    mongo_url, _ = postgresql_store
    client: MongoClient[Document] = MongoClient(mongo_url, serverSelectionTimeoutMS=10_000)
    alerts = client["roundtrip"]["alerts"]
    try:
        alerts.insert_one({"_id": "A-1", "status": "raised", "recipients": ["BO", "PE"]})
        alerts.update_one({"_id": "A-1", "status": "raised"}, {"$set": {"status": "delivered"}})

        assert alerts.find_one({"_id": "A-1"}) == {"_id": "A-1", "status": "delivered", "recipients": ["BO", "PE"]}
        assert alerts.delete_one({"_id": "A-1"}).deleted_count == 1
        assert alerts.count_documents({}) == 0
    finally:
        client.drop_database("roundtrip")
        client.close()


def test_the_documents_are_kept_by_postgresql_not_in_sqlite_files(postgresql_store: tuple[str, StackSettings]) -> None:
    mongo_url, settings = postgresql_store
    client: MongoClient[Document] = MongoClient(mongo_url, serverSelectionTimeoutMS=10_000)
    try:
        client["kept"]["things"].insert_one({"_id": 1})

        assert list((settings.state / "ferretdb").glob("*.sqlite")) == []
        assert (postgres.data_dir(settings) / "PG_VERSION").exists()
    finally:
        client.drop_database("kept")
        client.close()
