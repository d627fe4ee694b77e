"""The customs demo scenario (``andina demo``'s customs part) against the service on this test's topics."""

from __future__ import annotations

import pytest

from andina.customs.settings import Settings
from andina.deploy import demo_customs
from andina.deploy.settings import Endpoints
from tests.customs_e2e import running

pytestmark = pytest.mark.integration


async def test_the_demo_shows_a_request_answered_to_pe_only_and_a_discrepancy_for_pe_and_co(
    settings: Settings,
    demo_endpoints: Endpoints,
    capsys: pytest.CaptureFixture[str],
) -> None:

    async with running(settings):
        await demo_customs.run(demo_endpoints, patience=30.0)

    shown = capsys.readouterr().out
    assert "BO received the request" in shown
    assert "the answer reached PE only" in shown
    assert "La DUI 2026-201-C-777 declara 84,2 kg." in shown
    assert "the discrepancy reached PE and CO" in shown
    assert "gross-weight" in shown
    assert "customs demo passed" in shown
