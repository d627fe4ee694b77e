"""The stack's own Prometheus pages when a service stops consuming, and clears once it goes on.

The stall is real: the stack's store is frozen (SIGSTOP), so the alerts service takes PE's
submissions and cannot finish them; nothing in its handler metrics says so, but its lag, read
from the broker, grows while its committed offset stands still. Thawed, it catches up.
"""

from __future__ import annotations

import asyncio
import os
import signal

from andina.contract.events.catalogs.alerts import MESSAGE_SENT
from andina.deploy import store
from andina.deploy.processes import running_pid
from andina.deploy.settings import StackSettings, endpoints
from tests.e2e.observability.conftest import Prometheus

FIRING = 'ALERTS{alertname="AndinaConsumerLagGrowing", alertstate="firing", service="alerts"}'
MESSAGE = {"subject": "Prueba de guardia", "body": "Sin acción requerida", "recipients": ["CO"]}


async def submit_as_pe(count: int) -> None:
    async with endpoints(StackSettings()).agency_client("PE") as pe:
        for _ in range(count):
            await pe.submit("alerts", pe.event(MESSAGE_SENT, MESSAGE))


def test_a_service_that_stops_committing_pages_within_three_minutes_and_clears_once_it_goes_on(
    prometheus: Prometheus,
) -> None:
    settings = StackSettings()
    ferretdb = running_pid(settings.state, store.component(settings))
    assert ferretdb is not None, "the stack's store is not running: `andina stack up`"
    assert prometheus.query(FIRING) == []
    os.kill(ferretdb, signal.SIGSTOP)
    try:
        asyncio.run(submit_as_pe(3))
        firing = prometheus.until(FIRING, lambda result: result != [], within=240.0)
    finally:
        os.kill(ferretdb, signal.SIGCONT)
    cleared = prometheus.until(FIRING, lambda result: result == [], within=120.0)

    assert firing, "no page in 4 minutes"
    assert cleared == []
