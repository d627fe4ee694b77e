"""The 24/7 directory: each country's contact points and who is on duty now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from andina.contract.events.alerts import EscalationStep
from andina.contract.events.directory import DirectoryEntry, Shift
from andina.contract.rejections import Reason, Rejected


@dataclass(frozen=True, slots=True)
class VersionedEntry:
    country: str
    version: int
    entry: DirectoryEntry

    def contact(self, step: EscalationStep) -> str:
        """Who must act at this escalation step, as a readable line."""
        point = {
            EscalationStep.PRIMARY: self.entry.primary,
            EscalationStep.ALTERNATE: self.entry.alternate,
            EscalationStep.COORDINATOR: self.entry.coordinator,
        }.get(step, self.entry.primary)
        return f"{point.post} — {point.agency}"

    def on_duty(self, now: datetime) -> list[str]:
        """Officers whose shift covers ``now`` in the country's own time zone."""
        local = now.astimezone(ZoneInfo(self.entry.primary.time_zone))
        return [shift.officer for shift in self.entry.roster if _covers(shift, local)]


def _covers(shift: Shift, local: datetime) -> bool:
    clock = local.time()
    if shift.starts <= shift.ends:
        return local.weekday() in shift.weekdays and shift.starts <= clock < shift.ends
    # A night shift: it started on one of its weekdays and runs past midnight.
    if clock >= shift.starts:
        return local.weekday() in shift.weekdays
    return (local.weekday() - 1) % 7 in shift.weekdays and clock < shift.ends


def replace_entry(current: VersionedEntry | None, sender: str, country: str, entry: DirectoryEntry) -> VersionedEntry:
    """A country replaces only its own entry; each change is a new version."""
    if sender != country:
        raise Rejected(Reason.UNAUTHORIZED, f"{sender} may not change the directory entry of {country}")
    return VersionedEntry(country, (current.version if current else 0) + 1, entry)
