"""The members' policies in e2e tests: the one service that takes changes, run beside the service under
test; a change sent to it once; and the moment a service has a version in force (its own counter)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from faststream.asgi import AsgiFastStream

from andina.contract.client import AgencyClient, SignedEvent
from andina.contract.events.catalogs.intel_exchange import POLICY_CHANGED, SERVICE
from andina.intel_exchange.app import create_app
from andina.intel_exchange.settings import Settings
from andina.shared.policy.network import IN_FORCE
from tests.conftest import ServiceSettingsFactory
from tests.instances import scraped


@asynccontextmanager
async def policy_service(service_settings: ServiceSettingsFactory) -> AsyncIterator[AsgiFastStream]:
    """The service that takes policy changes, on this test's topics."""
    app = create_app(service_settings(Settings))
    async with app.start_lifespan_context():
        yield app


async def send_policy(agency: AgencyClient, country: str, text: str, note: str = "") -> SignedEvent:
    """``country``'s policy, sent once, for every service."""
    event = agency.event(POLICY_CHANGED, {"country": country, "policy": text, "note": note})
    await agency.submit(SERVICE, event)
    return event


async def versions_in_force(app: AsgiFastStream) -> float:
    """How many versions the service has put in force from the policies topic (its /metrics)."""
    counted = await scraped(app, "andina_policy_versions_total")
    return sum(value for labels, value in counted.items() if ("outcome", IN_FORCE) in labels)


async def in_force(app: AsgiFastStream, versions: int, within: float = 30.0) -> None:
    """Once the service has put ``versions`` versions in force (from the topic), or fail after ``within`` s."""
    deadline = time.monotonic() + within
    while await versions_in_force(app) < versions:
        assert time.monotonic() < deadline, f"not {versions} version(s) in force after {within} s"
        await asyncio.sleep(0.02)
