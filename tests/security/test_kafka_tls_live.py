"""Agency systems reach the bus over TLS: the broker proves who it is before anyone logs in.

On the local stack's TLS listener (SASL_SSL) a client that trusts the stack's authority
(ANDINA_KAFKA_SSL_CAFILE) logs in as its country and works as on the plain listener, under
the same ACLs; a client that cannot check the broker's certificate, or does not speak TLS,
gets no connection at all, so neither its password nor an event crosses the wire in clear.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaConnectionError, TopicAuthorizationFailedError

from andina.contract.client import AgencyClient, PartitionReader
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Handling
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.kafka_auth import KafkaAuth, client_options
from andina.contract.topics import TopicRegistry
from andina.deploy.kafka_tls import ensure_broker_tls
from andina.deploy.kafka_users import KafkaUsers
from andina.deploy.settings import AgencyTls, StackSettings, stack_agency_tls
from tests.conftest import Keys

pytestmark = pytest.mark.integration

SENT = alerts_catalog.MESSAGE_SENT
MESSAGE = {"subject": "Requisitoria", "body": "Sujeto con orden de captura cruzó Desaguadero", "recipients": ["BO"]}


@pytest.fixture
def listener(sasl_users: KafkaUsers) -> AgencyTls:
    """The stack's TLS listener (the tests run against the stack: it has SASL users)."""
    tls = stack_agency_tls(StackSettings())
    assert tls is not None, "the stack has SASL users but no TLS authority: `andina stack up` makes it"
    return tls


async def test_a_country_submits_over_tls_and_its_acls_hold_there_too(
    kafka_bootstrap: str,
    listener: AgencyTls,
    sasl_users: KafkaUsers,
    keys: Keys,
    countries: CountryRegistry,
    topics: TopicRegistry,
) -> None:
    pe = sasl_users.country("PE").over_tls(listener.ca_file)
    async with AgencyClient(listener.bootstrap_servers, keys.signers["PE"], countries, topics, auth=pe) as agency:
        event = agency.event(SENT, MESSAGE, Handling.H1)
        submitted = await agency.submit("alerts", event)

    partition = countries.partition_of("PE")
    async with PartitionReader(kafka_bootstrap, submitted.topic, partition, auth=sasl_users.admin()) as admin:
        records = await admin.read(submitted.offset, lambda records: len(records) >= 1)
    assert records[0].value == event.wire

    bolivia = sasl_users.country("BO").over_tls(listener.ca_file)
    async with PartitionReader(listener.bootstrap_servers, submitted.topic, partition, auth=bolivia) as reader:
        with pytest.raises(TopicAuthorizationFailedError):
            await reader.read(0, lambda records: len(records) >= 1, within=20.0)


async def _connects(bootstrap: str, auth: KafkaAuth) -> bool:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, request_timeout_ms=10_000, **client_options(auth))
    try:
        await producer.start()
    except KafkaConnectionError:
        return False
    finally:
        await producer.stop()
    return True


async def test_a_client_trusting_another_authority_is_not_connected(
    listener: AgencyTls, sasl_users: KafkaUsers, tmp_path: Path
) -> None:
    other, _ = ensure_broker_tls(tmp_path)  # another authority: the same names, other keys
    pe = sasl_users.country("PE")

    assert await _connects(listener.bootstrap_servers, pe.over_tls(listener.ca_file))
    assert not await _connects(listener.bootstrap_servers, pe.over_tls(other.ca_file))


async def test_a_client_not_speaking_tls_gets_nothing_from_the_tls_listener(
    listener: AgencyTls, sasl_users: KafkaUsers
) -> None:
    assert not await _connects(listener.bootstrap_servers, sasl_users.country("PE"))
