"""Declarations filed through two instances at once: each looked for its counterpart before the other's arrived.

Two instances each hold some countries' partitions and learn the other's filings from the
changelog a moment later (``andina_changelog_lag_seconds``, p99 0.1 s). An export and its import
filed through the two within that lag each find nothing at their filing. So every declaration
left waiting by its filing is looked at again once the changelog has carried both: one timer
per second of received time, due ``DELAY`` after that second, fired by one instance (the store's
claim on a timer). Of two waiting declarations that match, the one received later completes the
pair at its recheck, as its filing would have had it seen the other: the same finding, under the
same id. The earlier one's recheck leaves the pair to it, so each pair is decided once, whichever
instance fires which timer.
"""

from __future__ import annotations

import datetime as dt

from andina.customs.domain.declarations import FiledDeclaration
from andina.customs.domain.unmatched import SlotTimer, slot_start

RECHECK = "declarations-recheck"
SLOT = dt.timedelta(seconds=1)
# Far past the changelog's lag, short for the readers of the findings. A pair whose second entry takes longer
# to reach the instance that fires the timer (a changelog reader stalled that long) is still missed.
DELAY = dt.timedelta(seconds=5)


def completes(declaration: FiledDeclaration, counterpart: FiledDeclaration) -> bool:
    """Whether ``declaration`` completes its pair with ``counterpart``: received after it (the key breaks a tie)."""
    return (declaration.received_at, declaration.key) > (counterpart.received_at, counterpart.key)


class RecheckSlots:
    def __init__(self) -> None:
        self._last: str | None = None  # the slot this process scheduled last: one write per slot

    def timer(self, declaration: FiledDeclaration) -> SlotTimer | None:
        """The timer of the second ``declaration`` was received in, unless this process scheduled it last."""
        start = slot_start(declaration.received_at, SLOT)
        timer_id = f"{RECHECK}/{start.isoformat()}"
        if timer_id == self._last:
            return None
        return SlotTimer(timer_id, start + SLOT + DELAY, {"start": start, "end": start + SLOT})

    def scheduled(self, timer_id: str) -> None:
        self._last = timer_id
