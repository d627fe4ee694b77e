"""The audit log: who received which record holding personal data, when, and why (hash-chained, append-only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from andina.shared.audit import AuditTrail
from andina.shared.publishing import Outgoing
from andina.shared.timers import Clock, utc_now


class AuditLog:
    """One entry per delivery of personal data; entries are only ever inserted."""

    def __init__(self, trail: AuditTrail, clock: Clock = utc_now) -> None:
        self._trail = trail
        self._clock = clock

    async def deliveries(self, outputs: Iterable[Outgoing], record: str, why: str) -> None:
        """Record that each output's recipient received ``record`` (its id is the output's: a re-run adds nothing)."""
        at: dt.datetime = self._clock()
        entries = [
            {
                "_id": o.attributes["id"],
                "at": at,
                "who": o.recipient,
                "what": record,
                "event_type": o.attributes["type"],
                "on_behalf_of": o.attributes["origin"],
                "why": why,
            }
            for o in outputs
        ]
        await self._trail.append(entries)  # written with the poll batch, before the events go out
