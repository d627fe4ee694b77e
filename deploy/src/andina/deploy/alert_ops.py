"""``andina alert raise`` and ``andina alert ack``: a contact point's two gestures, from a terminal.

The event is signed with the country's key from the stack's key folder and submitted like
any agency system does (``AgencyClient``); then the command watches the alerts service's
deliveries for what the network did with it (events caused by it): the deliveries to the
recipients, the acknowledgement passed to the origin, or the refusal sent back.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from aiokafka import AIOKafkaConsumer, TopicPartition
from pydantic import ValidationError

from andina.contract.envelope import Envelope, Handling
from andina.contract.events.alerts_contract import AlertAcknowledged, AlertRaised
from andina.contract.events.base import Payload
from andina.contract.events.catalogs.alerts import ACKNOWLEDGEMENT_RECEIVED as ACK_RECEIVED
from andina.contract.events.catalogs.alerts import ALERT_ACKNOWLEDGED as ACKNOWLEDGED
from andina.contract.events.catalogs.alerts import ALERT_DELIVERED as DELIVERED
from andina.contract.events.catalogs.alerts import ALERT_RAISED as RAISED
from andina.contract.events.receipts import event_rejected_type
from andina.contract.kafka_auth import client_options
from andina.contract.sealing import DeliveryOpener, Unopenable
from andina.contract.topics import DELIVERIES
from andina.deploy.processes import StackError
from andina.deploy.reach import reach_kafka
from andina.deploy.settings import Endpoints

SERVICE = "alerts"
REJECTED = event_rejected_type(SERVICE)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the network did with a submitted event: the events it caused, by recipient partition."""

    event_id: UUID
    caused: list[tuple[str, Envelope]]

    @property
    def rejection(self) -> Envelope | None:
        return next((e for _, e in self.caused if e.type == REJECTED), None)


def _validated(model: type[Payload], data: dict[str, Any]) -> dict[str, Any]:
    try:
        return model.model_validate(data).model_dump(mode="json", exclude_none=True)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'alert'}: {e['msg']}" for e in exc.errors())
        raise StackError(f"invalid {model.__name__}: {problems}") from None


def raise_payload(
    recipients: str,
    priority: str,
    category: str,
    title: str,
    facts: str,
    *,
    dedup_key: str | None = None,
    domestic: bool = False,
    acknowledge_within: float | None = None,
) -> dict[str, Any]:
    """The alert-raised payload from the command's options, checked against the contract."""
    to: list[str] | str = "all" if recipients == "all" else [c.strip().upper() for c in recipients.split(",") if c]
    data: dict[str, Any] = {
        "priority": priority.upper(),
        "category": category,
        "title": title,
        "facts": facts,
        "recipients": to,
        "dedup_key": dedup_key,
        "domestic": domestic,
    }
    if acknowledge_within is not None:
        data["acknowledge_by"] = (datetime.now(UTC) + timedelta(seconds=acknowledge_within)).isoformat()
    return _validated(AlertRaised, data)


def ack_payload(alert_id: str, by: str) -> dict[str, Any]:
    return _validated(AlertAcknowledged, {"alert_id": alert_id, "by": by})


def expected_recipients(payload: dict[str, Any], origin: str, members: tuple[str, ...]) -> set[str]:
    named = payload["recipients"]
    return {c for c in members if c != origin} if named == "all" or payload.get("domestic") else set(named) - {origin}


def _envelope(value: bytes | None, opener: DeliveryOpener) -> Envelope | None:
    try:
        return opener.open(value or b"")
    except Unopenable:
        return None  # not a delivery: nothing this command caused


async def submit_and_watch(
    ends: Endpoints,
    country: str,
    event_type: str,
    data: dict[str, Any],
    handling: Handling,
    enough: Callable[[list[tuple[str, Envelope]]], bool],
    patience: float,
) -> Outcome:
    """Submit as ``country``; collect the events it caused on every member's partition until ``enough``."""
    countries = ends.andina.countries()
    topic = ends.andina.topics().topic(SERVICE, DELIVERIES)
    partitions = {TopicPartition(topic, countries.partition_of(c)): c for c in countries.codes}
    openers = {c: ends.opener(c) for c in countries.codes}  # the local stack plays every member's agency
    watcher = AIOKafkaConsumer(  # the operator sees every member's partition
        bootstrap_servers=ends.bootstrap_servers.split(","),
        enable_auto_commit=False,
        **client_options(ends.admin_auth()),
    )
    client = ends.agency_client(country, "operador-24-7")
    await reach_kafka(ends.bootstrap_servers, watcher.start(), client.__aenter__())
    try:
        watcher.assign(list(partitions))
        for tp, offset in (await watcher.end_offsets(list(partitions))).items():
            watcher.seek(tp, offset)  # only what this event causes from now on
        event = client.event(event_type, data, handling)
        await client.submit(SERVICE, event)
        caused: list[tuple[str, Envelope]] = []
        deadline = time.monotonic() + patience
        while not enough(caused) and time.monotonic() < deadline:
            for tp, records in (await watcher.getmany(timeout_ms=300)).items():
                for record in records:
                    envelope = _envelope(record.value, openers[partitions[tp]])
                    if envelope is not None and envelope.causationid == event.id:
                        caused.append((partitions[tp], envelope))
        return Outcome(event.id, caused)
    finally:
        await asyncio.gather(watcher.stop(), client.__aexit__())


def delivered_to(caused: list[tuple[str, Envelope]]) -> set[str]:
    return {country for country, event in caused if event.type == DELIVERED}


async def raise_alert(
    ends: Endpoints, country: str, payload: dict[str, Any], handling: Handling, patience: float
) -> Outcome:
    expected = expected_recipients(payload, country, ends.andina.countries().codes)

    def enough(caused: list[tuple[str, Envelope]]) -> bool:
        return any(e.type == REJECTED for _, e in caused) or delivered_to(caused) >= expected

    return await submit_and_watch(ends, country, RAISED, payload, handling, enough, patience)


async def acknowledge(ends: Endpoints, country: str, payload: dict[str, Any], patience: float) -> Outcome:
    def enough(caused: list[tuple[str, Envelope]]) -> bool:
        return any(e.type in (REJECTED, ACK_RECEIVED) for _, e in caused)

    return await submit_and_watch(ends, country, ACKNOWLEDGED, payload, Handling.H0, enough, patience)
