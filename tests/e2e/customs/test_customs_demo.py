"""The customs demo scenario (``andina demo``'s customs part) against the service on this test's topics."""

from __future__ import annotations

import pytest

from andina.customs.settings import Settings
from andina.deploy import demo_customs
from andina.deploy.settings import Endpoints
from andina.shared.settings import AndinaSettings
from andina.shared.topics import TopicRegistry
from tests.conftest import Keys
from tests.customs_e2e import running

pytestmark = pytest.mark.integration


async def test_the_demo_shows_a_request_answered_to_pe_only_and_a_discrepancy_for_pe_and_co(
    settings: Settings,
    kafka_bootstrap: str,
    mongo_url: str,
    keys: Keys,
    topics: TopicRegistry,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ends = Endpoints(
        bootstrap_servers=kafka_bootstrap,
        mongo_url=mongo_url,
        keys_dir=keys.dir,
        key_directory=keys.directory,
        andina=AndinaSettings(topic_namespace=topics.namespace),
    )

    async with running(settings):
        await demo_customs.run(ends, patience=30.0)

    shown = capsys.readouterr().out
    assert "BO received the request" in shown
    assert "the answer reached PE only" in shown
    assert "La DUI 2026-201-C-777 declara 84,2 kg." in shown
    assert "the discrepancy reached PE and CO" in shown
    assert "gross-weight" in shown
    assert "customs demo passed" in shown
