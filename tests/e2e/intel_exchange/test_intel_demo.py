"""The intel-exchange demo scenario, against the service running in-process on this test's topics."""

from __future__ import annotations

import pytest

from andina.deploy import demo_intel_exchange
from andina.deploy.settings import Endpoints
from andina.intel_exchange.app import create_app
from andina.intel_exchange.settings import Settings
from tests.conftest import ServiceSettingsFactory

pytestmark = pytest.mark.integration


async def test_the_demo_shows_a_hit_and_the_owners_notification(
    service_settings: ServiceSettingsFactory,
    demo_endpoints: Endpoints,
    capsys: pytest.CaptureFixture[str],
) -> None:
    async with create_app(service_settings(Settings)).start_lifespan_context():
        await demo_intel_exchange.run(demo_endpoints, patience=30.0)

    shown = capsys.readouterr().out
    assert "hit reference on CO's partition" in shown
    assert "hit notification on EC's partition" in shown
    assert "BO, excluded by EC, got no-hit" in shown
