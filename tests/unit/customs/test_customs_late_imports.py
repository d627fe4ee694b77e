"""An import filed after its export was reported unmatched: the finding is withdrawn, under a new revision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from andina.contract.events import customs as types
from andina.contract.events.customs.declarations import Declaration
from andina.customs.domain.unmatched import UNMATCHED
from andina.customs.handlers import declarations, unmatched
from andina.customs.handlers.ports import Ports
from andina.shared.publishing import Outgoing
from andina.shared.timers import Timer
from tests.customs_samples import gold_export, gold_import
from tests.fakes import delivered_to, inbound
from tests.unit.customs.fakes import Customs

LIGHTER = {"gross_weight_kg": "84.7", "quantity": "84.2"}  # 30 % less than exported
OCTOBER_1 = {"declared_on": "2026-10-01", "crossed_on": "2026-10-01"}


async def file(ports: Ports, country: str, payload: dict[str, Any]) -> list[Outgoing]:
    return await declarations.declaration_filed(
        inbound(types.DECLARATION_FILED, Declaration.model_validate(payload), country), ports
    )


async def reported_unmatched(ports: Ports, export: dict[str, Any]) -> dict[str, Any]:
    """``export`` filed, then CO files past its deadline (Oct 31 + 3 days of lateness): the finding, as PE has it."""
    await file(ports, "PE", export)
    later = await file(ports, "CO", gold_import(declared_on="2026-11-05", crossed_on="2026-11-05", partner="EC"))
    return delivered_to(later, types.UNMATCHED_SHIPMENT)["PE"]


async def test_an_import_filed_after_its_export_was_reported_withdraws_the_finding_and_is_checked() -> None:
    ports = Customs().ports()
    export = gold_export(**OCTOBER_1)
    reported = await reported_unmatched(ports, export)
    imported = gold_import(declared_on="2026-10-02", crossed_on="2026-10-02", **LIGHTER)

    outputs = await file(ports, "CO", imported)

    withdrawn = delivered_to(outputs, types.UNMATCHED_SHIPMENT_WITHDRAWN)
    assert sorted(withdrawn) == ["CO", "PE"]
    assert (withdrawn["PE"]["supersedes"], withdrawn["PE"]["revision"]) == (reported["finding_id"], 2)
    assert withdrawn["PE"]["finding_id"] != reported["finding_id"]
    assert (withdrawn["PE"]["exported"]["number"], withdrawn["PE"]["imported"]["number"]) == (
        export["number"],
        imported["number"],
    )
    found = delivered_to(outputs, types.DECLARATION_DISCREPANCY)["CO"]
    assert (found["exported"]["number"], found["imported"]["number"]) == (export["number"], imported["number"])
    assert f"PE/export/{export['number']}" not in ports.pending


async def test_a_new_process_still_withdraws_a_finding_the_previous_one_reported() -> None:
    customs = Customs()
    export = gold_export(**OCTOBER_1)
    reported = await reported_unmatched(customs.ports(), export)

    after = await customs.restarted()
    outputs = await file(after, "CO", gold_import(declared_on="2026-10-02", crossed_on="2026-10-02"))

    assert delivered_to(outputs, types.UNMATCHED_SHIPMENT_WITHDRAWN)["CO"]["supersedes"] == reported["finding_id"]
    assert delivered_to(outputs, types.UNMATCHED_SHIPMENT) == {}


async def test_an_export_whose_late_import_proves_another_exports_is_reported_again_as_the_next_revision() -> None:
    """CO's late import is paired by score with PE's reported export; its own export, by document, comes after."""
    ports = Customs().ports()
    reported_export = gold_export(transport_document="AWB 045-00000001", **OCTOBER_1)
    await reported_unmatched(ports, reported_export)
    late_import = gold_import(transport_document="AWB 045-00000002", declared_on="2026-10-11")
    withdrawn = delivered_to(await file(ports, "CO", late_import), types.UNMATCHED_SHIPMENT_WITHDRAWN)["PE"]
    dates = {"declared_on": "2026-10-09", "crossed_on": "2026-10-09"}

    outputs = await file(ports, "PE", gold_export(transport_document="AWB 045-00000002", **dates))

    again = delivered_to(outputs, types.UNMATCHED_SHIPMENT)["PE"]
    assert again["exported"]["number"] == reported_export["number"]
    assert (again["revision"], again["supersedes"]) == (3, withdrawn["finding_id"])
    assert again["finding_id"] not in (withdrawn["finding_id"], withdrawn["supersedes"])


async def test_an_export_reported_by_the_fallback_is_not_reported_again_and_its_late_import_withdraws_it() -> None:
    customs = Customs()
    ports = customs.ports()
    await file(ports, "PE", gold_export(**OCTOBER_1))
    reported = delivered_to(
        await unmatched.unmatched_exports_due(slot_timer(customs), ports), types.UNMATCHED_SHIPMENT
    )["PE"]

    later = await file(ports, "CO", gold_import(declared_on="2026-11-05", crossed_on="2026-11-05", partner="EC"))
    outputs = await file(ports, "CO", gold_import(declared_on="2026-10-02", crossed_on="2026-10-02"))

    assert delivered_to(later, types.UNMATCHED_SHIPMENT) == {}
    assert delivered_to(outputs, types.UNMATCHED_SHIPMENT_WITHDRAWN)["PE"]["supersedes"] == reported["finding_id"]


def slot_timer(customs: Customs) -> Timer:
    [(timer_id, scheduled)] = customs.timers.of_kind(UNMATCHED).items()
    return Timer(timer_id, UNMATCHED, scheduled.due_at, scheduled.data, "slot")


async def test_a_new_process_withdraws_a_finding_the_fallback_of_the_previous_one_reported() -> None:
    customs = Customs()
    before = customs.ports()
    await file(before, "PE", gold_export(**OCTOBER_1))
    customs.clock.advance(before.rules.unmatched_fallback + dt.timedelta(hours=2))
    fired = await unmatched.unmatched_exports_due(slot_timer(customs), before)

    after = await customs.restarted()
    outputs = await file(after, "CO", gold_import(declared_on="2026-10-02", crossed_on="2026-10-02"))

    reported = delivered_to(fired, types.UNMATCHED_SHIPMENT)["PE"]
    assert delivered_to(outputs, types.UNMATCHED_SHIPMENT_WITHDRAWN)["PE"]["supersedes"] == reported["finding_id"]


async def test_a_fallback_timer_due_while_the_service_was_down_reports_its_exports_after_the_restart() -> None:
    customs = Customs()
    before = customs.ports()
    export = gold_export(**OCTOBER_1)
    await file(before, "PE", export)
    customs.clock.advance(before.rules.unmatched_fallback + dt.timedelta(hours=2))

    after = await customs.restarted()
    outputs = await unmatched.unmatched_exports_due(slot_timer(customs), after)

    found = delivered_to(outputs, types.UNMATCHED_SHIPMENT)["PE"]
    assert (found["exported"]["number"], found["revision"]) == (export["number"], 1)
