"""Members' policies at the findings customs raises from declarations: each end of a discrepancy or an
unmatched export, and each party to a risk hit, gets the other's data only if the owner's outbound and its
own inbound rules permit it; the owner's copy names whom its data was withheld from; all is audited."""

from __future__ import annotations

from typing import Any

from andina.contract.events import customs as types
from andina.customs.domain.unmatched import UNMATCHED
from andina.customs.handlers.policies import WITHHELD
from andina.customs.handlers.unmatched import unmatched_exports_due
from andina.shared.audit_log import DELIVERED
from andina.shared.publishing import Outgoing
from andina.shared.timers import Timer
from tests.customs_samples import gold_export, gold_import
from tests.fakes import delivered_to
from tests.unit.customs.fakes import SIGNALS, Customs
from tests.unit.customs.test_customs_handlers_declarations import LIGHTER, file
from tests.unit.customs.test_customs_handlers_risk import file_import, publish

PE_KEEPS_FINDINGS_FROM_CO = """
@id("pe-no-findings-to-co")
@reason("Peru shares no customs finding with Colombia")
forbid (principal == Country::"CO", action == Action::"receive-report", resource is CustomsFinding)
when { resource.owner == Country::"PE" };
"""
PE_RULE = "PE@v1/pe-no-findings-to-co"
CO_TAKES_NO_RISK_HITS = """
@id("co-no-risk-hits")
@reason("Colombia's customs acts on its own risk indicators only")
forbid (principal == Country::"CO", action == Action::"receive-report", resource is CustomsFinding)
when { resource.kind == "risk-hit" };
"""
CO_RULE = "CO@v1/co-no-risk-hits"
PERMIT = "permit baseline/members-receive-reports"


def decisions(customs: Customs, event_type: str) -> dict[tuple[str, str], str]:
    """(action, member) -> the policy decision in the audit entry of its copy of ``event_type``."""
    entries = customs.audit.by_id.values()
    return {(e.action, e.actor): e.detail["policy"] for e in entries if e.event_type == event_type}


def alerted(outputs: list[Outgoing]) -> list[list[str]]:
    return [o.attributes["data"]["recipients"] for o in outputs if o.topic == SIGNALS]


async def discrepancy(customs: Customs) -> list[Outgoing]:
    """PE's gold export, then CO's import of it 30 % lighter."""
    ports = customs.ports()
    await file(ports, "PE", gold_export(**LIGHTER))
    return await file(ports, "CO", gold_import())


async def unmatched(customs: Customs) -> tuple[list[Outgoing], dict[str, Any]]:
    """PE's gold export to CO, reported unmatched by its fallback timer."""
    ports = customs.ports()
    export = gold_export()
    await file(ports, "PE", export)
    [(timer_id, scheduled)] = customs.timers.of_kind(UNMATCHED).items()
    timer = Timer(timer_id, UNMATCHED, scheduled.due_at, scheduled.data, "slot")
    return await unmatched_exports_due(timer, ports), export


async def test_a_discrepancy_goes_to_both_ends_under_the_baseline_each_permit_audited() -> None:
    customs = Customs()

    outputs = await discrepancy(customs)

    found = delivered_to(outputs, types.DECLARATION_DISCREPANCY)
    assert sorted(found) == ["CO", "PE"]
    assert found["PE"]["withheld"] == found["CO"]["withheld"] == {}
    assert alerted(outputs) == [["CO", "PE"]]
    assert decisions(customs, types.DECLARATION_DISCREPANCY) == {(DELIVERED, "CO"): PERMIT, (DELIVERED, "PE"): PERMIT}


async def test_the_exporters_rule_keeps_the_discrepancy_and_its_alert_from_the_importer_and_tells_the_exporter() -> (
    None
):
    customs = Customs()
    customs.policies.enact("PE", PE_KEEPS_FINDINGS_FROM_CO)

    outputs = await discrepancy(customs)

    found = delivered_to(outputs, types.DECLARATION_DISCREPANCY)
    assert list(found) == ["PE"]  # CO's import data still goes to Peru: Colombia does not forbid it
    assert found["PE"]["withheld"] == {"CO": f"{PE_RULE}: Peru shares no customs finding with Colombia"}
    assert alerted(outputs) == [["PE"]]
    expected = {(DELIVERED, "PE"): PERMIT, (WITHHELD, "CO"): f"deny {PE_RULE}"}
    assert decisions(customs, types.DECLARATION_DISCREPANCY) == expected


