"""One seizure, one report: when two reports describe the same seizure.

A seizure is identified by what both sides of a joint operation, or one administration
sending again, would write alike: the goods (HS heading), the day (give or take one, for
reports made either side of midnight or of a border), the quantity (within a tolerance,
in common units), and where: the same customs office, or a container, vehicle or
transport document in common. One administration's two reports under two different
case numbers are two seizures; under the same case number, one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from andina.contract.events.customs.seizures import SeizureReport
from andina.customs.domain import text
from andina.customs.domain.declarations import in_base_unit
from andina.customs.domain.hs import HsTable
from andina.customs.domain.matching import relative_difference

SAME_DAY_SLACK = dt.timedelta(days=1)
# "Desaguadero" and "Aduana de Desaguadero" are one office; "Aduana de Tumbes" is another.
SAME_OFFICE = 0.5


@dataclass(frozen=True, slots=True)
class SeizureIdentity:
    reporter: str
    reference: str
    seized_on: dt.date
    heading: str
    dimension: str
    quantity: Decimal
    office: frozenset[str]
    things: frozenset[str]  # containers, vehicles and transport document, normalised

    def days(self) -> list[dt.date]:
        """The days a report of the same seizure may carry."""
        return [self.seized_on - SAME_DAY_SLACK, self.seized_on, self.seized_on + SAME_DAY_SLACK]


@dataclass(frozen=True, slots=True)
class KnownSeizure:
    id: UUID
    reports: dict[UUID, SeizureIdentity]  # report event id -> its identity, first report first

    @property
    def first_report(self) -> UUID:
        return next(iter(self.reports))


def identity(reporter: str, report: SeizureReport, hs: HsTable) -> SeizureIdentity:
    """The identity of a reported seizure; an unknown HS code is refused."""
    heading = hs.heading(report.commodity.hs_code)
    dimension, quantity = in_base_unit(report.quantity, report.unit)
    things = {f"ctr:{c}" for c in report.containers} | {f"veh:{text.code(v)}" for v in report.vehicles}
    if report.transport_document:
        things.add(f"doc:{text.code(report.transport_document)}")
    return SeizureIdentity(
        reporter=reporter,
        reference=report.reference,
        seized_on=report.seized_on,
        heading=heading.code,
        dimension=dimension,
        quantity=quantity,
        office=text.name_tokens(report.office),
        things=frozenset(things),
    )


def same_seizure(a: SeizureIdentity, b: SeizureIdentity, quantity_tolerance: Decimal) -> bool:
    if a.reporter == b.reporter:
        return a.reference == b.reference
    return (
        a.heading == b.heading
        and abs(a.seized_on - b.seized_on) <= SAME_DAY_SLACK
        and a.dimension == b.dimension
        and relative_difference(a.quantity, b.quantity) <= quantity_tolerance
        and (text.similarity(a.office, b.office) >= SAME_OFFICE or bool(a.things & b.things))
    )
