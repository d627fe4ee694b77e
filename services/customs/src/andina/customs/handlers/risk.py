"""Shared risk indicators: published and withdrawn by their owner; declarations are checked against them."""

from __future__ import annotations

from andina.contract.events.customs.risk import RiskIndicator, RiskIndicatorWithdrawal
from andina.contract.rejections import Reason, Rejected
from andina.customs.domain.risk import Indicator, check_indicator, indicator_key
from andina.customs.handlers.ports import Ports
from andina.shared.gate import Inbound
from andina.shared.publishing import Outgoing


def indicator_checked(inbound: Inbound[RiskIndicator], ports: Ports) -> None:
    check_indicator(inbound.payload, ports.hs, ports.clock().date(), ports.longest_indicator)


async def risk_indicator_published(inbound: Inbound[RiskIndicator], ports: Ports) -> list[Outgoing]:
    envelope, published = inbound.envelope, inbound.payload
    indicator_checked(inbound, ports)
    now = ports.clock()
    indicator = Indicator(
        id=envelope.id,
        owner=envelope.origin,
        kind=published.kind,
        key=indicator_key(published),
        reason=published.reason,
        severity=published.severity,
        expires_on=published.expires_on,
        handling=envelope.handling,
    )
    await ports.indicator_store.add(indicator, published, now)
    ports.indicators.add(indicator)
    return []


async def risk_indicator_withdrawn(inbound: Inbound[RiskIndicatorWithdrawal], ports: Ports) -> list[Outgoing]:
    envelope, indicator_id = inbound.envelope, inbound.payload.indicator_id
    indicator = ports.indicators.get(indicator_id)
    if indicator is None and await ports.indicator_store.withdrawn_by(indicator_id) == str(envelope.id):
        return []  # this very withdrawal, handled again
    if indicator is None or indicator.owner != envelope.origin:
        raise Rejected(Reason.UNAUTHORIZED, f"{envelope.origin} holds no live indicator {indicator_id}")
    await ports.indicator_store.withdraw(indicator_id, envelope.id, ports.clock())
    ports.indicators.remove(indicator_id)
    return []
