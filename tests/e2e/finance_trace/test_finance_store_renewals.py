"""The report store on the real store: what a restart without a snapshot loads of holdings and party links
a later report named again (recorded with that report, not as an update of each)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from andina.contract.events.catalogs.finance_trace import REPORT_SUBMITTED
from andina.finance_trace.adapters.reports import ReportStore
from andina.finance_trace.domain.graph import Plan
from andina.finance_trace.domain.model import Held, Holding, ValidReport
from andina.shared.store import mongo_client
from tests.unit.finance_trace.reporting import CO_ACCOUNT, PE_ACCOUNT, event, wire

pytestmark = pytest.mark.integration

NAMED, RENEWED = Holding("acct-named", "account", "PE"), Holding("acct-renewed", "account", "PE")
PARTY = "party-1"
SENT_AT = datetime(2026, 1, 5, tzinfo=UTC)


@pytest.fixture
async def store(mongo_url: str) -> AsyncIterator[ReportStore]:
    client = mongo_client(mongo_url)
    db = client[f"t{uuid.uuid4().hex[:10]}_finance_store"]
    try:
        yield ReportStore(db)
    finally:
        await client.drop_database(db.name)
        await client.close()


async def _record(store: ReportStore, report_id: str, held: Held) -> None:
    inbound = event(REPORT_SUBMITTED, wire(PE_ACCOUNT, CO_ACCOUNT, "100", SENT_AT, report_id), "PE")
    valid = ValidReport(report_id, "PE", [], [], {}, {}, Decimal(0), [])
    await store.record(inbound.envelope, inbound.payload, valid, Plan(report_id, "PE"), held)


async def test_a_holding_and_a_link_named_again_are_loaded_with_their_last_time(store: ReportStore) -> None:
    links = [(PARTY, NAMED.ref), (PARTY, RENEWED.ref)]
    await _record(store, "r1", Held([NAMED, RENEWED], [], 100.0, links, []))
    await _record(store, "r2", Held([], [RENEWED], 200.0, [], [(PARTY, RENEWED.ref)]))

    held_after = {since: [h async for h in store.holdings(since, 300.0)] for since in (50.0, 150.0)}
    links_after = {since: [link async for link in store.party_accounts(since, 300.0)] for since in (50.0, 150.0)}

    assert sorted(held_after[50.0], key=str) == sorted([(NAMED, "r1", 100.0), (RENEWED, "r1", 200.0)], key=str)
    assert held_after[150.0] == [(RENEWED, "r1", 200.0)]  # named first by r1, last by r2
    assert sorted(links_after[50.0]) == [(PARTY, NAMED.ref, 100.0), (PARTY, RENEWED.ref, 200.0)]
    assert links_after[150.0] == [(PARTY, RENEWED.ref, 200.0)]
