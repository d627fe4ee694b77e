"""Members' policies at customs: a seizure report reaches a member only if the reporter's outbound
and the recipient's inbound rules both permit it; the reporter learns the rule, every decision is audited."""

from __future__ import annotations

from typing import Any

from andina.contract.envelope import Handling
from andina.contract.events import customs as types
from andina.contract.events.customs.seizures import SeizureReport
from andina.customs.handlers import seizures
from andina.customs.handlers.policies import WITHHELD
from andina.shared.audit_log import DELIVERED
from andina.shared.publishing import Outgoing
from tests.customs_samples import mercury_seizure
from tests.fakes import delivered_to, inbound
from tests.unit.customs.fakes import Customs

PE_KEEPS_FINDINGS_FROM_EC = """
@id("pe-no-findings-to-ec")
@reason("Peru shares no customs finding with Ecuador")
forbid (principal == Country::"EC", action == Action::"receive-report", resource is CustomsFinding)
when { resource.owner == Country::"PE" };
"""
CO_TAKES_NO_H2_FINDINGS = """
@id("co-no-h2-findings")
@reason("Colombia's customs receives no h2 finding")
forbid (principal == Country::"CO", action == Action::"receive-report", resource is CustomsFinding)
when { resource.handling == "h2" };
"""


async def seizure_by_pe(customs: Customs, handling: Handling = Handling.H0) -> tuple[dict[str, Any], list[Outgoing]]:
    event = inbound(types.SEIZURE_REPORTED, SeizureReport.model_validate(mercury_seizure()), "PE", handling=handling)
    outputs = await seizures.seizure_reported(event, customs.ports())
    return delivered_to(outputs, types.SEIZURE_RECORDED)["PE"], outputs


def decisions(customs: Customs) -> dict[tuple[str, str], str]:
    """(action, member) -> the policy decision its audit entry holds."""
    return {(e.action, e.actor): e.detail["policy"] for e in customs.audit.by_id.values()}


async def test_under_the_baseline_every_named_member_gets_the_report_and_each_permit_is_audited() -> None:
    customs = Customs()

    recorded, outputs = await seizure_by_pe(customs)

    assert sorted(delivered_to(outputs, types.SEIZURE_REPORT_DELIVERED)) == ["BO", "CO", "EC"]
    assert recorded["withheld"] == {}
    permit = "permit baseline/members-receive-reports"
    assert decisions(customs) == {(DELIVERED, c): permit for c in ("BO", "CO", "EC")}


async def test_the_owners_outbound_rule_withholds_the_report_and_tells_the_reporter_which_rule() -> None:
    customs = Customs()
    customs.policies.enact("PE", PE_KEEPS_FINDINGS_FROM_EC)

    recorded, outputs = await seizure_by_pe(customs)

    shared = delivered_to(outputs, types.SEIZURE_REPORT_DELIVERED)
    assert sorted(shared) == ["BO", "CO"]
    assert shared["CO"]["recipients"] == ["BO", "CO"]  # nor is the refused member named to the others
    rule = "PE@v1/pe-no-findings-to-ec"
    assert recorded["withheld"] == {"EC": f"{rule}: Peru shares no customs finding with Ecuador"}
    assert decisions(customs)[WITHHELD, "EC"] == f"deny {rule}"


async def test_the_recipients_inbound_rule_applies_too() -> None:
    customs = Customs()
    customs.policies.enact("CO", CO_TAKES_NO_H2_FINDINGS)

    h0, h0_outputs = await seizure_by_pe(customs)
    h2, h2_outputs = await seizure_by_pe(Customs(policies=customs.policies), Handling.H2)

    assert sorted(delivered_to(h0_outputs, types.SEIZURE_REPORT_DELIVERED)) == ["BO", "CO", "EC"]
    assert sorted(delivered_to(h2_outputs, types.SEIZURE_REPORT_DELIVERED)) == ["BO", "EC"]
    assert (list(h0["withheld"]), list(h2["withheld"])) == ([], ["CO"])
