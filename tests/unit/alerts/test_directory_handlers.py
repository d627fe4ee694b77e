"""The directory and directed messages through their handlers, and the one registration of each type."""

from __future__ import annotations

from typing import Any

from andina.alerts.handlers import HANDLERS, directory
from andina.alerts.handlers.directory import load_directory
from andina.contract.envelope import Handling
from andina.contract.events.catalogs.alerts import (
    ACCEPTS,
    DIRECTORY_CHANGED,
    DIRECTORY_UPDATED,
    MESSAGE_DELIVERED,
    MESSAGE_SENT,
)
from andina.contract.events.directory import DirectoryUpdated
from andina.contract.rejections import Reason
from tests.fakes import delivered_to, inbound
from tests.unit.alerts.fakes import FakeDirectory, Fakes, refusal, seeded_directory


def updated_entry(country: str, post: str) -> DirectoryUpdated:
    entry = seeded_directory().entries[country].entry
    primary = entry.primary.model_copy(update={"post": post})
    return DirectoryUpdated(country=country, entry=entry.model_copy(update={"primary": primary}))


def test_every_accepted_type_has_its_handler() -> None:
    assert set(HANDLERS) == set(ACCEPTS)


async def test_a_country_changes_its_own_entry_and_every_member_hears_of_the_new_version() -> None:
    fakes = Fakes()
    update = inbound(DIRECTORY_UPDATED, updated_entry("EC", "Guardia nocturna"), "EC", handling=Handling.H2)
    outputs = await directory.directory_updated(update, fakes.ports)
    changed = delivered_to(outputs, DIRECTORY_CHANGED)
    assert sorted(changed) == ["BO", "CO", "EC", "PE"]
    assert {(c["country"], c["version"], c["entry"]["primary"]["post"]) for c in changed.values()} == {
        ("EC", 2, "Guardia nocturna")
    }
    assert {o.attributes["handling"] for o in outputs} == {"h0"}  # contact points are for every member
    [change] = fakes.directory.history
    assert (change.entry.version, change.changed_by, change.event_id) == (2, "EC", update.envelope.id)


async def test_no_country_changes_another_country_s_entry() -> None:
    fakes = Fakes()
    update = inbound(DIRECTORY_UPDATED, updated_entry("EC", "Impostor"), "PE")
    assert await refusal(directory.directory_updated(update, fakes.ports)) is Reason.UNAUTHORIZED
    assert fakes.directory.history == []


async def test_the_data_file_seeds_only_entries_that_no_country_has_changed() -> None:
    fakes = Fakes(directory=FakeDirectory())
    await directory.directory_updated(inbound(DIRECTORY_UPDATED, updated_entry("CO", "Turno B"), "CO"), fakes.ports)
    entries = {country: versioned.entry for country, versioned in seeded_directory().entries.items()}
    await load_directory(entries, fakes.ports)
    assert sorted(fakes.directory.entries) == ["BO", "CO", "EC", "PE"]
    assert fakes.directory.entries["CO"].entry.primary.post == "Turno B"
    assert [c.changed_by for c in fakes.directory.history] == [
        "CO",
        "directory file",
        "directory file",
        "directory file",
    ]


async def test_a_directed_message_goes_to_each_named_member_and_h3_never_to_all() -> None:
    fakes = Fakes()
    message: dict[str, Any] = {"subject": "Requisitoria", "body": "Cruzó Rumichaca"}
    outputs = await fakes.handle(MESSAGE_SENT, "EC", **message, recipients=["PE", "CO"])
    assert sorted(delivered_to(outputs, MESSAGE_DELIVERED)) == ["CO", "PE"]
    to_all_h3 = fakes.handle(MESSAGE_SENT, "EC", handling=Handling.H3, **message, recipients="all")
    assert await refusal(to_all_h3) is Reason.UNAUTHORIZED
