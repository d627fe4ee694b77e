"""The member countries of the network and their fixed partition indices.

A country keeps its partition forever, so topics can grow (more partitions) for new
members without moving anyone. The registry is data, not code: a country joins by
adding a line to the JSON file named by ``ANDINA_COUNTRIES_FILE`` (or the packaged one).

A line with ``programmes`` is a member of those programmes only (say PROSUR's assisted
return of trafficking victims): it has a partition, a Kafka user and keys, but it is not a
member of the network. ``codes`` and ``in`` speak of full members alone, so nothing sent
to "all members" or to a named member reaches it; the file's ``programmes`` table names
the service that runs each programme, and the event types of a programme are the only
ones a service admits from such a member (``andina.shared.gate``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import StringConstraints

CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
"""ISO 3166-1 alpha-2 code, upper case. Membership is checked against the registry."""


class UnknownCountryError(ValueError):
    """A country code that is not a member of the network."""

    def __init__(self, code: object) -> None:
        super().__init__(f"unknown country {code!r}: not a member of the network")
        self.code = code


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    partition: int
    programmes: tuple[str, ...] = ()  # none: a full member of the network


class CountryRegistry:
    """Maps member country codes to their fixed partition index."""

    def __init__(
        self, countries: list[Country], unattributed_partition: int, programmes: dict[str, str] | None = None
    ) -> None:
        self._by_code = {c.code: c for c in countries}
        self.programmes = programmes or {}  # programme -> the service that runs it
        unknown = {p for c in countries for p in c.programmes} - set(self.programmes)
        if unknown:
            raise ValueError(f"countries join programmes {sorted(unknown)} that the registry does not name")
        if len(self._by_code) != len(countries):
            raise ValueError("duplicate country code in the registry")
        partitions = [c.partition for c in countries]
        if len(set(partitions)) != len(partitions):
            raise ValueError("two countries share a partition")
        if unattributed_partition in partitions:
            raise ValueError("the unattributed partition is assigned to a country")
        self.unattributed_partition = unattributed_partition

    @classmethod
    def load(cls, path: Path | None = None) -> CountryRegistry:
        """Load from ``path`` or, when None, from the file packaged with the library."""
        if path is None:
            text = resources.files("andina.contract").joinpath("data/countries.json").read_text()
        else:
            text = path.read_text()
        raw = json.loads(text)
        countries = [
            Country(c["code"], c["name"], int(c["partition"]), tuple(c.get("programmes", ()))) for c in raw["countries"]
        ]
        return cls(countries, int(raw["unattributed_partition"]), raw.get("programmes"))

    @property
    def codes(self) -> tuple[str, ...]:
        """The full members of the network."""
        return tuple(sorted(c.code for c in self._by_code.values() if not c.programmes))

    @property
    def every_code(self) -> tuple[str, ...]:
        """Full members and programme-only members: every country with a partition, a Kafka user and keys."""
        return tuple(sorted(self._by_code))

    def is_known(self, code: str) -> bool:
        """A full member or a programme-only member."""
        return code in self._by_code

    def is_member_of(self, code: str, programme: str) -> bool:
        """A full member takes part in every programme; a programme-only member in its own."""
        country = self._by_code.get(code)
        return country is not None and (not country.programmes or programme in country.programmes)

    def programme_note(self, codes: Iterable[str]) -> str:
        """For a refusal naming ``codes`` as not members: which of them take part in programmes only
        (`` (AR takes part in the returns programme only)``), else ""."""
        notes = [
            f"{code} takes part in the {' and '.join(self._by_code[code].programmes)} programme only"
            for code in sorted(codes)
            if code in self._by_code and self._by_code[code].programmes
        ]
        return f" ({'; '.join(notes)})" if notes else ""

    def programme_reach(self) -> dict[str, frozenset[str]]:
        """Each programme-only member and the services it may use (those running its programmes)."""
        return {
            c.code: frozenset(self.programmes[p] for p in c.programmes) for c in self._by_code.values() if c.programmes
        }

    def reaching(self, service: str) -> tuple[str, ...]:
        """Every country that may use ``service``: the full members and the programme-only members it serves."""
        serving = self.programme_reach()
        return tuple(code for code in self.every_code if code in self or service in serving[code])

    @property
    def highest_partition(self) -> int:
        return max([self.unattributed_partition, *(c.partition for c in self._by_code.values())])

    def __contains__(self, code: object) -> bool:
        """Whether ``code`` is a full member of the network."""
        country = self._by_code.get(code) if isinstance(code, str) else None
        return country is not None and not country.programmes

    def get(self, code: str) -> Country:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownCountryError(code) from None

    def partition_of(self, code: str) -> int:
        return self.get(code).partition

    def country_of_partition(self, partition: int) -> str | None:
        for country in self._by_code.values():
            if country.partition == partition:
                return country.code
        return None
