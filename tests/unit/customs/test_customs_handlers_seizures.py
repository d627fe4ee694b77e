"""Seizure-report handler over in-memory fakes: one seizure, one report; shared with the others, audited."""

from __future__ import annotations

from typing import Any

import pytest

from andina.contract.events import customs as types
from andina.contract.events.customs.seizures import SeizureReport
from andina.contract.rejections import Reason, Rejected
from andina.customs.handlers import seizures
from andina.customs.handlers.ports import Ports
from andina.shared.gate import Inbound
from andina.shared.publishing import Outgoing
from tests.customs_samples import mercury_seizure
from tests.fakes import delivered_to, inbound
from tests.unit.customs.fakes import Customs, counted

JOINT_VIEW = {"office": "Desaguadero", "quantity": "0.305", "unit": "t", "reference": "ANB-2026-CD-118"}


def reported(reporter: str, **changes: Any) -> Inbound[SeizureReport]:
    return inbound(types.SEIZURE_REPORTED, SeizureReport.model_validate(mercury_seizure(**changes)), reporter)


async def report(ports: Ports, event: Inbound[SeizureReport]) -> tuple[dict[str, Any], list[Outgoing]]:
    """What the reporter is told (seizure-recorded), and every output."""
    outputs = await seizures.seizure_reported(event, ports)
    return delivered_to(outputs, types.SEIZURE_RECORDED)[event.envelope.origin], outputs


async def test_a_new_seizure_reaches_every_other_member_and_each_delivery_is_audited() -> None:
    customs = Customs()
    ports = customs.ports()
    event = reported("PE")

    recorded, outputs = await report(ports, event)

    shared = delivered_to(outputs, types.SEIZURE_REPORT_DELIVERED)
    assert sorted(shared) == ["BO", "CO", "EC"]
    assert (shared["CO"]["seizure_id"], shared["CO"]["reporter"], shared["CO"]["merged"]) == (
        str(event.envelope.id),
        "PE",
        False,
    )
    assert (recorded["merged"], recorded["reports"]) == (False, 1)
    subject = f"seizure/{event.envelope.id}"
    assert customs.audit.actions() == [("delivered", c, subject) for c in ("BO", "CO", "EC")]
    assert counted(ports.metrics.seizures, reporter="PE", outcome="new") == 1


async def test_the_same_seizure_reported_by_the_other_side_is_merged_into_the_first() -> None:
    customs = Customs()
    ports = customs.ports()
    first = reported("PE")
    await report(ports, first)

    recorded, outputs = await report(ports, reported("BO", **JOINT_VIEW))

    assert (recorded["seizure_id"], recorded["merged"], recorded["reports"]) == (str(first.envelope.id), True, 2)
    assert delivered_to(outputs, types.SEIZURE_REPORT_DELIVERED)["CO"]["merged"] is True
    assert len(customs.seizures.known) == 1
    assert counted(ports.metrics.seizures, reporter="BO", outcome="merged") == 1


async def test_another_quantity_under_another_case_number_is_another_seizure() -> None:
    customs = Customs()
    ports = customs.ports()
    await report(ports, reported("PE"))

    recorded, _ = await report(ports, reported("PE", quantity="40", reference="SUNAT-DEC-2026-0399"))

    assert (recorded["merged"], len(customs.seizures.known)) == (False, 2)


async def test_a_report_handled_again_gives_the_same_events_and_is_not_merged_into_itself() -> None:
    customs = Customs()
    ports = customs.ports()
    event = reported("PE")

    _, first = await report(ports, event)
    recorded, again = await report(ports, event)

    assert [o.attributes["id"] for o in again] == [o.attributes["id"] for o in first]
    assert (recorded["merged"], recorded["reports"]) == (False, 1)
    assert counted(ports.metrics.seizures, reporter="PE", outcome="new") == 1


async def test_a_report_shared_with_no_other_member_is_refused_and_nothing_is_kept() -> None:
    customs = Customs()

    with pytest.raises(Rejected, match="shared with at least one other member") as refused:
        await seizures.seizure_reported(reported("PE", recipients=["PE"]), customs.ports())

    assert refused.value.reason is Reason.INVALID_PAYLOAD
    assert (customs.seizures.known, customs.audit.by_id) == ({}, {})
