"""The member countries of the network and their fixed partition indices.

A country keeps its partition forever, so topics can grow (more partitions) for new
members without moving anyone. The registry is data, not code: a country joins by
adding a line to the JSON file named by ``ANDINA_COUNTRIES_FILE`` (or the packaged one).
"""

from __future__ import annotations

import json
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


class CountryRegistry:
    """Maps member country codes to their fixed partition index."""

    def __init__(self, countries: list[Country], unattributed_partition: int) -> None:
        self._by_code = {c.code: c for c in countries}
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
            text = resources.files("andina.shared").joinpath("data/countries.json").read_text()
        else:
            text = path.read_text()
        raw = json.loads(text)
        countries = [Country(c["code"], c["name"], int(c["partition"])) for c in raw["countries"]]
        return cls(countries, int(raw["unattributed_partition"]))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(sorted(self._by_code))

    @property
    def highest_partition(self) -> int:
        return max([self.unattributed_partition, *(c.partition for c in self._by_code.values())])

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

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
