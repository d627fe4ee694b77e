"""The Banco Andino part of ``andina demo``: a screening hit and the owner's notification.

Acting as Ecuador's police, a wanted person is filed and shared with Colombia and Peru;
acting as Colombia's migration office at Rumichaca, a misspelt variant of the name is
screened: Colombia gets a hit reference (never the record) and Ecuador is notified of
the hit; Bolivia, which Ecuador excluded, gets no-hit for the same query.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from rich.table import Table

from andina.contract.client import AgencyClient, PartitionReader, SignedEvent
from andina.contract.envelope import Handling
from andina.contract.events.intel_exchange import intel_type
from andina.contract.topics import DELIVERIES
from andina.deploy.console import console, done, info
from andina.deploy.processes import StackError
from andina.deploy.settings import Endpoints

SERVICE = "intel-exchange"
OWNER, ASKER, EXCLUDED = "EC", "CO", "BO"
Event = dict[str, Any]


def wanted_person(record_id: str) -> Event:
    return {
        "record_id": record_id,
        "owner": OWNER,
        "agency": "policia-judicial",
        "record_type": "warrant",
        "given_names": ["Juan Carlos"],
        "paternal_surname": "Quispe",
        "maternal_surname": "Huamán",
        "sex": "M",
        "date_of_birth": "1985-03-12",
        "nationalities": ["PE"],
        "documents": [{"type": "national-id", "number": "40.123.456", "issuing_country": "PE"}],
        "share_with": [ASKER, "PE"],
        "requested_action": "arrest",
        "immediate_alert": True,
        "review_date": "2027-03-01",
    }


MISSPELT = {
    "given_names": ["JUAN"],
    "paternal_surname": "Quispi",
    "maternal_surname": "Guaman",
    "date_of_birth": "1985-12-03",
    "place": "Rumichaca",
    "purpose": "border-control",
}


class Partitions:
    """Each country's partition of the deliveries topic, read from where the demo started."""

    def __init__(self, ends: Endpoints, patience: float) -> None:
        self._ends, self._patience = ends, patience
        self._topic = ends.andina.topics().topic(SERVICE, DELIVERIES)
        self._countries = ends.andina.countries()
        self._start: dict[str, int] = {}

    async def mark(self, *countries: str) -> None:
        for country in countries:
            async with self._reader(country) as reader:
                self._start[country] = await reader.end_offset()

    def _reader(self, country: str) -> PartitionReader:
        return self._ends.country_reader(country, self._topic, self._countries.partition_of(country))

    async def wait_for(self, country: str, event_type: str, match: Callable[[Event], bool], what: str) -> Event:
        open_delivery = self._ends.opener(country).open_attributes  # checks the signature too

        def found(records: list[Any]) -> list[Event]:
            events = [open_delivery(r.value) for r in records]
            return [e for e in events if e.get("type") == event_type and match(e["data"])]

        async with self._reader(country) as reader:
            records = await reader.read(self._start[country], lambda rs: bool(found(rs)), within=self._patience)
        events = found(records)
        if not events:
            raise StackError(f"{what} did not arrive within {self._patience:.0f} s: is {SERVICE} up?")
        return events[0]


def _table(title: str, rows: dict[str, object]) -> Table:
    table = Table(title=title, show_header=False)
    table.add_column(style="bold")
    table.add_column()
    for name, value in rows.items():
        table.add_row(name, str(value))
    return table


async def _screen(client: AgencyClient) -> SignedEvent:
    query = client.event(intel_type("screening-requested"), MISSPELT, Handling.H1)
    await client.submit(SERVICE, query)
    info(f"{client.country} screened 'Juan Quispi Guaman', born 1985-12-03 (day and month swapped) at Rumichaca")
    return query


async def run(ends: Endpoints, patience: float) -> None:
    record_id = f"{OWNER}-DEMO-{uuid.uuid4().hex[:8].upper()}"
    partitions = Partitions(ends, patience)
    await partitions.mark(OWNER, ASKER, EXCLUDED)
    clients = {
        c: ends.agency_client(c, agency)
        for c, agency in ((OWNER, "policia-judicial"), (ASKER, "migracion"), (EXCLUDED, "migracion"))
    }
    for client in clients.values():
        await client.__aenter__()
    try:
        owner = clients[OWNER]
        await owner.submit(SERVICE, owner.event(intel_type("person-record-submitted"), wanted_person(record_id)))
        await partitions.wait_for(
            OWNER, intel_type("person-record-acknowledged"), lambda d: d["record_id"] == record_id, "the filing"
        )
        done(f"{OWNER} filed wanted person {record_id}", f"shared with {ASKER} and PE, not {EXCLUDED}")

        query = await _screen(clients[ASKER])
        screening = str(query.id)
        answer = await partitions.wait_for(
            ASKER, intel_type("screening-answered"), lambda d: d["screening_id"] == screening, "the screening answer"
        )
        hits = [h for h in answer["data"]["hits"] if h["record_id"] == record_id]
        if not hits:
            raise StackError(f"{ASKER} got {answer['data']['outcome']} for a variant of {record_id}")
        console.print(_table(f"hit reference on {ASKER}'s partition (no personal data)", hits[0]))

        notice = await partitions.wait_for(
            OWNER,
            intel_type("hit-notified"),
            lambda d: d["screening_id"] == screening and d["record_id"] == record_id,
            "the owner's hit notification",
        )
        console.print(_table(f"hit notification on {OWNER}'s partition", notice["data"]))

        excluded_query = str((await _screen(clients[EXCLUDED])).id)
        excluded = await partitions.wait_for(
            EXCLUDED, intel_type("screening-answered"), lambda d: d["screening_id"] == excluded_query, "the answer"
        )
        if any(h["record_id"] == record_id for h in excluded["data"]["hits"]):
            raise StackError(f"{EXCLUDED} got a hit on {record_id}, which {OWNER} did not share with it")
        done(f"{EXCLUDED}, excluded by {OWNER}, got {excluded['data']['outcome']} for the same query")
    finally:
        for client in clients.values():
            await client.__aexit__()
