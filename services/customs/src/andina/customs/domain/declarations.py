"""A filed declaration as the cross-checks see it: the lane, the figures in common units, the keys it is found by."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from andina.contract.envelope import Handling
from andina.contract.events.customs.common import Party, Unit
from andina.contract.events.customs.declarations import Declaration, DeclarationSummary, Flow
from andina.contract.rejections import Reason, Rejected
from andina.customs.domain import text
from andina.customs.domain.currency import CurrencyRates
from andina.customs.domain.hs import Heading, HsTable

# Each unit in its dimension's base unit (kg, l, pieces), so that "1.2 t" meets "1200 kg".
UNITS: dict[Unit, tuple[str, Decimal]] = {
    Unit.GRAM: ("mass", Decimal("0.001")),
    Unit.KILOGRAM: ("mass", Decimal(1)),
    Unit.TONNE: ("mass", Decimal(1000)),
    Unit.LITRE: ("volume", Decimal(1)),
    Unit.CUBIC_METRE: ("volume", Decimal(1000)),
    Unit.PIECE: ("pieces", Decimal(1)),
}
# Net mass above the gross weight by more than this is a typing error, not a shipment.
NET_OVER_GROSS = Decimal("1.05")


def in_base_unit(quantity: Decimal, unit: Unit) -> tuple[str, Decimal]:
    dimension, factor = UNITS[unit]
    return dimension, quantity * factor


@dataclass(frozen=True, slots=True)
class PartyKey:
    tax_id: str | None
    words: frozenset[str]

    @classmethod
    def of(cls, party: Party) -> PartyKey:
        return cls(text.code(party.tax_id) if party.tax_id else None, text.name_tokens(party.name))

    def index_keys(self) -> list[str]:
        keys = [f"name:{' '.join(sorted(self.words))}"] if self.words else []
        return [*keys, f"tax:{self.tax_id}"] if self.tax_id else keys


@dataclass(frozen=True, slots=True)
class FiledDeclaration:
    """A declaration with what matching needs; ``summary`` is what findings show."""

    event_id: UUID
    correlation_id: UUID
    handling: Handling
    received_at: dt.datetime
    summary: DeclarationSummary
    heading: Heading
    dimension: str
    quantity: Decimal
    document: str | None
    containers: frozenset[str]
    consignor: PartyKey
    consignee: PartyKey
    # Derived once from the above: each is looked up many times while one declaration is filed.
    key: str  # unique per filing country, flow and number
    exporter: str
    importer: str
    document_keys: tuple[str, ...]  # what matching finds it by, most telling first
    container_keys: tuple[str, ...]
    party_keys: tuple[str, ...]

    @property
    def country(self) -> str:
        return self.summary.country

    @property
    def flow(self) -> Flow:
        return self.summary.flow

    @property
    def shipped_on(self) -> dt.date:
        return self.summary.crossed_on or self.summary.declared_on

    @property
    def gross_weight(self) -> Decimal:
        return self.summary.gross_weight_kg

    @property
    def value_usd(self) -> Decimal:
        return self.summary.value_usd


@dataclass(frozen=True, slots=True)
class Filing:
    """Who filed a declaration, and when the service received it."""

    country: str
    event_id: UUID
    correlation_id: UUID
    handling: Handling
    received_at: dt.datetime


def file_declaration(declaration: Declaration, filing: Filing, hs: HsTable, rates: CurrencyRates) -> FiledDeclaration:
    """Check a declaration (refusing bad input) and prepare it for matching."""
    if declaration.partner == filing.country:
        raise Rejected(Reason.INVALID_PAYLOAD, "the partner of a declaration is another country than the filer")
    if declaration.declared_on > filing.received_at.date() + dt.timedelta(days=1):
        raise Rejected(Reason.INVALID_PAYLOAD, f"declared_on {declaration.declared_on} is in the future")
    dimension, quantity = in_base_unit(declaration.quantity, declaration.unit)
    if dimension == "mass" and quantity > declaration.gross_weight_kg * NET_OVER_GROSS:
        raise Rejected(
            Reason.INVALID_PAYLOAD,
            f"quantity {quantity} kg exceeds the gross weight {declaration.gross_weight_kg} kg",
        )
    heading = hs.heading(declaration.hs_code)
    money = declaration.value
    value_usd = rates.to_base(money.amount, money.currency, declaration.declared_on)
    # Already validated (the gate parsed it strictly): constructed, not validated again.
    summary = DeclarationSummary.model_construct(
        **dict(declaration), country=filing.country, value_usd=value_usd.quantize(Decimal("0.01"))
    )
    return restore(summary, filing, heading)


def restore(summary: DeclarationSummary, filing: Filing, heading: Heading) -> FiledDeclaration:
    """A declaration already checked (on filing, or read back from the store)."""
    dimension, quantity = in_base_unit(summary.quantity, summary.unit)
    country, partner, flow = summary.country, summary.partner, summary.flow
    document = text.code(summary.transport_document) if summary.transport_document else None
    consignor, consignee = PartyKey.of(summary.consignor), PartyKey.of(summary.consignee)
    return FiledDeclaration(
        event_id=filing.event_id,
        correlation_id=filing.correlation_id,
        handling=filing.handling,
        received_at=filing.received_at,
        summary=summary,
        heading=heading,
        dimension=dimension,
        quantity=quantity,
        document=document,
        containers=frozenset(summary.containers),
        consignor=consignor,
        consignee=consignee,
        key=f"{country}/{flow.value}/{summary.number}",
        exporter=country if flow is Flow.EXPORT else partner,
        importer=partner if flow is Flow.EXPORT else country,
        document_keys=(f"doc:{document}",) if document else (),
        container_keys=tuple(f"ctr:{c}" for c in sorted(summary.containers)),
        party_keys=tuple(sorted({*consignor.index_keys(), *consignee.index_keys()})),
    )
