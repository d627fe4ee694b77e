"""Hostile input against a running service (alerts): each refused with its reason, counted, nothing changed.

Kinds not covered by tests/integration/shared/test_bus.py: a missing signature, JSON nested
past any sane depth, a payload nested where a string belongs, a type the service does not
accept, the same event id sent again, and events too old or from the future (replays).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
import pytest
from prometheus_client.parser import text_string_to_metric_families

from andina.alerts.app import create_app
from andina.alerts.settings import Settings
from andina.contract.client import AgencyClient
from andina.contract.countries import CountryRegistry
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.topics import DEAD_LETTER, DELIVERIES, SUBMISSIONS, TopicRegistry
from andina.shared.store import database_name, mongo_client
from tests.conftest import Keys, ServiceSettingsFactory, read_partition

pytestmark = pytest.mark.integration

SENT = alerts_catalog.MESSAGE_SENT
MESSAGE = {"subject": "Requisitoria", "body": "Sujeto cruzó por Huaquillas", "recipients": ["CO"]}


def nested(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


async def dead_letter_counts(app: Any) -> dict[str, float]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service") as client:
        text = (await client.get("/metrics")).text
    return {
        sample.labels["reason"]: sample.value
        for family in text_string_to_metric_families(text)
        if family.name == "andina_dead_letters"
        for sample in family.samples
        if sample.name == "andina_dead_letters_total"
    }


async def test_hostile_input_is_refused_with_its_reason_counted_and_changes_nothing(
    kafka_bootstrap: str,
    mongo_url: str,
    service_settings: ServiceSettingsFactory,
    agencies: dict[str, AgencyClient],
    countries: CountryRegistry,
    topics: TopicRegistry,
    keys: Keys,
) -> None:
    pe, settings = agencies["PE"], service_settings(Settings)
    valid = pe.event(SENT, MESSAGE)
    now = datetime.now(UTC)
    unsigned = {k: v for k, v in orjson.loads(valid.wire).items() if k != "signature"}
    hostile = {
        "invalid-envelope": orjson.dumps({**unsigned, "id": "4b0f6c1e-0000-4000-8000-000000000001"}),
        "malformed-json": nested(5000),
        "invalid-payload": pe.event(SENT, {**MESSAGE, "body": orjson.loads(nested(60))}).wire,
        "unknown-type": pe.event("andina.alerts.delete-everything.v1", MESSAGE).wire,
        "duplicate": valid.wire,
        "stale": pe.event(SENT, MESSAGE, time=now - timedelta(days=4)).wire,
    }
    from_the_future = pe.event(SENT, MESSAGE, time=now + timedelta(hours=1)).wire
    follow_up = pe.event(SENT, MESSAGE)
    submissions = topics.topic("alerts", SUBMISSIONS)
    await pe.submit("alerts", valid)
    for value in [*hostile.values(), from_the_future]:
        await pe.send_raw(submissions, b"PE", value)
    await pe.submit("alerts", follow_up)

    app = create_app(settings)
    async with app.start_lifespan_context():
        deliveries = topics.topic("alerts", DELIVERIES)
        delivered = await read_partition(kafka_bootstrap, deliveries, countries.partition_of("CO"), 3, within=8.0)
        dead_letters = topics.topic("alerts", DEAD_LETTER)
        dead = await read_partition(kafka_bootstrap, dead_letters, countries.partition_of("PE"), len(hostile) + 1)
        counted = await dead_letter_counts(app)

    reasons = [dict(r.headers)["andina-dlq-reason"].decode() for r in dead]
    assert sorted(reasons) == sorted([*hostile, "stale"])  # a duplicate is found after the gate's checks
    assert counted == {**dict.fromkeys(hostile, 1.0), "stale": 2.0}
    causes = [keys.opener("CO").open(r.value).causationid for r in delivered]
    assert causes == [valid.id, follow_up.id]  # nothing hostile reached anyone
    client = mongo_client(mongo_url)
    inbox = client[database_name(settings.database_prefix, "alerts")]["inbox_claims"]
    claimed = {d["_id"] async for d in inbox.find({}, {"_id": 1})}
    await client.close()
    assert claimed == {str(valid.id), str(follow_up.id)}
