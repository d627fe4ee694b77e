"""Versioned changelog tables: every instance ends with the value the changelog holds last, whoever wrote it."""

from __future__ import annotations

import orjson

from andina.shared.changelog_tables import PrefixedTables, Value, VersionedTable
from andina.shared.snapshots import Entry


class Colours(VersionedTable):
    """key -> colour; ``changelog`` is what every instance noted, in the order the changelog holds it."""

    def __init__(self, changelog: list[Entry], prefix: str = "colour/") -> None:
        super().__init__(prefix, lambda owner, key, value: changelog.append((key, value)))
        self.colours: dict[str, str] = {}
        self.puts = 0

    def paint(self, key: str, colour: str) -> None:
        self.colours[key] = colour
        self.change("PE", key, {"colour": colour})

    def put(self, key: str, value: Value) -> None:
        self.puts += 1
        self.colours[key] = value["colour"]


async def test_an_entry_older_than_the_value_held_changes_nothing() -> None:
    changelog: list[Entry] = []
    writer, reader = Colours(changelog), Colours(changelog)
    writer.paint("colour/a", "red")
    writer.paint("colour/a", "blue")

    await reader.apply(changelog[1:])
    await reader.apply(changelog[:1])  # redelivered late

    assert (reader.colours["colour/a"], reader.version("colour/a")) == ("blue", 2)


async def test_two_instances_changing_a_key_at_once_both_end_with_what_the_changelog_holds_last() -> None:
    changelog: list[Entry] = []
    first, second = Colours(changelog), Colours(changelog)
    first.paint("colour/a", "red")
    second.paint("colour/a", "green")  # the same version, written after

    await first.apply(changelog)
    await second.apply(changelog)

    assert (first.colours["colour/a"], second.colours["colour/a"]) == ("green", "green")


async def test_an_instance_reading_its_own_entries_back_changes_nothing() -> None:
    changelog: list[Entry] = []
    writer = Colours(changelog)
    writer.paint("colour/a", "red")

    await writer.apply(changelog)

    assert writer.puts == 0


async def test_tables_sharing_a_changelog_each_take_their_own_keys_and_a_snapshot_holds_all() -> None:
    changelog: list[Entry] = []
    colours, shades = Colours(changelog), Colours(changelog, prefix="shade/")
    colours.paint("colour/a", "red")
    shades.paint("shade/a", "dark")
    copies = Colours([]), Colours([], prefix="shade/")

    PrefixedTables(copies).load(PrefixedTables([colours, shades]).frozen()())

    assert (copies[0].colours, copies[1].colours) == ({"colour/a": "red"}, {"shade/a": "dark"})
    assert orjson.loads(changelog[0][1]) == {"colour": "red", "version": 1}
