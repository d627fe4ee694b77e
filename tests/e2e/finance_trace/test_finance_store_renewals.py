"""The report store on the real store: what a restart without a snapshot loads of holdings and party links
a later report named again (recorded with that report, not as an update of each), and of links stored
before links recorded their reporter."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from andina.contract.events.catalogs.finance_trace import REPORT_SUBMITTED
from andina.finance_trace.adapters.reports import ReportStore
from andina.finance_trace.domain.graph import Plan
from andina.finance_trace.domain.model import Held, Holding, ValidReport
from andina.finance_trace.domain.sharing import UNKNOWN_REPORTER
from andina.shared.store import Document, mongo_client
from tests.store_units import unit_of
from tests.unit.finance_trace.reporting import CO_ACCOUNT, PE_ACCOUNT, event, wire

pytestmark = pytest.mark.integration

NAMED, RENEWED = Holding("acct-named", "account", "PE"), Holding("acct-renewed", "account", "PE")
PARTY = "party-1"
SENT_AT = datetime(2026, 1, 5, tzinfo=UTC)


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[AsyncDatabase[Document]]:
    client = mongo_client(mongo_url)
    database: AsyncDatabase[Document] = client[f"t{uuid.uuid4().hex[:10]}_finance_store"]
    try:
        yield database
    finally:
        await client.drop_database(database.name)
        await client.close()


@pytest.fixture
def store(db: AsyncDatabase[Document]) -> ReportStore:
    return ReportStore(db)


async def _record(store: ReportStore, report_id: str, held: Held) -> None:
    inbound = event(REPORT_SUBMITTED, wire(PE_ACCOUNT, CO_ACCOUNT, "100", SENT_AT, report_id), "PE")
    valid = ValidReport(report_id, "PE", [], [], {}, {}, Decimal(0), [])
    async with unit_of(store) as batch:
        await batch.record(inbound.envelope, inbound.payload, valid, Plan(report_id, "PE"), held)


async def test_a_holding_and_a_link_named_again_are_loaded_with_their_last_time(store: ReportStore) -> None:
    named, renewed = (PARTY, NAMED.ref, "PE"), (PARTY, RENEWED.ref, "PE")
    await _record(store, "r1", Held([NAMED, RENEWED], [], 100.0, [named, renewed], []))
    await _record(store, "r2", Held([], [RENEWED], 200.0, [], [renewed]))

    held_after = {since: [h async for h in store.holdings(since, 300.0)] for since in (50.0, 150.0)}
    links_after = {since: [link async for link in store.party_accounts(since, 300.0)] for since in (50.0, 150.0)}

    assert sorted(held_after[50.0], key=str) == sorted([(NAMED, "r1", 100.0), (RENEWED, "r1", 200.0)], key=str)
    assert held_after[150.0] == [(RENEWED, "r1", 200.0)]  # named first by r1, last by r2
    assert sorted(links_after[50.0]) == [(named, 100.0), (renewed, 200.0)]
    assert links_after[150.0] == [(renewed, 200.0)]


async def test_a_link_stored_before_links_recorded_their_reporter_loads_with_an_unknown_one(
    db: AsyncDatabase[Document], store: ReportStore
) -> None:
    await db["party_accounts"].insert_one({"_id": f"{PARTY}|acct", "party": PARTY, "account": "acct", "named_at": 1.0})
    await _record(store, "r1", Held([], [], 2.0, [(PARTY, "acct", "CO")], []))

    loaded = sorted([link async for link in store.party_accounts(0.0, 3.0)])

    assert loaded == [((PARTY, "acct", UNKNOWN_REPORTER), 1.0), ((PARTY, "acct", "CO"), 2.0)]
