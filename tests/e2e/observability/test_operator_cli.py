"""The operators' commands as operators run them (`andina ...` in a subprocess), on real Kafka.

`tail` and `replay` run on this test's own topics, with the alerts service in-process;
`alert raise` and `alert ack` need the running stack's alerts service and keys.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from andina.alerts.app import create_app
from andina.alerts.settings import Settings
from andina.contract.client import AgencyClient, PartitionReader
from andina.contract.countries import CountryRegistry
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.signing import SignerKey
from andina.contract.topics import DEAD_LETTER, DELIVERIES, SUBMISSIONS, TopicRegistry
from tests.conftest import Keys, ServiceSettingsFactory, operator_environment

pytestmark = pytest.mark.integration

ANDINA = Path(sys.executable).with_name("andina")
MESSAGE = alerts_catalog.MESSAGE_SENT
UUID_PATTERN = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str


async def andina(*args: str, env: dict[str, str] | None = None) -> Run:
    process = await asyncio.create_subprocess_exec(
        ANDINA,
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=operator_environment(env),
    )
    out, err = await asyncio.wait_for(process.communicate(), 180)
    return Run(process.returncode or 0, out.decode(), err.decode())


@pytest.fixture
def on_test_topics(kafka_bootstrap: str, topics: TopicRegistry) -> dict[str, str]:
    return {"ANDINA_KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "ANDINA_TOPIC_NAMESPACE": topics.namespace}


@asynccontextmanager
async def alerts_service(settings: Settings) -> AsyncIterator[None]:
    async with create_app(settings).start_lifespan_context():
        yield


def _message(subject: str) -> dict[str, object]:
    return {"subject": subject, "body": "Placa ABC-123 vista en Tumbes.", "recipients": ["CO"]}


async def test_tail_shows_a_partition_from_the_beginning_as_a_table(
    admin_agencies: dict[str, AgencyClient], topics: TopicRegistry, on_test_topics: dict[str, str]
) -> None:
    deliveries = topics.topic("alerts", DELIVERIES)  # written as admin: countries may not write deliveries
    sent = [admin_agencies["PE"].event(MESSAGE, _message(f"Camioneta {n}")) for n in (1, 2)]
    for event in sent:
        await admin_agencies["PE"].send_raw(deliveries, b"CO", event.wire)

    run = await andina("tail", "alerts", "CO", "--from-beginning", "--count", "2", env=on_test_topics)

    assert run.returncode == 0, run.stdout + run.stderr
    assert "partition 1 (CO)" in run.stdout
    for event in sent:
        assert str(event.id) in run.stdout
    assert "subject=Camioneta 1" in run.stdout
    assert "subject=Camioneta 2" in run.stdout
    assert "2 record(s) shown" in run.stdout


async def test_tail_without_from_beginning_shows_only_what_arrives(
    admin_agencies: dict[str, AgencyClient], topics: TopicRegistry, on_test_topics: dict[str, str]
) -> None:
    deliveries = topics.topic("alerts", DELIVERIES)  # written as admin: countries may not write deliveries
    old = admin_agencies["PE"].event(MESSAGE, _message("antes"))
    await admin_agencies["PE"].send_raw(deliveries, b"CO", old.wire)
    process = await asyncio.create_subprocess_exec(
        ANDINA, "tail", "alerts", "CO", "--count", "1",
        stdout=asyncio.subprocess.PIPE, env=operator_environment(on_test_topics),
    )  # fmt: skip
    assert process.stdout is not None
    first_line = await asyncio.wait_for(process.stdout.readline(), 60)  # printed once it sits at the end
    new = admin_agencies["PE"].event(MESSAGE, _message("después"))
    await admin_agencies["PE"].send_raw(deliveries, b"CO", new.wire)
    rest = (await asyncio.wait_for(process.stdout.read(), 60)).decode()

    assert b"from new records" in first_line
    assert await process.wait() == 0
    assert str(new.id) in rest
    assert str(old.id) not in rest


async def test_tail_names_the_streams_a_service_has(on_test_topics: dict[str, str]) -> None:
    run = await andina("tail", "alerts", "CO", "--stream", "signals", env=on_test_topics)

    assert run.returncode == 1
    assert "alerts has no stream 'signals'" in run.stderr


async def test_dead_letters_are_tailed_with_their_reason_and_replayed_once_after_the_fix(
    service_settings: ServiceSettingsFactory,
    keys: Keys,
    agencies: dict[str, AgencyClient],
    topics: TopicRegistry,
    countries: CountryRegistry,
    kafka_bootstrap: str,
    on_test_topics: dict[str, str],
    tmp_path: Path,
) -> None:
    fixed = service_settings(Settings)
    stale = json.loads(keys.directory.read_text())
    # The bug: the service's directory holds a key PE no longer signs with.
    stale["signers"]["PE"] = {"kind": "country", "public_key": SignerKey.generate("PE").public_key_b64}
    (tmp_path / "directory.json").write_text(json.dumps(stale))
    broken = fixed.model_copy(update={"key_directory": tmp_path / "directory.json"})
    message = agencies["PE"].event(MESSAGE, _message("Vehículo robado"))
    async with alerts_service(broken):
        await agencies["PE"].submit("alerts", message)
        await agencies["PE"].send_raw(topics.topic("alerts", SUBMISSIONS), b"PE", b'{"specversion": "1.0", ')
        async with PartitionReader(kafka_bootstrap, topics.topic("alerts", DEAD_LETTER), 3) as reader:
            assert len(await reader.read(0, lambda r: len(r) >= 2)) == 2

    tailed = await andina(
        "tail", "alerts", "PE", "--stream", "dead-letter", "--from-beginning", "--count", "2", env=on_test_topics
    )
    dry = await andina("replay", "alerts", "--dry-run", env=on_test_topics)
    async with PartitionReader(kafka_bootstrap, topics.topic("alerts", SUBMISSIONS), 3) as submissions:
        submitted = await submissions.end_offset()
    async with alerts_service(fixed):
        replayed = await andina("replay", "alerts", "--reason", "unknown-signer", env=on_test_topics)
        async with PartitionReader(
            kafka_bootstrap, topics.topic("alerts", DELIVERIES), countries.partition_of("CO")
        ) as co:
            records = await co.read(0, lambda r: len(r) >= 1)
    again = await andina("replay", "alerts", "--reason", "unknown-signer", env=on_test_topics)

    assert tailed.returncode == 0, tailed.stdout + tailed.stderr
    assert "unknown-signer" in tailed.stdout
    assert "malformed-json" in tailed.stdout
    assert f"{MESSAGE} id={message.id}" in tailed.stdout
    assert "would replay 2 dead letter(s)" in dry.stdout
    assert submitted == 2
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert "replayed 1 dead letter(s)" in replayed.stdout
    assert [keys.opener("CO").open(r.value).causationid for r in records] == [message.id]
    assert "replayed 0 dead letter(s)" in again.stdout


async def test_an_operator_raises_an_alert_and_each_recipient_acknowledges_it() -> None:
    raised = await andina(
        "alert", "raise", "--as", "PE", "--to", "CO,EC", "--priority", "ROUTINE", "--category", "vehicle",
        "--title", "Camioneta robada en Tumbes", "--facts", "Placa ABC-123, blanca, rumbo a Aguas Verdes.",
    )  # fmt: skip
    assert raised.returncode == 0, raised.stdout + raised.stderr
    assert "delivered to CO, EC" in raised.stdout
    found = re.search(rf"alert id ({UUID_PATTERN}) raised by PE", raised.stdout)
    assert found is not None, raised.stdout
    alert_id = found.group(1)

    acks = [await andina("alert", "ack", alert_id, "--as", c, "--by", f"Oficial de guardia {c}") for c in ("CO", "EC")]

    for country, ack in zip(("CO", "EC"), acks, strict=True):
        assert ack.returncode == 0, ack.stdout + ack.stderr
        assert "PE was told" in ack.stdout
        assert "acknowledgement-received" in ack.stdout
        assert f"Oficial de guardia {country}" in ack.stdout


async def test_acknowledging_an_unknown_alert_shows_the_networks_refusal() -> None:
    ack = await andina("alert", "ack", "00000000-0000-4000-8000-000000000000", "--as", "CO", "--by", "Oficial")

    assert ack.returncode == 1
    assert "refused by the network (not-found)" in ack.stderr


async def test_an_alert_outside_the_contract_is_refused_before_sending() -> None:
    raised = await andina(
        "alert", "raise", "--as", "PE", "--to", "CO", "--priority", "FLASH", "--category", "spaceship",
        "--title", "t", "--facts", "f",
    )  # fmt: skip

    assert raised.returncode == 1
    assert "invalid AlertRaised: category" in raised.stderr
