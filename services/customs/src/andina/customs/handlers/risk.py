"""Shared risk indicators: published and withdrawn by their owner; declarations are checked against them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from andina.customs.adapters.indicators import IndicatorStore
from andina.customs.domain.hs import HsTable
from andina.customs.domain.risk import Indicator, IndicatorIndex, check_indicator, indicator_key
from andina.shared.events.customs.risk import RiskIndicator, RiskIndicatorWithdrawal
from andina.shared.gate import Inbound
from andina.shared.publishing import Outgoing
from andina.shared.rejections import Reason, Rejected
from andina.shared.timers import Clock, utc_now


@dataclass(frozen=True)
class RiskDesk:
    hs: HsTable
    indicators: IndicatorIndex
    store: IndicatorStore
    longest: dt.timedelta
    clock: Clock = utc_now


async def risk_indicator_published(inbound: Inbound[RiskIndicator], *, desk: RiskDesk) -> list[Outgoing]:
    envelope, published = inbound.envelope, inbound.payload
    now = desk.clock()
    check_indicator(published, desk.hs, now.date(), desk.longest)
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
    await desk.store.add(indicator, published, now)
    desk.indicators.add(indicator)
    return []


async def risk_indicator_withdrawn(inbound: Inbound[RiskIndicatorWithdrawal], *, desk: RiskDesk) -> list[Outgoing]:
    envelope, indicator_id = inbound.envelope, inbound.payload.indicator_id
    indicator = desk.indicators.get(indicator_id)
    if indicator is None and await desk.store.withdrawn_by(indicator_id) == str(envelope.id):
        return []  # this very withdrawal, handled again
    if indicator is None or indicator.owner != envelope.origin:
        raise Rejected(Reason.UNAUTHORIZED, f"{envelope.origin} holds no live indicator {indicator_id}")
    await desk.store.withdraw(indicator_id, envelope.id, desk.clock())
    desk.indicators.remove(indicator_id)
    return []
