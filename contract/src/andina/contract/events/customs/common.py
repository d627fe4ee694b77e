"""Vocabulary of the customs exchanges: parties, goods, money, transport, attachments.

Decimals (quantities, weights, amounts) travel as JSON strings such as ``"12.5"``: exact,
and signed as written (a float's text form differs between JSON libraries).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated

from pydantic import BeforeValidator, Field, StringConstraints, WithJsonSchema

from andina.contract.countries import CountryCode
from andina.contract.events.base import Payload


def _decimal_text(value: object) -> object:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a decimal number") from None
    raise ValueError('decimals travel as strings, e.g. "12.5"')


def _decimal(description: str) -> list[object]:
    return [
        BeforeValidator(_decimal_text),
        WithJsonSchema({"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?$", "description": description}),
    ]


Quantity = Annotated[
    Decimal, *_decimal("a positive decimal, at most 1e9"), Field(gt=0, le=Decimal("1e9"), decimal_places=6)
]
Weight = Annotated[
    Decimal, *_decimal("kilograms, positive, at most 1e9"), Field(gt=0, le=Decimal("1e9"), decimal_places=6)
]
Amount = Annotated[
    Decimal, *_decimal("a positive amount, at most 1e13"), Field(gt=0, le=Decimal("1e13"), decimal_places=4)
]
Ratio = Annotated[Decimal, *_decimal("a fraction, e.g. 0.30 for 30 %"), Field(ge=0, decimal_places=6)]
Figure = Annotated[Decimal, *_decimal("a non-negative decimal"), Field(ge=0, decimal_places=6)]

ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Reference = Annotated[str, StringConstraints(min_length=1, max_length=100)]
HsCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{6,10}$")]
"""Harmonized System code, 6 to 10 digits (the first 6 are the WCO's)."""
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
ContainerId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{4}[0-9]{7}$")]
"""ISO 6346 container number, e.g. MSCU1234565."""
Plate = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9-]{1,14}$")]


class Unit(StrEnum):
    KILOGRAM = "kg"
    GRAM = "g"
    TONNE = "t"
    LITRE = "l"
    CUBIC_METRE = "m3"
    PIECE = "u"


class TransportMode(StrEnum):
    ROAD = "road"
    RAIL = "rail"
    SEA = "sea"
    AIR = "air"
    RIVER = "river"
    PIPELINE = "pipeline"
    POST = "post"


class Money(Payload):
    amount: Amount
    currency: CurrencyCode = Field(description="ISO 4217; converted with the service's dated rates table")


class Party(Payload):
    """A company or person in a declaration or a case."""

    name: ShortText
    tax_id: Annotated[str, StringConstraints(min_length=1, max_length=30)] | None = Field(
        None, description="national tax id (RUC, NIT, ...)"
    )
    country: CountryCode | None = None


class Person(Payload):
    name: ShortText
    document: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = Field(
        None, description="identity document, e.g. PE-DNI-41234567"
    )
    nationality: CountryCode | None = None
    birth_date: str | None = Field(None, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class Goods(Payload):
    hs_code: HsCode = Field(description="its heading (first 4 digits) must be in the network's HS table (else refused)")
    description: ShortText
    quantity: Quantity | None = None
    unit: Unit | None = None


class Conveyance(Payload):
    mode: TransportMode
    identifier: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(
        description="plate, vessel IMO number, flight number, ..."
    )


class Attachment(Payload):
    """A document kept by its owner: only its reference travels, never its bytes."""

    name: ShortText
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    size: int = Field(gt=0, le=2**40, description="bytes")
    media_type: Annotated[str, StringConstraints(max_length=100)] | None = None


class Withholding(Payload):
    """A finding shared under the members' policies: each copy names whom its recipient's data was withheld from."""

    withheld: dict[CountryCode, str] = Field(
        default_factory=dict,
        description=(
            "members that did not get this finding, where it would have given them the recipient's own data,"
            " because the recipient's or their own policy refuses it (docs/policies.md): each with the rules that"
            " refused and their reasons, never the data"
        ),
    )
