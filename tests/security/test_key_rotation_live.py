"""A country rotates its signing key while the alerts service runs: nothing refused, no restart.

Events signed with the old key keep being accepted until the key is retired; after that
they are dead-lettered as `unknown-signer`, while the new key goes on working.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from uuid import UUID

import pytest

from andina.alerts.app import create_app
from andina.alerts.settings import Settings
from andina.contract.client import AgencyClient, SignedEvent, agency_event
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Envelope, Handling
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.sealing import DeliveryOpener
from andina.contract.signing import KeyDirectory, SignerKey
from andina.contract.topics import DEAD_LETTER, DELIVERIES, TopicRegistry
from andina.deploy.keys import retire_keys, rotate_key
from tests.conftest import Keys, ServiceSettingsFactory, read_partition

pytestmark = pytest.mark.integration

SENT = alerts_catalog.MESSAGE_SENT


def message(key: SignerKey, n: int) -> SignedEvent:
    data = {"subject": f"Requisitoria {n}", "body": "Vehículo robado cruzó por Aguas Verdes", "recipients": ["CO"]}
    return agency_event(key, "policia", SENT, data, Handling.H1)


async def caused_on(kafka: str, topic: str, partition: int, count: int, opener: DeliveryOpener) -> list[UUID | None]:
    return [opener.open(r.value).causationid for r in await read_partition(kafka, topic, partition, count)]


async def test_a_signing_key_rotates_without_downtime_and_a_retired_key_is_refused(
    kafka_bootstrap: str,
    keys: Keys,
    tmp_path: Path,
    service_settings: ServiceSettingsFactory,
    agencies: dict[str, AgencyClient],
    countries: CountryRegistry,
    topics: TopicRegistry,
) -> None:
    # Our own copy of the keys: the other tests keep the session's keys unrotated.
    keys_dir = Path(shutil.copytree(keys.dir, tmp_path / "keys"))
    directory = keys_dir / keys.directory.name
    settings = service_settings(Settings).model_copy(update={"keys_dir": keys_dir, "key_directory": directory})
    pe = agencies["PE"]  # submits bytes signed by whichever key we give it
    old_key = SignerKey.load(keys_dir, "PE")

    async with create_app(settings).start_lifespan_context():
        before = message(old_key, 1)
        await pe.submit("alerts", before)
        rotate_key(keys_dir, directory, "PE")
        new_key = SignerKey.load(keys_dir, "PE")
        rotated, in_flight = message(new_key, 2), message(old_key, 3)
        for event in (rotated, in_flight):
            await pe.submit("alerts", event)
        delivered = await caused_on(
            kafka_bootstrap, topics.topic("alerts", DELIVERIES), countries.partition_of("CO"), 3, keys.opener("CO")
        )

        retire_keys(directory, "PE")
        await asyncio.sleep(KeyDirectory.RECHECK_SECONDS + 1)  # the running service re-reads the directory
        retired, after = message(old_key, 4), message(new_key, 5)
        for event in (retired, after):
            await pe.submit("alerts", event)
        delivered = await caused_on(
            kafka_bootstrap, topics.topic("alerts", DELIVERIES), countries.partition_of("CO"), 4, keys.opener("CO")
        )
        dead = await read_partition(
            kafka_bootstrap, topics.topic("alerts", DEAD_LETTER), countries.partition_of("PE"), 1
        )

    assert old_key.key_id != new_key.key_id
    assert delivered == [before.id, rotated.id, in_flight.id, after.id]
    assert [dict(r.headers)["andina-dlq-reason"] for r in dead] == [b"unknown-signer"]
    assert Envelope.model_validate_json(dead[0].value).id == retired.id
