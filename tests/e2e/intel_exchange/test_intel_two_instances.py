"""Two instances of intel-exchange in one consumer group: each answers from every record filed.

The group gives each instance some countries' partitions; a record filed through one is
screenable through the other once the changelog has carried it there.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from andina.contract.client import AgencyClient
from andina.contract.events.intel_exchange import intel_type
from andina.deploy.demo_intel_exchange import MISSPELT, wanted_person
from andina.intel_exchange.app import create_app
from andina.intel_exchange.settings import Settings
from tests.conftest import ServiceSettingsFactory
from tests.e2e.intel_exchange.partitions import Bus, of_type, only
from tests.instances import GIVE_UP_SECONDS, balanced, held_by_another

pytestmark = pytest.mark.integration

WANTED = wanted_person("EC-2026-000207") | {"expires_on": "2028-03-01", "share_with": ["CO", "PE", "BO"]}


async def screen_until_hit(asker: str, agency: AgencyClient, bus: Bus) -> dict[str, Any]:
    """Ask again until the answer is a hit (the changelog may not have reached the instance yet)."""
    deadline = time.monotonic() + GIVE_UP_SECONDS
    asked = 0
    while True:
        await agency.submit(Bus.SERVICE, agency.event(intel_type("screening-requested"), MISSPELT))
        asked += 1
        [*_, answer] = only(await bus.read(asker, of_type("screening-answered", asked)), "screening-answered")
        if answer["outcome"] == "hit" or time.monotonic() > deadline:
            return answer
        await asyncio.sleep(0.2)


async def test_a_record_filed_through_one_instance_is_screenable_through_the_other(
    service_settings: ServiceSettingsFactory,
    agencies: dict[str, AgencyClient],
    bus: Bus,
) -> None:
    settings = service_settings(Settings)
    first, second = create_app(settings), create_app(settings)
    async with first.start_lifespan_context(), second.start_lifespan_context():
        asker = held_by_another(await balanced([first, second]), "EC", among=("CO", "PE", "BO"))
        await agencies["EC"].submit(Bus.SERVICE, agencies["EC"].event(intel_type("person-record-submitted"), WANTED))
        await bus.read("EC", of_type("person-record-acknowledged"))

        answer = await screen_until_hit(asker, agencies[asker], bus)

    assert answer["outcome"] == "hit"
    assert [hit["record_id"] for hit in answer["hits"]] == ["EC-2026-000207"]
