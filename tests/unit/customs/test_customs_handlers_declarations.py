"""Declaration cross-check handlers over in-memory fakes: matches, discrepancies, withdrawals, unmatched exports."""

from __future__ import annotations

from typing import Any

import pytest

from andina.contract.events import customs as types
from andina.contract.events.customs.declarations import Declaration
from andina.contract.rejections import Reason, Rejected
from andina.customs.domain.unmatched import UNMATCHED
from andina.customs.handlers import declarations, unmatched
from andina.customs.handlers.ports import Ports
from andina.shared.gate import Inbound
from andina.shared.publishing import Outgoing
from andina.shared.timers import Timer
from tests.customs_samples import gold_export, gold_import
from tests.fakes import delivered_to, inbound
from tests.unit.customs.fakes import SIGNALS, Customs, counted

LIGHTER = {"gross_weight_kg": "84.7", "quantity": "84.2"}  # 30 % less than exported


def filing(country: str, payload: dict[str, Any]) -> Inbound[Declaration]:
    return inbound(types.DECLARATION_FILED, Declaration.model_validate(payload), country)


async def file(ports: Ports, country: str, payload: dict[str, Any]) -> list[Outgoing]:
    return await declarations.declaration_filed(filing(country, payload), ports)


def numbers(finding: dict[str, Any]) -> tuple[str, str]:
    return finding["exported"]["number"], finding["imported"]["number"]


async def test_an_import_lighter_than_its_export_is_a_discrepancy_for_both_countries_and_an_alert() -> None:
    customs = Customs()
    ports = customs.ports()
    export, imported = gold_export(), gold_import(**LIGHTER)
    await file(ports, "PE", export)

    outputs = await file(ports, "CO", imported)

    found = delivered_to(outputs, types.DECLARATION_DISCREPANCY)
    assert sorted(found) == ["CO", "PE"]
    assert found["PE"] == found["CO"]
    assert numbers(found["PE"]) == (export["number"], imported["number"])
    assert {d["compared"] for d in found["PE"]["differences"]} == {"gross-weight", "quantity"}
    assert (found["PE"]["method"], found["PE"]["severity"]) == ("transport-document", "critical")  # gold: a step up
    [alert] = [o for o in outputs if o.topic == SIGNALS]
    assert (alert.recipient, alert.attributes["data"]["signal"]) == ("CO", "customs-discrepancy")
    subject = f"declaration/CO/import/{imported['number']}"
    assert {("delivered", "CO", subject), ("delivered", "PE", subject)} <= set(customs.audit.actions())
    assert len(ports.pending) == 0
    assert counted(ports.metrics.matches, exporter="PE", importer="CO", method="transport-document") == 1


async def test_other_goods_imported_without_document_or_container_are_a_discrepancy_on_the_scored_pair() -> None:
    """Nothing joins the two exactly: the parties, dates and weight pair them, and the HS code is the finding."""
    customs = Customs()
    ports = customs.ports()
    export = gold_export(transport_document=None, containers=[])
    imported = gold_import(transport_document=None, containers=[], hs_code="261690", description="Concentrado")
    await file(ports, "PE", export)

    outputs = await file(ports, "CO", imported)

    found = delivered_to(outputs, types.DECLARATION_DISCREPANCY)
    assert sorted(found) == ["CO", "PE"]
    assert numbers(found["CO"]) == (export["number"], imported["number"])
    assert found["CO"]["method"] == "scored"
    assert [(d["compared"], d["exported"], d["imported"]) for d in found["CO"]["differences"]] == [
        ("hs-code", "710812", "261690")
    ]
    assert len(ports.pending) == 0


async def test_an_import_that_agrees_with_its_export_reports_nothing_and_both_stop_waiting() -> None:
    ports = Customs().ports()
    await file(ports, "PE", gold_export())

    assert await file(ports, "CO", gold_import()) == []
    assert len(ports.pending) == 0


async def test_exports_waiting_for_their_import_share_one_fallback_timer_per_slot() -> None:
    customs = Customs()
    ports = customs.ports()

    await file(ports, "PE", gold_export())
    await file(ports, "PE", gold_export())

    [timer] = customs.timers.of_kind(UNMATCHED).values()
    assert timer.data["exporter"] == "PE"
    assert timer.due_at >= customs.clock() + ports.rules.unmatched_fallback
    assert len(ports.pending) == 2


