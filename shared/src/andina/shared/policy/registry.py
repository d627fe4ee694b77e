"""The network's registry of agencies by kind: what a policy sees of the asker.

An agency names itself in an event's ``source`` (``/countries/CO/agencies/dijin``); its
kind comes from this registry, never from the event, so an agency cannot choose it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

UNREGISTERED = "unregistered"


@dataclass(frozen=True)
class AgencyRegistry:
    kinds: tuple[str, ...]
    agencies: dict[str, dict[str, str]]  # country -> agency -> kind

    @classmethod
    def load(cls) -> AgencyRegistry:
        data = json.loads(resources.files("andina.shared.policy").joinpath("agencies.json").read_text())
        return cls(tuple(data["kinds"]), data["agencies"])

    def kind(self, country: str, agency: str) -> str:
        return self.agencies.get(country, {}).get(agency, UNREGISTERED)


def agency_of(source: str) -> str:
    """The agency an event's ``source`` names (``/countries/CO/agencies/dijin`` -> ``dijin``)."""
    return source.rsplit("/", 1)[-1]
