"""Unmatched exports are judged on declared dates: how far the importing country has filed, not when things arrived."""

import datetime as dt
from decimal import Decimal

import pytest

from andina.customs.domain.declarations import FiledDeclaration
from andina.customs.domain.event_time import EventTime
from andina.customs.domain.findings import unmatched, unmatched_finding_id
from tests.customs_samples import filed, gold_export, gold_import

WAIT, LATENESS = dt.timedelta(days=30), dt.timedelta(days=3)
USD = {"amount": "9640000", "currency": "USD"}
LATER = dt.datetime(2027, 6, 1, tzinfo=dt.UTC)  # received long after: filings of the past


def co_import(declared_on: str) -> FiledDeclaration:
    """Some import CO filed, of another shipment, declared on ``declared_on``."""
    payload = gold_import(declared_on=declared_on, crossed_on=declared_on, transport_document="OTHER")
    return filed(payload, "CO", received_at=LATER)


def test_an_export_is_overdue_once_its_importer_has_filed_past_its_deadline_plus_the_lateness() -> None:
    clock = EventTime(WAIT, LATENESS)
    export = filed(gold_export(declared_on="2026-11-18"), "PE")  # due by 2026-12-18
    clock.record(export, waits=True)

    before = co_import("2026-12-20")  # CO has filed up to 12-17 for sure
    assert clock.overdue(before, waits=False) == []
    clock.record(before, waits=False)
    after = co_import("2026-12-21")

    assert clock.overdue(after, waits=False) == [export.key]


@pytest.mark.parametrize("gap", [dt.timedelta(seconds=1), dt.timedelta(days=31)], ids=["replayed", "live"])
@pytest.mark.parametrize(("co_filed_until", "overdue"), [("2026-11-08", False), ("2026-12-04", True)])
def test_only_declared_dates_decide_not_how_long_after_the_export_things_arrived(
    gap: dt.timedelta, co_filed_until: str, overdue: bool
) -> None:
    clock = EventTime(WAIT, LATENESS)
    received = dt.datetime(2026, 12, 10, tzinfo=dt.UTC)  # a backfill: all declared before
    export = filed(gold_export(declared_on="2026-11-01"), "PE", received_at=received)  # due by 2026-12-01
    clock.record(export, waits=True)
    co = gold_import(declared_on=co_filed_until, crossed_on=co_filed_until, transport_document="OTHER")
    later = filed(co, "CO", received_at=received + gap)

    assert clock.overdue(later, waits=False) == ([export.key] if overdue else [])


def test_another_country_filing_far_ahead_does_not_close_the_export() -> None:
    clock = EventTime(WAIT, LATENESS)
    export = filed(gold_export(declared_on="2026-11-18"), "PE")
    clock.record(export, waits=True)
    ecuador = filed(gold_export(declared_on="2027-01-20", partner="CO", value=USD), "EC", received_at=LATER)

    assert clock.overdue(ecuador, waits=False) == []


def test_an_export_filed_after_its_importer_has_passed_its_deadline_is_overdue_on_arrival() -> None:
    """A member loading its history after its partner did: the import would already be there."""
    clock = EventTime(WAIT, LATENESS)
    clock.record(co_import("2027-02-01"), waits=False)
    export = filed(gold_export(declared_on="2026-11-18"), "PE")

    assert clock.overdue(export, waits=True) == [export.key]
    assert clock.overdue(export, waits=False) == []  # matched on arrival: it does not wait


def test_an_overdue_export_is_reported_once() -> None:
    clock = EventTime(WAIT, LATENESS)
    export = filed(gold_export(declared_on="2026-11-18"), "PE")
    clock.record(export, waits=True)
    first = co_import("2027-01-10")
    clock.record(first, waits=False)

    assert clock.overdue(co_import("2027-01-11"), waits=False) == []


def test_the_watermark_comes_back_from_the_store_at_start_up() -> None:
    clock = EventTime(WAIT, LATENESS)
    export = filed(gold_export(declared_on="2026-11-18"), "PE")
    clock.restore({"CO": dt.date(2027, 1, 10)})

    assert clock.overdue(export, waits=True) == [export.key]


def test_the_finding_is_the_same_whenever_it_is_reached() -> None:
    """A re-emission (after a restart, or by the wall-clock fallback) carries equal data under its id."""
    export = filed(gold_export(declared_on="2026-11-18"), "PE")

    first, again = (unmatched(export, WAIT) for _ in range(2))

    assert first.model_dump_json() == again.model_dump_json()
    assert (first.waited_days, first.due_by, first.revision, first.supersedes) == (
        Decimal(30),
        dt.date(2026, 12, 18),
        1,
        None,
    )


def test_a_report_after_a_withdrawal_is_a_new_revision_under_its_own_id() -> None:
    export = filed(gold_export(declared_on="2026-11-18"), "PE")

    first, third = unmatched(export, WAIT), unmatched(export, WAIT, revision=3)

    assert third.finding_id not in (first.finding_id, unmatched_finding_id(export, 2))
    assert third.supersedes == unmatched_finding_id(export, 2)


def test_an_export_watched_twice_paired_then_released_is_overdue_once() -> None:
    clock = EventTime(WAIT, LATENESS)
    export = filed(gold_export(declared_on="2026-11-18"), "PE")
    clock.record(export, waits=True)
    clock.watch(export)

    assert clock.overdue(co_import("2027-01-10"), waits=False) == [export.key]
