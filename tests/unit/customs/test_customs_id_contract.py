"""Every type customs emits keeps the id contract: one id, one content, even when handled again."""

from __future__ import annotations

from typing import Any

from andina.contract.events import customs as types
from andina.contract.events.catalogs import customs as catalog
from andina.contract.events.customs.assistance import AssistanceClosure, AssistanceStatusUpdate
from andina.contract.events.customs.risk import RiskIndicator
from andina.contract.events.messages import DirectedMessage
from andina.customs.handlers import HANDLERS, TIMERS, assistance
from andina.customs.handlers.ports import Ports
from andina.shared.timers import Timer
from tests.customs_samples import gold_export, gold_import
from tests.fakes import inbound
from tests.id_contract import IdContract
from tests.unit.customs.fakes import Customs
from tests.unit.customs.test_customs_handlers_assistance import answered, requested, spontaneous
from tests.unit.customs.test_customs_handlers_declarations import LIGHTER, filing
from tests.unit.customs.test_customs_handlers_policies import PE_KEEPS_FINDINGS_FROM_EC
from tests.unit.customs.test_customs_handlers_risk import SHELL_COMPANY
from tests.unit.customs.test_customs_handlers_seizures import JOINT_VIEW, reported


async def assistance_both_ways(run: IdContract[Ports], customs: Customs) -> None:
    """PE asks BO twice: one request is acknowledged, answered and closed; the other passes its deadline."""
    answering, forgotten = requested("BO"), requested("BO", deadline="2026-12-08T09:00:00Z")
    await run.handle(answering)
    await run.handle(forgotten)
    case = {"request_id": answering.envelope.id}
    status = AssistanceStatusUpdate.model_validate({**case, "status": "acknowledged"})
    await run.handle(inbound(types.ASSISTANCE_STATUS_UPDATED, status, "BO"))
    await run.handle(answered("BO", answering.envelope.id))
    await run.handle(inbound(types.ASSISTANCE_CLOSED, AssistanceClosure.model_validate(case), "PE"))
    await run.handle(spontaneous(["CO", "EC"]))
    for kind in (assistance.REMINDER, assistance.OVERDUE):  # the answered request's deadlines send nothing
        for timer_id, scheduled in sorted(customs.timers.of_kind(kind).items()):
            await run.fire(Timer(timer_id, kind, scheduled.due_at, scheduled.data, "slot"))


async def declarations_every_way(run: IdContract[Ports]) -> None:
    """A risk hit, a discrepancy paired by score then withdrawn, an export left unmatched, then its import filed
    late (the unmatched finding withdrawn), and a late import paired by score with the other export reported
    unmatched, until its own export takes it back (that finding withdrawn, then reported again: revision 3)."""
    await run.handle(inbound(types.RISK_INDICATOR_PUBLISHED, RiskIndicator.model_validate(SHELL_COMPANY), "EC"))
    paired: dict[str, Any] = {"declared_on": "2026-10-01", "crossed_on": "2026-10-01"}
    dates = {"declared_on": "2026-10-09", "crossed_on": "2026-10-09"}
    for country, payload in [
        ("PE", gold_export(transport_document="AWB 045-00000001", **paired)),
        ("CO", gold_import(transport_document="AWB 045-00000002", declared_on="2026-10-11", **LIGHTER)),
        ("PE", gold_export(transport_document="AWB 045-00000002", **dates, **LIGHTER)),
        ("PE", gold_export(transport_document="AWB 045-00000003", **paired)),
        ("CO", gold_import(transport_document="AWB 045-00000004", declared_on="2026-11-05", partner="EC")),
        ("CO", gold_import(transport_document="AWB 045-00000003", declared_on="2026-10-02")),
        ("CO", gold_import(transport_document="AWB 045-00000005", declared_on="2026-10-03")),
        ("PE", gold_export(transport_document="AWB 045-00000005", declared_on="2026-10-02", crossed_on="2026-10-02")),
    ]:
        await run.handle(filing(country, payload))


async def test_no_output_of_customs_comes_under_an_id_used_for_other_content() -> None:
    customs = Customs()
    run = IdContract(HANDLERS, TIMERS, customs.ports())
    message = DirectedMessage(subject="Operativo conjunto", body="En Desaguadero.", recipients=["CO", "BO"])
    await run.handle(inbound(catalog.MESSAGE_SENT, message, "PE"))
    await assistance_both_ways(run, customs)
    await run.handle(reported("PE"))
    customs.policies.enact("PE", PE_KEEPS_FINDINGS_FROM_EC)  # Peru's rule comes in force from the policies topic
    await run.handle(reported("BO", **JOINT_VIEW))  # the same seizure, merged
    await declarations_every_way(run)

    await run.handled_again()

    run.assert_kept(catalog)
