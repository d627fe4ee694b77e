"""The finance-trace part of ``andina demo``: a circular flow between three FIUs, found and traced.

Acting as the FIUs of Peru, Colombia and Ecuador: each reports its leg of a transfer that
goes PE -> CO -> EC -> PE, with accounts and the transfer reference only as keyed hashes.
The service detects the circular flow and tells the three FIUs (Bolivia's, not involved,
hears nothing); Peru's FIU then traces the money from its own account.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from rich.table import Table

from andina.contract.client import PartitionReader
from andina.contract.envelope import Handling
from andina.contract.events.finance_trace import finance_type
from andina.contract.events.signals import SIGNALS
from andina.contract.subject_hash import NetworkKey, account_ref, transfer_ref
from andina.contract.topics import DELIVERIES
from andina.deploy.console import console, done, info
from andina.deploy.processes import StackError
from andina.deploy.settings import Endpoints

SERVICE = "finance-trace"
# The FIUs' shared matching key for the demo only; a real network distributes its own out of band.
DEMO_KEY = NetworkKey("k1", b"red-andina-demo-network-key-2026")
BANKS = {"PE": "BCPLPEPL", "CO": "COLOCOBM", "EC": "PICHECEQ", "BO": "BMSCBOLX"}
Event = dict[str, Any]


def account(country: str, number: str, key: NetworkKey = DEMO_KEY) -> dict[str, str]:
    """An account as an FIU's system puts it on the bus: its keyed hash, bank code and country."""
    return {"ref": account_ref(key, country, BANKS[country], number), "bank": BANKS[country], "country": country}


def transfer_report(
    source: dict[str, str], target: dict[str, str], amount: str, currency: str, when: datetime, uetr: str
) -> dict[str, Any]:
    """A cross-border transfer as the reporting FIU's bank saw it."""
    return {
        "kind": "cross-border",
        "reporting_entity": BANKS[source["country"]],
        "transactions": [
            {
                "reference": f"TX-{uetr[:8]}",
                "time": when.isoformat(),
                "amount": amount,
                "currency": currency,
                "channel": "wire",
                "from_account": source,
                "to_account": target,
                "transfer_ref": transfer_ref(DEMO_KEY, uetr),
            }
        ],
    }


def round_trip(now: datetime, tag: str) -> list[tuple[str, dict[str, Any]]]:
    """PE -> CO -> EC -> PE within three days, about 47,000 USD, each FIU reporting the leg it saw leave."""
    pe, co, ec = account("PE", f"191-{tag}-01"), account("CO", f"0550-{tag}-88"), account("EC", f"22{tag}07")
    return [
        ("PE", transfer_report(pe, co, "180000.00", "PEN", now - timedelta(hours=50), f"uetr-{tag}-1")),
        ("CO", transfer_report(co, ec, "180000000.00", "COP", now - timedelta(hours=26), f"uetr-{tag}-2")),
        ("EC", transfer_report(ec, pe, "41000.00", "USD", now - timedelta(hours=2), f"uetr-{tag}-3")),
    ]


def trace_request(start: str, now: datetime) -> dict[str, Any]:
    return {
        "account": start,
        "direction": "forward",
        "since": (now - timedelta(days=3)).isoformat(),
        "until": now.isoformat(),
        "max_hops": 4,
        "min_amount_usd": "1000",
    }


def _reader(ends: Endpoints, country: str, stream: str = DELIVERIES) -> PartitionReader:
    topic = ends.andina.topics().topic(SERVICE, stream)
    partition = ends.andina.countries().partition_of(country)
    # A country reads its deliveries; the signals to the 24/7 network are the operator's to watch.
    if stream == DELIVERIES:
        return ends.country_reader(country, topic, partition)
    return PartitionReader(ends.bootstrap_servers, topic, partition, auth=ends.admin_auth())


async def read_events(
    ends: Endpoints, country: str, start: int, match: Callable[[Event], bool], within: float, stream: str = DELIVERIES
) -> list[Event]:
    """The events on ``country``'s partition of ``stream`` from ``start`` that ``match`` takes (waits for one)."""
    found: list[Event] = []
    decode = ends.opener(country).decoder_for(stream)  # deliveries are opened, and so verified

    def seen(records: list[Any]) -> bool:
        found[:] = [e for e in (decode(r.value) for r in records) if match(e)]
        return bool(found)

    async with _reader(ends, country, stream) as reader:
        await reader.read(start, seen, within=within)
    return found


