"""A member country taken out of the registry loses the bus on the next deploy run.

`andina stack up` (and ``python -m andina.deploy.kafka_security secure``) removes its ACLs
first, so connections it already holds can no longer read or write, then its SCRAM
credential, so it cannot log in again, and its password from the credentials file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaConnectionError, TopicAuthorizationFailedError

from andina.contract.countries import CountryRegistry
from andina.contract.kafka_auth import KafkaAuth, client_options
from andina.contract.topics import SUBMISSIONS, TopicRegistry
from andina.deploy.kafka_security import secure_kafka
from andina.deploy.kafka_users import KafkaUsers, country_user
from andina.deploy.settings import StackSettings

pytestmark = pytest.mark.integration

LEAVING = "VE"  # a member that joins for the test, then leaves


def producer(bootstrap: str, auth: KafkaAuth) -> AIOKafkaProducer:
    return AIOKafkaProducer(bootstrap_servers=bootstrap, request_timeout_ms=10_000, **client_options(auth))


async def test_a_country_removed_from_the_registry_can_neither_write_nor_log_in_again(
    kafka_bootstrap: str, sasl_users: KafkaUsers, countries: CountryRegistry, topics: TopicRegistry, tmp_path: Path
) -> None:
    # A copy of the stack's credentials: the stack's own file keeps its users.
    credentials = Path(shutil.copy(StackSettings().kafka_credentials, tmp_path / "credentials.json"))
    members, reach = list(countries.every_code), countries.programme_reach()
    joined = await secure_kafka(kafka_bootstrap, credentials, topics, [*members, LEAVING], reach)
    auth = joined.users.country(LEAVING)
    submissions = topics.topic("alerts", SUBMISSIONS)

    connected = producer(kafka_bootstrap, auth)
    await connected.start()
    try:
        await connected.send_and_wait(submissions, b"{}", partition=0)  # a member may submit

        left = await secure_kafka(kafka_bootstrap, credentials, topics, members, reach)

        assert left.revoked_users == [country_user(LEAVING)]
        assert country_user(LEAVING) not in KafkaUsers.load(credentials).passwords
        with pytest.raises(TopicAuthorizationFailedError):
            await connected.send_and_wait(submissions, b"{}", partition=0)
    finally:
        await connected.stop()
    revoked, member = producer(kafka_bootstrap, auth), producer(kafka_bootstrap, sasl_users.country(countries.codes[0]))
    try:
        with pytest.raises(KafkaConnectionError):  # SASL authentication failed...
            await revoked.start()
        await member.start()  # ...on a broker that lets a member in
    finally:
        await revoked.stop()
        await member.stop()
    assert (await secure_kafka(kafka_bootstrap, credentials, topics, members, reach)).revoked_users == []
