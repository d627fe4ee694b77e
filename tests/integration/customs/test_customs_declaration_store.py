"""Declarations in the real store: filed again by the same event after a crash, paired by a recheck."""

from __future__ import annotations

import datetime as dt

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from andina.contract.events import customs as types
from andina.customs.adapters.declarations import DeclarationStore
from andina.customs.handlers.ports import Outcome
from andina.shared.publishing import Outgoing
from andina.shared.store import Document
from tests.customs_samples import HS, RECEIVED, filed, gold_export, gold_import
from tests.store_units import unit_of
from tests.unit.customs.fakes import Customs

pytestmark = pytest.mark.integration


async def test_a_rerun_after_a_crash_before_the_changelog_went_out_gets_what_the_first_run_sent(
    db: AsyncDatabase[Document],
) -> None:
    """The new process knows nothing of the number (no changelog entry), and now handles the import before its
    export: as new, it would match nothing and send nothing, and the export would then send the finding again
    under an id of its own."""
    customs = Customs()
    export, imported = filed(gold_export(), "PE"), filed(gold_import(), "CO")
    finding = {"id": str(imported.event_id), "type": types.DECLARATION_DISCREPANCY}
    sent = [Outgoing("customs-deliveries", country, finding) for country in ("CO", "PE")]
    first = DeclarationStore(db, customs.state().declarations)
    async with unit_of(first) as store:
        await store.add(export, Outcome(None, []))
        await store.add(imported, Outcome(export.key, sent))

    restarted = DeclarationStore(db, customs.state().declarations)
    async with unit_of(restarted) as store:
        outcome = await store.add(imported, Outcome(None, []), handled_before=True)

    assert (outcome.matched_with, outcome.outputs, outcome.replayed) == (export.key, sent, True)


async def test_a_pair_made_by_a_recheck_is_neither_waiting_after_a_restart_nor_made_twice(
    db: AsyncDatabase[Document],
) -> None:
    customs = Customs()
    export, imported = filed(gold_export(), "PE"), filed(gold_import(), "CO")
    store = DeclarationStore(db, customs.state().declarations)
    async with unit_of(store) as bound:
        await bound.add(export, Outcome(None, []))
        await bound.add(imported, Outcome(None, []))
    async with unit_of(store) as bound:
        made = await bound.matched_late(imported, Outcome(export.key, []), RECEIVED + dt.timedelta(seconds=6))

    async with unit_of(DeclarationStore(db, customs.state().declarations)) as restarted:
        again = await restarted.matched_late(imported, Outcome(None, []), RECEIVED + dt.timedelta(seconds=9))
        kept = await restarted.pending(RECEIVED - dt.timedelta(days=1), HS)

    assert (made.replayed, again.matched_with, again.replayed) == (False, export.key, True)
    assert kept.pending == []
