"""The alerts service logged in to Kafka as its own user (svc-alerts) does its job under the ACLs."""

from __future__ import annotations

import pytest

from andina.contract.client import AgencyClient, PartitionReader
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Handling
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.topics import DELIVERIES, TopicRegistry
from andina.deploy.kafka_users import KafkaUsers
from andina.deploy.services import kafka_environment
from tests.conftest import Keys
from tests.e2e.alerts.conftest import ServiceProcess

pytestmark = pytest.mark.integration

SENT = alerts_catalog.MESSAGE_SENT
MESSAGE = {"subject": "Requisitoria", "body": "Sujeto con orden de captura cruzó Rumichaca", "recipients": ["PE"]}


async def test_a_service_logged_in_as_itself_relays_from_one_country_to_another(
    kafka_bootstrap: str,
    sasl_users: KafkaUsers,
    alerts_process: ServiceProcess,
    agencies: dict[str, AgencyClient],
    countries: CountryRegistry,
    topics: TopicRegistry,
    keys: Keys,
) -> None:
    alerts_process.env.update(kafka_environment(sasl_users.service("alerts")))  # not admin
    await alerts_process.start()
    sent = agencies["CO"].event(SENT, MESSAGE, Handling.H1)
    await agencies["CO"].submit("alerts", sent)

    topic, partition = topics.topic("alerts", DELIVERIES), countries.partition_of("PE")
    async with PartitionReader(kafka_bootstrap, topic, partition, auth=sasl_users.country("PE")) as pe:
        records = await pe.read(0, lambda records: len(records) >= 1, within=60.0)

    assert alerts_process.env["ANDINA_KAFKA_USERNAME"] == "svc-alerts"
    delivered = [keys.opener("PE").open(r.value) for r in records]
    assert [e.causationid for e in delivered] == [sent.id]
    assert delivered[0].signer == "alerts"
    assert delivered[0].data["subject"] == MESSAGE["subject"]
