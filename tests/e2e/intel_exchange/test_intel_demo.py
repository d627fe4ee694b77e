"""The intel-exchange demo scenario, against the service running in-process on this test's topics."""

from __future__ import annotations

import pytest

from andina.deploy import demo_intel_exchange
from andina.deploy.settings import Endpoints
from andina.intel_exchange.app import create_app
from andina.intel_exchange.settings import Settings
from andina.shared.settings import AndinaSettings
from andina.shared.topics import TopicRegistry
from tests.conftest import Keys, ServiceSettingsFactory

pytestmark = pytest.mark.integration


async def test_the_demo_shows_a_hit_and_the_owners_notification(
    service_settings: ServiceSettingsFactory,
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
    async with create_app(service_settings(Settings)).start_lifespan_context():
        await demo_intel_exchange.run(ends, patience=30.0)

    shown = capsys.readouterr().out
    assert "hit reference on CO's partition" in shown
    assert "hit notification on EC's partition" in shown
    assert "BO, excluded by EC, got no-hit" in shown