async def read_until(
    ends: Endpoints,
    country: str,
    start: int,
    match: Callable[[Event], bool],
    patience: float,
    what: str,
    stream: str = DELIVERIES,
) -> Event:
    found = await read_events(ends, country, start, match, patience, stream)
    if not found:
        raise StackError(
            f"{what} did not reach {country} within {patience:.0f} s: is {SERVICE} up? (`andina stack status`)"
        )
    return found[0]


async def end_offsets(ends: Endpoints, codes: list[str], stream: str = DELIVERIES) -> dict[str, int]:
    offsets = {}
    for code in codes:
        async with _reader(ends, code, stream) as reader:
            offsets[code] = await reader.end_offset()
    return offsets


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    return table


def _short(ref: str | None) -> str:
    return "cash" if ref is None else f"{ref[:14]}…"


def finding_table(finding: Event) -> Table:
    data = finding["data"]
    rows = [
        (
            tx["time"][:16],
            f"{tx['source_country']} {_short(tx['source'])}",
            f"{tx['target_country']} {_short(tx['target'])}",
            tx["amount_usd"],
            ", ".join(tx["reported_by"]),
        )
        for tx in data["evidence"]
    ]
    title = f"{data['pattern']} ({data['severity']}): {data['summary']}"
    return _table(title, ("time", "from", "to", "amount USD", "reported by"), rows)


def trace_table(trace: Event) -> Table:
    data = trace["data"]
    rows = [
        (
            _short(node["ref"]),
            node["country"],
            "start" if node["start"] else str(node["forward_hops"]),
            node["reached_usd"],
            ", ".join(node["held_by"]),
        )
        for node in data["nodes"]
    ]
    title = f"trace from {_short(data['start'][0])}: {data['outflow_usd']} USD left it"
    return _table(title, ("account", "country", "hops", "can have reached (USD)", "held by"), rows)


async def run(ends: Endpoints, patience: float) -> None:
    clients = {code: ends.agency_client(code, "uif") for code in ("PE", "CO", "EC")}
    now = datetime.now(UTC)
    legs = round_trip(now, secrets.token_hex(3))
    start_ref = legs[0][1]["transactions"][0]["from_account"]["ref"]
    before = await end_offsets(ends, ["PE", "CO", "EC", "BO"])
    signals_before = await end_offsets(ends, ["PE"], SIGNALS)
    ours: set[str] = set()
    for client in clients.values():
        await client.__aenter__()
    try:
        for country, report in legs:
            event = clients[country].event(finance_type("report-submitted"), report, Handling.H2)
            await clients[country].submit(SERVICE, event)
            ours.add(str(event.id))
            leg = report["transactions"][0]
            info(f"{country}'s FIU reported its leg: {leg['amount']} {leg['currency']}, accounts as keyed hashes")

        def our_cycle(event: Event) -> bool:
            data = event["data"]
            kind = event["type"] == finance_type("pattern-detected") and data["pattern"] == "circular-flow"
            return kind and start_ref in data["subjects"]

        for country in ("PE", "CO", "EC"):
            finding = await read_until(ends, country, before[country], our_cycle, patience, "the circular-flow finding")
        console.print(finding_table(finding))
        done("PE, CO and EC were each told of the circular flow", f"(signed by {finding['signer']})")
        reference = f"finding/{finding['data']['detection_id']}"
        alert = await read_until(
            ends,
            "PE",
            signals_before["PE"],
            lambda e: e["data"].get("reference") == reference,
            patience,
            "the alert request",
            SIGNALS,
        )
        done(
            f"urgent: {alert['type']} on the signals topic for the 24/7 network",
            f"(recipients {alert['data']['recipients']})",
        )

        request = clients["PE"].event(finance_type("trace-requested"), trace_request(start_ref, now), Handling.H2)
        await clients["PE"].submit(SERVICE, request)
        ours.add(str(request.id))
        trace = await read_until(
            ends, "PE", before["PE"], lambda e: e.get("causationid") == str(request.id), patience, "the trace answer"
        )
        console.print(trace_table(trace))
        done("the trace went to PE only", f"({len(trace['data']['edges'])} transfers, in time order)")
    finally:
        for client in clients.values():
            await client.__aexit__()
    # Anything meant for BO would have arrived by now, before the answers read above.
    leaked = await read_events(ends, "BO", before["BO"], lambda e: e.get("causationid") in ours, within=1.0)
    if leaked:
        raise StackError(f"BO's FIU, which was not involved, received {leaked[0]['type']}")
    done("BO's FIU, not involved, received nothing of it")