async def test_an_export_is_unmatched_once_its_importing_country_files_past_its_deadline() -> None:
    customs = Customs()
    ports = customs.ports()
    export = gold_export(declared_on="2026-10-01", crossed_on="2026-10-01")
    await file(ports, "PE", export)

    imported = gold_import(declared_on="2026-11-05", crossed_on="2026-11-05", partner="EC")
    later = await file(ports, "CO", imported)

    unmatched = delivered_to(later, types.UNMATCHED_SHIPMENT)
    assert sorted(unmatched) == ["CO", "PE"]
    assert unmatched["PE"]["exported"]["number"] == export["number"]
    assert [o.attributes["data"]["signal"] for o in later if o.topic == SIGNALS] == ["customs-unmatched-shipment"]
    assert ("delivered", "PE", f"declaration/CO/import/{imported['number']}") in customs.audit.actions()
    assert f"CO/import/{imported['number']}" in ports.pending  # the import from EC, awaiting its export


async def test_the_fallback_timer_reports_the_exports_of_its_slot_still_waiting() -> None:
    customs = Customs()
    ports = customs.ports()
    export = gold_export()
    await file(ports, "PE", export)
    [(timer_id, scheduled)] = customs.timers.of_kind(UNMATCHED).items()

    outputs = await unmatched.unmatched_exports_due(
        Timer(timer_id, UNMATCHED, scheduled.due_at, scheduled.data, "slot"), ports
    )

    assert delivered_to(outputs, types.UNMATCHED_SHIPMENT)["PE"]["exported"]["number"] == export["number"]
    assert ("delivered", "CO", f"declaration/PE/export/{export['number']}") in customs.audit.actions()
    assert counted(ports.metrics.findings, kind="unmatched-shipment", severity="high", country="PE") == 1


async def test_a_scored_pair_undone_by_the_better_match_withdraws_its_finding() -> None:
    """CO's import came first and was paired by score with another PE export; its own export then came."""
    ports = Customs().ports()
    other_export = gold_export(transport_document="AWB 045-00000001", declared_on="2026-10-01", crossed_on="2026-10-01")
    dates = {"declared_on": "2026-10-09", "crossed_on": "2026-10-09"}
    own_export = gold_export(transport_document="AWB 045-00000002", **dates, **LIGHTER)
    own_import = gold_import(transport_document="AWB 045-00000002", declared_on="2026-10-11", **LIGHTER)
    await file(ports, "PE", other_export)
    wrong = delivered_to(await file(ports, "CO", own_import), types.DECLARATION_DISCREPANCY)["CO"]

    outputs = await file(ports, "PE", own_export)

    withdrawn = delivered_to(outputs, types.DISCREPANCY_WITHDRAWN)
    assert sorted(withdrawn) == ["CO", "PE"]
    assert withdrawn["CO"]["supersedes"] == wrong["finding_id"]
    assert numbers(wrong) == (other_export["number"], own_import["number"])
    assert f"PE/export/{other_export['number']}" in ports.pending  # it waits again


async def test_a_number_filed_again_by_another_event_is_a_duplicate_and_a_rerun_gives_the_same_events() -> None:
    customs = Customs()
    ports = customs.ports()
    export = gold_export()
    event = filing("PE", export)
    first = await declarations.declaration_filed(event, ports)

    again = await declarations.declaration_filed(event, ports)
    with pytest.raises(Rejected) as refused:
        await file(ports, "PE", {**export, "declared_on": "2026-11-19"})

    assert [o.attributes["id"] for o in again] == [o.attributes["id"] for o in first]
    assert refused.value.reason is Reason.DUPLICATE
    assert counted(ports.metrics.declarations, country="PE", flow="export") == 1


async def test_trade_with_a_non_member_is_kept_but_awaits_no_counterpart() -> None:
    customs = Customs()
    ports = customs.ports()

    assert await file(ports, "PE", gold_export(partner="US")) == []

    assert (len(ports.pending), customs.timers.pending) == (0, {})
    assert len(customs.declarations.kept) == 1


async def test_a_declaration_naming_its_own_country_as_partner_is_refused_and_nothing_is_kept() -> None:
    customs = Customs()

    with pytest.raises(Rejected) as refused:
        await file(customs.ports(), "PE", gold_export(partner="PE"))

    assert refused.value.reason is Reason.INVALID_PAYLOAD
    assert customs.declarations.kept == {}


async def test_a_new_process_still_matches_an_export_the_previous_one_kept() -> None:
    customs = Customs()
    export = gold_export(transport_document=None)
    await file(customs.ports(), "PE", export)

    after = await customs.restarted()
    outputs = await file(after, "CO", gold_import(transport_document=None, **LIGHTER))

    found = delivered_to(outputs, types.DECLARATION_DISCREPANCY)["CO"]
    assert (found["exported"]["number"], found["method"]) == (export["number"], "scored")
