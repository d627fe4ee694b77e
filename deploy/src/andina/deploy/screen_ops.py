"""``andina screen``: a check of a person, as a country's agency does at a border: hits, possible matches
(a query with names only: to be verified before acting) or no-hit."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from andina.contract.envelope import Envelope, Handling
from andina.contract.events.intel_exchange import ScreeningQuery, intel_type
from andina.deploy.demo_support import await_event, partition_ends
from andina.deploy.settings import Endpoints

SERVICE = "intel-exchange"


async def screen(ends: Endpoints, country: str, query: dict[str, Any], patience: float) -> Envelope:
    """Send the screening as ``country`` and return the answer from its own partition."""
    ScreeningQuery.model_validate(query)  # refuse a bad query here, before anything is sent
    start = await partition_ends(ends, SERVICE, [country])
    async with ends.agency_client(country) as agency:
        sent = agency.event(intel_type("screening-requested"), query, Handling.H1)
        await agency.submit(SERVICE, sent)

    def answer(event: Envelope) -> bool:
        return event.type == intel_type("screening-answered") and event.data.get("screening_id") == str(sent.id)

    return await await_event(ends, SERVICE, country, start[country], answer, patience, "the screening answer")


def answer_table(answer: Envelope) -> Table:
    found = answer.data["hits"] + answer.data.get("possible_matches", [])
    table = Table(title=f"screening {answer.data['screening_id']}: {answer.data['outcome']}")
    for column in ("kind", "record", "owner", "type", "requested action", "score", "matched", "differing"):
        table.add_column(column)
    for hit in found:
        table.add_row(
            hit.get("kind", "hit"),
            hit["record_id"],
            hit["owner"],
            hit["record_type"],
            hit["requested_action"],
            str(hit["score"]),
            ", ".join(hit["matched_fields"]),
            ", ".join(hit.get("differing_fields", [])),
        )
    return table
