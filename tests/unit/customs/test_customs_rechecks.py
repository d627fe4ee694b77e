"""Who pairs two declarations filed through two instances within the changelog's lag: the recheck of the later."""

from __future__ import annotations

import datetime as dt

import pytest

from andina.contract.events import customs as types
from andina.customs.domain.rechecks import RECHECK
from andina.customs.handlers.rechecks import decides
from tests.customs_samples import gold_export, gold_import
from tests.unit.customs.fakes import Customs
from tests.unit.customs.test_customs_shared_state import LIGHTER, Instance


async def both_waiting(customs: Customs, first: str) -> tuple[Instance, Instance, str, str]:
    """PE's export and CO's import, ``first`` one second before the other, each filed through its own instance
    before it read the other's entry; then both instances have read everything."""
    peru, colombia = Instance(customs), Instance(customs)
    export, imported = gold_export(), gold_import(**LIGHTER)
    filings = [(peru, "PE", export), (colombia, "CO", imported)]
    for instance, country, payload in filings if first == "export" else filings[::-1]:
        await instance.file_within_the_lag(country, payload)
        customs.clock.advance(dt.timedelta(seconds=1))
    await peru.catch_up()
    await colombia.catch_up()
    return peru, colombia, f"PE/export/{export['number']}", f"CO/import/{imported['number']}"


@pytest.mark.parametrize(("first", "later"), [("export", "import"), ("import", "export")])
async def test_of_two_waiting_declarations_that_match_only_the_later_ones_recheck_pairs_them(
    first: str, later: str
) -> None:
    peru, _, export, imported = await both_waiting(Customs(), first)
    waiting = {"export": peru.ports.pending.get(export), "import": peru.ports.pending.get(imported)}

    decisions = {flow: decides(declaration, peru.ports) for flow, declaration in waiting.items() if declaration}

    assert decisions == {first: False, later: True}


@pytest.mark.parametrize("fired_first", ["export's", "import's"])
async def test_each_instance_firing_the_recheck_of_its_own_filing_reports_the_pair_once(fired_first: str) -> None:
    """The second recheck is fired before its instance read what the first did."""
    customs = Customs()
    peru, colombia, _, _ = await both_waiting(customs, "export")
    export_second, import_second = sorted(customs.timers.of_kind(RECHECK))
    rechecks = [(peru, export_second), (colombia, import_second)]
    (first, first_timer), (second, second_timer) = rechecks if fired_first == "export's" else rechecks[::-1]

    outputs = await first.recheck(first_timer) + await second.recheck_before_reading(second_timer)

    found = [o.recipient for o in outputs if o.attributes["type"] == types.DECLARATION_DISCREPANCY]
    assert sorted(found) == ["CO", "PE"]


async def test_a_pair_made_by_a_recheck_stays_made_after_a_restart_from_the_store() -> None:
    customs = Customs()
    peru, _, _, _ = await both_waiting(customs, "import")
    await peru.recheck()

    restarted = await customs.restarted()

    assert len(restarted.pending) == 0


async def test_a_recheck_fired_again_by_an_instance_that_missed_the_first_sends_what_the_first_sent() -> None:
    """Its timer fired again after a crash, on an instance whose state does not show the pair made yet."""
    customs = Customs()
    peru, colombia, _, _ = await both_waiting(customs, "export")
    timers = dict(customs.timers.pending)
    first = await peru.recheck()
    customs.timers.pending.update(timers)

    again = await colombia.recheck_before_reading()

    assert [o.attributes["id"] for o in again] == [o.attributes["id"] for o in first] != []
