"""The coordinator's entries of the action-plan indicators the network's events cannot fill.

The Observatorio's coordinator signs each entry with the observatory's key, a signer that may
sign only ``andina.observatory.*`` types. An entry names an indicator of the plan, the period it
covers, and its value over that period or a new target for it, who entered it and from which
source. Entries are kept whole, signature included, and audited in a hash chain: a later entry
for the same indicator and period replaces the earlier one in the report, never in the record.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from andina.contract.events.base import Payload, example

OBSERVATORY = "observatory"
INDICATOR_ENTERED = f"andina.{OBSERVATORY}.indicator-entered.v1"


class IndicatorEntry(Payload):
    model_config = example(
        indicator="joint-products",
        period_start="2026-10-01",
        period_end="2027-01-01",
        value=4,
        entered_by="Coordinación del Observatorio",
        source="Acta de la reunión técnica CLASI, 2026-12-04",
    )

    indicator: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$")] = Field(
        description="the id of an indicator of the action plan"
    )
    period_start: date = Field(description="first day the entry covers")
    period_end: date = Field(description="the day after the last it covers (the period is [start, end))")
    value: float | None = Field(None, ge=0, description="the indicator's value over the period")
    target: float | None = Field(None, gt=0, description="a new target for the period, replacing the plan's")
    entered_by: Annotated[str, StringConstraints(min_length=1, max_length=120)] = Field(
        description="the person or office entering it"
    )
    source: Annotated[str, StringConstraints(min_length=1, max_length=300)] = Field(
        description="the document, report or meeting the figure comes from"
    )

    @model_validator(mode="after")
    def _says_something(self) -> Self:
        if self.period_end <= self.period_start:
            raise ValueError("period_end must come after period_start")
        if self.value is None and self.target is None:
            raise ValueError("an entry gives a value, a target, or both")
        return self
