"""Payloads of the 24/7 directory: who answers for each country, around the clock."""

from __future__ import annotations

from datetime import time
from typing import Annotated

from pydantic import Field, StringConstraints

from andina.contract.countries import CountryCode
from andina.contract.events.base import Payload, example

Short = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class ContactPoint(Payload):
    agency: Short
    post: Short = Field(description="name of the post, e.g. 'Oficial de guardia 24/7'")
    phone: Annotated[str, StringConstraints(max_length=40)] | None = None
    languages: list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]] = Field(min_length=1)
    time_zone: Annotated[str, StringConstraints(min_length=3, max_length=40)] = Field(
        description="IANA, e.g. America/Lima"
    )


class Shift(Payload):
    """One daily shift of the on-duty roster, in the country's time zone (may cross midnight)."""

    officer: Short
    starts: time
    ends: time
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        default_factory=lambda: list(range(7)), description="0 = Monday"
    )


class DirectoryEntry(Payload):
    coordinator: ContactPoint = Field(description="the coordinating authority")
    primary: ContactPoint
    alternate: ContactPoint
    roster: list[Shift] = Field(default_factory=list)


class DirectoryUpdated(Payload):
    """A country replaces its own directory entry (submission; only the country itself may)."""

    model_config = example(
        country="PE",
        entry={
            "coordinator": {
                "agency": "Ministerio del Interior",
                "post": "Dirección de Cooperación Internacional",
                "languages": ["es"],
                "time_zone": "America/Lima",
            },
            "primary": {
                "agency": "Policía Nacional del Perú",
                "post": "Punto de contacto 24/7 — INTERPOL Lima",
                "phone": "+51 1 000 0000",
                "languages": ["es", "en"],
                "time_zone": "America/Lima",
            },
            "alternate": {
                "agency": "Policía Nacional del Perú",
                "post": "Centro de Operaciones — DIRINCRI",
                "languages": ["es"],
                "time_zone": "America/Lima",
            },
            "roster": [{"officer": "Cap. R. Huamán", "starts": "07:00:00", "ends": "19:00:00"}],
        },
    )

    country: CountryCode
    entry: DirectoryEntry


class DirectoryChanged(Payload):
    """Every member learns of a new version of a country's entry."""

    model_config = example(country="PE", version=2, entry=DirectoryUpdated.model_json_schema()["examples"][0]["entry"])

    country: CountryCode
    version: int
    entry: DirectoryEntry
