"""The alerts service as its own process (``python -m andina.alerts``) on the real stack."""

from __future__ import annotations

import httpx
import pytest

from andina.contract.client import AgencyClient, PartitionReader
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Handling
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.topics import DELIVERIES, TopicRegistry
from tests.conftest import Keys
from tests.e2e.alerts.conftest import ServiceProcess

pytestmark = pytest.mark.integration

SENT = alerts_catalog.MESSAGE_SENT


async def test_pe_message_reaches_co_and_ec_on_their_own_partitions_and_nothing_reaches_bo(
    alerts_process: ServiceProcess,
    kafka_bootstrap: str,
    agencies: dict[str, AgencyClient],
    countries: CountryRegistry,
    topics: TopicRegistry,
    keys: Keys,
) -> None:
    await alerts_process.start()
    message = {
        "subject": "Menor desaparecida",
        "body": "Vista por última vez en Aguas Verdes",
        "recipients": ["CO", "EC"],
    }
    sent = agencies["PE"].event(SENT, message, Handling.H3)

    await agencies["PE"].submit("alerts", sent)

    received = {}
    for country in ("CO", "EC", "BO"):
        async with PartitionReader(
            kafka_bootstrap, topics.topic("alerts", DELIVERIES), countries.partition_of(country)
        ) as reader:
            received[country] = await reader.read(0, lambda r: len(r) >= 1, within=30.0 if country != "BO" else 3.0)
    for country in ("CO", "EC"):
        assert len(received[country]) == 1
        envelope = keys.opener(country).open(received[country][0].value)
        assert (envelope.causationid, envelope.handling, envelope.data["subject"]) == (
            sent.id,
            Handling.H3,
            message["subject"],
        )
    assert received["BO"] == []
    async with httpx.AsyncClient() as http:
        metrics = (await http.get(f"{alerts_process.url}/metrics")).text
    assert (
        f'andina_events_received_total{{origin="PE",service="alerts",type="{alerts_catalog.MESSAGE_SENT}"}} 1.0'
        in metrics
    )
    assert (
        f'andina_events_published_total{{recipient="CO",service="alerts",type="{alerts_catalog.MESSAGE_DELIVERED}"}}'
        " 1.0" in metrics
    )
