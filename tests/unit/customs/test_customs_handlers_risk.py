"""Risk-indicator handlers over in-memory fakes: published by an owner, hit by declarations, withdrawn."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from andina.contract.envelope import Handling
from andina.contract.events import customs as types
from andina.contract.events.customs.declarations import Declaration
from andina.contract.events.customs.risk import RiskIndicator, RiskIndicatorWithdrawal
from andina.contract.rejections import Reason, Rejected
from andina.customs.handlers import declarations, risk
from andina.customs.handlers.ports import Ports
from andina.shared.publishing import Outgoing
from tests.customs_samples import gold_import
from tests.fakes import delivered_to, inbound
from tests.unit.customs.fakes import SIGNALS, Customs

SHELL_COMPANY = {
    "kind": "company",
    "value": "900.123.456",  # the consignee of gold_import(), written another way
    "reason": "Comprador de oro vinculado a minería ilegal",
    "severity": "high",
    "expires_on": "2027-06-30",
}


async def publish(ports: Ports, owner: str = "EC", handling: Handling = Handling.H1, **changes: Any) -> UUID:
    event = inbound(
        types.RISK_INDICATOR_PUBLISHED,
        RiskIndicator.model_validate({**SHELL_COMPANY, **changes}),
        owner,
        handling=handling,
    )
    assert await risk.risk_indicator_published(event, ports) == []
    return event.envelope.id


async def withdraw(ports: Ports, sender: str, indicator_id: UUID) -> list[Outgoing]:
    event = inbound(types.RISK_INDICATOR_WITHDRAWN, RiskIndicatorWithdrawal(indicator_id=indicator_id), sender)
    return await risk.risk_indicator_withdrawn(event, ports)


async def file_import(ports: Ports, handling: Handling = Handling.H1) -> list[Outgoing]:
    event = inbound(types.DECLARATION_FILED, Declaration.model_validate(gold_import()), "CO", handling=handling)
    return await declarations.declaration_filed(event, ports)


async def test_a_declaration_matching_an_indicator_is_a_hit_for_the_owner_and_the_declaring_country_only() -> None:
    ports = Customs().ports()
    indicator_id = await publish(ports, handling=Handling.H2)

    outputs = await file_import(ports)

    hits = delivered_to(outputs, types.RISK_HIT)
    assert sorted(hits) == ["CO", "EC"]
    assert (hits["CO"]["indicator_id"], hits["CO"]["owner"], hits["CO"]["matched"]) == (
        str(indicator_id),
        "EC",
        "900123456",
    )
    assert {o.attributes["handling"] for o in outputs} == {"h2"}  # the stricter of indicator and declaration
    [alert] = [o for o in outputs if o.topic == SIGNALS]
    assert (alert.recipient, alert.attributes["data"]["recipients"]) == ("CO", ["CO", "EC"])


async def test_a_hit_below_the_alert_severity_asks_for_no_alert() -> None:
    ports = Customs().ports()
    await publish(ports, severity="medium")

    outputs = await file_import(ports)

    assert sorted(delivered_to(outputs, types.RISK_HIT)) == ["CO", "EC"]
    assert [o for o in outputs if o.topic == SIGNALS] == []


async def test_a_refused_indicator_is_neither_kept_nor_hit() -> None:
    """The rules of an indicator are the domain's (check_indicator); here, that a refusal changes nothing."""
    customs = Customs()
    ports = customs.ports()

    with pytest.raises(Rejected) as refused:
        await publish(ports, expires_on="2026-12-06")

    assert (refused.value.reason, refused.value.detail) == (
        Reason.INVALID_PAYLOAD,
        "expires_on 2026-12-06 has already passed",
    )
    assert customs.indicators.kept == {}
    assert delivered_to(await file_import(ports), types.RISK_HIT) == {}


async def test_only_the_owner_withdraws_an_indicator_and_a_withdrawn_one_is_hit_no_more() -> None:
    customs = Customs()
    ports = customs.ports()
    indicator_id = await publish(ports)

    with pytest.raises(Rejected) as refused:
        await withdraw(ports, "PE", indicator_id)
    assert await withdraw(ports, "EC", indicator_id) == []

    assert (refused.value.reason, refused.value.detail) == (
        Reason.UNAUTHORIZED,
        f"PE holds no live indicator {indicator_id}",
    )
    assert customs.indicators.withdrawals.keys() == {indicator_id}
    assert delivered_to(await file_import(ports), types.RISK_HIT) == {}


async def test_a_withdrawal_handled_again_changes_nothing_and_is_not_refused() -> None:
    ports = Customs().ports()
    indicator_id = await publish(ports)
    event = inbound(types.RISK_INDICATOR_WITHDRAWN, RiskIndicatorWithdrawal(indicator_id=indicator_id), "EC")

    await risk.risk_indicator_withdrawn(event, ports)

    assert await risk.risk_indicator_withdrawn(event, ports) == []


async def test_a_new_process_holds_the_live_indicators_only() -> None:
    customs = Customs()
    before = customs.ports()
    live = await publish(before)
    withdrawn = await publish(before, value="20601234567")
    await withdraw(before, "EC", withdrawn)

    after = await customs.restarted()

    assert (after.indicators.get(live) is not None, after.indicators.get(withdrawn)) == (True, None)
    assert sorted(delivered_to(await file_import(after), types.RISK_HIT)) == ["CO", "EC"]
