"""The directory: seeded from its data file at start, changed by each country for itself."""

from __future__ import annotations

from typing import Any

from andina.alerts.domain.directory import VersionedEntry, replace_entry
from andina.alerts.handlers.ports import Ports
from andina.contract.envelope import Handling
from andina.contract.events.catalogs.alerts import DIRECTORY_CHANGED
from andina.contract.events.directory import DirectoryChanged, DirectoryEntry, DirectoryUpdated
from andina.shared.gate import Inbound
from andina.shared.outputs import Cause
from andina.shared.publishing import Outgoing


async def load_directory(entries: dict[str, DirectoryEntry], ports: Ports) -> None:
    """Seed each member's entry from the data file, unless the country has changed it since."""
    for country, entry in entries.items():
        if country in ports.countries and await ports.directory.current(country) is None:
            seeded = VersionedEntry(country, 1, entry)
            await ports.directory.put(seeded, changed_by="directory file", event_id=None, at=ports.clock())


async def directory_updated(inbound: Inbound[DirectoryUpdated], ports: Ports) -> list[Outgoing]:
    envelope, update = inbound.envelope, inbound.payload
    # Handled again (a crash before the commit), an update tells the version it made then: not the next
    # one, and not over a later country's change.
    new = await ports.directory.made_by(envelope.id)
    if new is None:
        current = await ports.directory.current(update.country)
        new = replace_entry(current, envelope.origin, update.country, update.entry)
        await ports.directory.put(new, changed_by=envelope.origin, event_id=envelope.id, at=ports.clock())
    changed = DirectoryChanged(country=new.country, version=new.version, entry=new.entry)
    cause = Cause.of(envelope).handled_as(Handling.H0)
    return ports.outbox.deliver_each(cause, DIRECTORY_CHANGED, ports.countries.codes, changed)


async def directory_listing(ports: Ports) -> list[dict[str, Any]]:
    """Every entry with its version and who is on duty now (for operators)."""
    now = ports.clock()
    return [
        {
            "country": e.country,
            "version": e.version,
            "on_duty": e.on_duty(now),
            **e.entry.model_dump(mode="json"),
        }
        for e in await ports.directory.all()
    ]
