"""The 24/7 scene of ``andina demo``: an alert, its acknowledgements and one escalation.

PE raises a FLASH alert about a missing child to CO and EC, asking for acknowledgement
within a few seconds; CO's contact point acknowledges and PE sees it; EC does not, and
the alert goes again to EC's alternate contact point.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from andina.deploy.console import console, done, fields_table
from andina.deploy.processes import StackError
from andina.deploy.settings import Endpoints
from andina.shared.client import AgencyClient, PartitionReader
from andina.shared.envelope import Envelope, Handling
from andina.shared.signing import KeyDirectory, SignerKey
from andina.shared.topics import DELIVERIES

T = "andina.alerts.{}.v1".format
ACK_WITHIN = timedelta(seconds=4)


async def _await_event(ends: Endpoints, country: str, start: int, wanted: Any, patience: float, what: str) -> Envelope:
    """The first event on ``country``'s alerts partition from ``start`` that ``wanted`` accepts."""
    registry, countries = ends.andina.topics(), ends.andina.countries()
    directory = KeyDirectory.load(ends.key_directory)
    topic = registry.topic("alerts", DELIVERIES)
    async with PartitionReader(ends.bootstrap_servers, topic, countries.partition_of(country)) as reader:
        records = await reader.read(
            start, lambda rs: any(wanted(Envelope.model_validate_json(r.value)) for r in rs), within=patience
        )
    for record in records:
        envelope = Envelope.model_validate_json(record.value)
        if wanted(envelope):
            directory.verify(record_attributes(record.value))
            return envelope
    raise StackError(f"{what} did not arrive within {patience:.0f} s: is the alerts service up?")


def record_attributes(value: bytes) -> dict[str, Any]:
    attributes: dict[str, Any] = orjson.loads(value)
    return attributes


async def _ends_of(ends: Endpoints, countries: list[str]) -> dict[str, int]:
    registry, registered = ends.andina.topics(), ends.andina.countries()
    topic = registry.topic("alerts", DELIVERIES)
    offsets = {}
    for country in countries:
        async with PartitionReader(ends.bootstrap_servers, topic, registered.partition_of(country)) as reader:
            offsets[country] = await reader.end_offset()
    return offsets


async def run(ends: Endpoints, patience: float) -> None:
    countries, topics = ends.andina.countries(), ends.andina.topics()
    start = await _ends_of(ends, ["PE", "CO", "EC"])
    agency = {
        c: AgencyClient(ends.bootstrap_servers, SignerKey.load(ends.keys_dir, c), countries, topics)
        for c in ("PE", "CO")
    }
    alert = {
        "priority": "FLASH",
        "category": "missing-person",
        "title": "Menor desaparecida, posible cruce por Aguas Verdes",
        "facts": "Niña de 9 años, vista por última vez en Tumbes a las 21:10 con un adulto no identificado.",
        "recipients": ["CO", "EC"],
        "acknowledge_by": (datetime.now(UTC) + ACK_WITHIN).isoformat(),
    }
    async with agency["PE"] as pe, agency["CO"] as co:
        raised = pe.event(T("alert-raised"), alert, Handling.H2)
        await pe.submit("alerts", raised)
        done(
            "PE raised a FLASH alert to CO and EC",
            f"id {raised.id}, acknowledgement asked within {ACK_WITHIN.seconds} s",
        )

        def ours(kind: str, **data: object) -> Any:
            return lambda e: (
                e.type == T(kind)
                and e.data.get("alert_id") == str(raised.id)
                and all(e.data.get(k) == v for k, v in data.items())
            )

        for country in ("CO", "EC"):
            delivered = await _await_event(
                ends, country, start[country], ours("alert-delivered"), patience, f"the alert to {country}"
            )
            console.print(fields_table(f"alert delivered to {country}", _summary(delivered)))
        await co.submit(
            "alerts", co.event(T("alert-acknowledged"), {"alert_id": str(raised.id), "by": "Subt. A. Rojas, DIJIN"})
        )
        ack = await _await_event(
            ends, "PE", start["PE"], ours("acknowledgement-received"), patience, "CO's acknowledgement"
        )
        done(
            "PE sees CO's acknowledgement",
            f"by {ack.data['by']}, {ack.data['seconds_after_raise']:.1f} s after raising",
        )
        escalated = await _await_event(
            ends,
            "EC",
            start["EC"],
            ours("alert-escalated", step="alternate"),
            patience + ACK_WITHIN.seconds,
            "the escalation",
        )
        console.print(
            fields_table(
                "EC did not acknowledge in time: escalated to its alternate contact point", _summary(escalated)
            )
        )


def _summary(event: Envelope) -> dict[str, object]:
    data = event.data
    return {
        "type": event.type,
        "signed by": event.signer,
        "priority": data["priority"],
        "title": data["title"],
        "step": data["step"],
        "contact point": data["contact"],
        "acknowledge by": data["acknowledge_by"],
    }