async def test_an_unmatched_export_goes_to_the_importer_under_the_baseline_and_back_to_the_exporter_undecided() -> None:
    customs = Customs()

    outputs, _ = await unmatched(customs)

    assert sorted(delivered_to(outputs, types.UNMATCHED_SHIPMENT)) == ["CO", "PE"]
    entries = {e.actor: e.detail for e in customs.audit.by_id.values() if e.event_type == types.UNMATCHED_SHIPMENT}
    assert entries == {"CO": {"policy": PERMIT}, "PE": {}}  # PE's own export comes back to it: no flow to decide


async def test_the_exporters_rule_keeps_an_unmatched_export_from_the_importer_and_tells_the_exporter() -> None:
    customs = Customs()
    customs.policies.enact("PE", PE_KEEPS_FINDINGS_FROM_CO)

    outputs, export = await unmatched(customs)

    found = delivered_to(outputs, types.UNMATCHED_SHIPMENT)
    assert list(found) == ["PE"]
    assert (found["PE"]["exported"]["number"], list(found["PE"]["withheld"])) == (export["number"], ["CO"])
    assert alerted(outputs) == [["PE"]]
    [withheld] = [e for e in customs.audit.by_id.values() if e.action == WITHHELD]
    assert (withheld.actor, withheld.subject, withheld.detail) == (
        "CO",
        f"declaration/PE/export/{export['number']}",
        {"policy": f"deny {PE_RULE}"},
    )


async def test_a_risk_hit_goes_to_the_indicators_owner_and_the_declarant_under_the_baseline() -> None:
    customs = Customs()
    ports = customs.ports()
    await publish(ports, owner="EC")

    outputs = await file_import(ports)

    assert sorted(delivered_to(outputs, types.RISK_HIT)) == ["CO", "EC"]
    assert decisions(customs, types.RISK_HIT) == {(DELIVERED, "CO"): PERMIT, (DELIVERED, "EC"): PERMIT}


async def test_the_declarants_inbound_rule_on_risk_hits_keeps_the_hit_from_it_and_tells_the_indicators_owner() -> None:
    customs = Customs()
    customs.policies.enact("CO", CO_TAKES_NO_RISK_HITS)
    ports = customs.ports()
    await publish(ports, owner="EC")

    outputs = await file_import(ports)

    hits = delivered_to(outputs, types.RISK_HIT)
    assert list(hits) == ["EC"]  # Colombia's declaration still reaches Ecuador, the indicator's owner
    reason = "Colombia's customs acts on its own risk indicators only"
    assert hits["EC"]["withheld"] == {"CO": f"{CO_RULE}: {reason}"}
    assert alerted(outputs) == [["EC"]]
    assert decisions(customs, types.RISK_HIT) == {(DELIVERED, "EC"): PERMIT, (WITHHELD, "CO"): f"deny {CO_RULE}"}


async def test_a_rule_on_one_kind_of_finding_leaves_the_others_alone() -> None:
    customs = Customs()
    customs.policies.enact("CO", CO_TAKES_NO_RISK_HITS)

    outputs = await discrepancy(customs)

    assert sorted(delivered_to(outputs, types.DECLARATION_DISCREPANCY)) == ["CO", "PE"]


async def test_a_withdrawal_goes_only_where_the_policies_let_the_discrepancy_go() -> None:
    """CO's import was paired by score with another PE export; its own export then came, under PE's rule."""
    customs = Customs()
    ports = customs.ports()
    dates = {"declared_on": "2026-10-09", "crossed_on": "2026-10-09"}
    other = gold_export(transport_document="AWB 045-00000001", declared_on="2026-10-01", crossed_on="2026-10-01")
    await file(ports, "PE", other)
    await file(ports, "CO", gold_import(transport_document="AWB 045-00000002", declared_on="2026-10-11", **LIGHTER))
    customs.policies.enact("PE", PE_KEEPS_FINDINGS_FROM_CO)

    outputs = await file(ports, "PE", gold_export(transport_document="AWB 045-00000002", **dates, **LIGHTER))

    withdrawn = delivered_to(outputs, types.DISCREPANCY_WITHDRAWN)
    assert list(withdrawn) == ["PE"]
    assert list(withdrawn["PE"]["withheld"]) == ["CO"]
