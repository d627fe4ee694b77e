"""Records, queries and steps the handler unit tests share: the owner files, a country screens."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from andina.contract.envelope import Handling
from andina.contract.events.catalogs import intel_exchange as catalog
from andina.contract.events.intel_exchange import PersonRecord, ScreeningQuery
from andina.deploy.demo_intel_exchange import MISSPELT, wanted_person
from andina.intel_exchange.handlers.records import record_submitted
from andina.intel_exchange.handlers.screening import screening_requested
from andina.shared.gate import Inbound
from andina.shared.publishing import Outgoing
from tests.fakes import delivered_to, inbound
from tests.unit.intel_exchange.fakes import Fakes

P = TypeVar("P", bound=BaseModel)

POLICE, ARMY = "policia", "ejercito"  # registered agencies of every member: a police and a military body
DOCUMENT = {"type": "national-id", "number": "40.123.456", "issuing_country": "PE"}
BY_NAME = ScreeningQuery.model_validate(MISSPELT)  # names and a date of birth: a hit, but no document
BY_DOCUMENT = ScreeningQuery.model_validate(MISSPELT | {"documents": [DOCUMENT]})
NAMES_ONLY = ScreeningQuery.model_validate({k: v for k, v in MISSPELT.items() if k != "date_of_birth"})


def person(record_id: str, **changes: Any) -> PersonRecord:
    """The demo's wanted person as a record of the country that starts ``record_id``, shared with all."""
    return PersonRecord.model_validate(
        wanted_person(record_id) | {"owner": record_id[:2], "share_with": "all"} | changes
    )


def sent(
    event_type: str, payload: P, origin: str, agency: str = POLICE, handling: Handling = Handling.H1
) -> Inbound[P]:
    """``payload`` as the gate admits it from ``origin``'s ``agency``."""
    return inbound(event_type, payload, origin, agency=agency, handling=handling)


async def filed(fakes: Fakes, *records: PersonRecord) -> None:
    for record in records:
        await record_submitted(sent(catalog.RECORD_SUBMITTED, record, record.owner), fakes.ports)


async def screened(
    fakes: Fakes, asker: str, query: ScreeningQuery, agency: str = POLICE
) -> tuple[Inbound[ScreeningQuery], dict[str, Any]]:
    """The screening as sent, and the answer the asker got."""
    screening = sent(catalog.SCREENING_REQUESTED, query, asker, agency)
    outputs = await screening_requested(screening, fakes.ports)
    return screening, delivered_to(outputs, catalog.SCREENING_ANSWERED)[asker]


def types_by_recipient(outputs: list[Outgoing]) -> list[tuple[str, str, str]]:
    """(topic, recipient, event type) of each output, in order."""
    return [(o.topic, o.recipient, str(o.attributes["type"])) for o in outputs]
