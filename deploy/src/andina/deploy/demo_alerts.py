"""The 24/7 scene of ``andina demo``: an alert, its acknowledgements and one escalation.

PE raises a FLASH alert about a missing child to CO and EC, asking for acknowledgement
within a few seconds; CO's contact point acknowledges and PE sees it; EC does not, and
the alert goes again to EC's alternate contact point.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from andina.contract.envelope import Envelope, Handling
from andina.deploy.console import console, done, fields_table
from andina.deploy.demo_support import await_event, partition_ends
from andina.deploy.settings import Endpoints

T = "andina.alerts.{}.v1".format
ACK_WITHIN = timedelta(seconds=4)


async def run(ends: Endpoints, patience: float) -> None:
    start = await partition_ends(ends, "alerts", ["PE", "CO", "EC"])
    agency = {c: ends.agency_client(c) for c in ("PE", "CO")}
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

        def ours(kind: str, **data: object) -> Callable[[Envelope], bool]:
            return lambda e: (
                e.type == T(kind)
                and e.data.get("alert_id") == str(raised.id)
                and all(e.data.get(k) == v for k, v in data.items())
            )

        for country in ("CO", "EC"):
            delivered = await await_event(
                ends, "alerts", country, start[country], ours("alert-delivered"), patience, f"the alert to {country}"
            )
            console.print(fields_table(f"alert delivered to {country}", _summary(delivered)))
        await co.submit(
            "alerts", co.event(T("alert-acknowledged"), {"alert_id": str(raised.id), "by": "Subt. A. Rojas, DIJIN"})
        )
        ack = await await_event(
            ends, "alerts", "PE", start["PE"], ours("acknowledgement-received"), patience, "CO's acknowledgement"
        )
        done(
            "PE sees CO's acknowledgement",
            f"by {ack.data['by']}, {ack.data['seconds_after_raise']:.1f} s after raising",
        )
        escalated = await await_event(
            ends,
            "alerts",
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
