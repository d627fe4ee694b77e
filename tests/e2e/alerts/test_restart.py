"""Escalation steps survive a SIGKILL of the service: each due step fires once."""

from __future__ import annotations

import asyncio
import time

import pytest

from andina.contract.client import AgencyClient
from andina.contract.envelope import Envelope
from andina.contract.events.catalogs import alerts as catalog
from tests.e2e.alerts.conftest import Reader, ServiceProcess

pytestmark = pytest.mark.integration

DEADLINE = 3.0


async def distinct(inbox: Reader, country: str, count: int, within: float) -> list[Envelope]:
    """Events by id, in arrival order: a step re-published after the kill comes again with its id."""
    wanted, deadline = count, time.monotonic() + within
    while True:
        records = await inbox(country, wanted, within=max(deadline - time.monotonic(), 0.1))
        events = list({e.id: e for e in records}.values())
        if len(events) >= count or time.monotonic() >= deadline:
            return events
        wanted += count - len(events)


async def test_a_pending_escalation_fires_once_after_the_service_is_killed_and_started_again(
    alerts_process: ServiceProcess, agencies: dict[str, AgencyClient], inbox: Reader
) -> None:
    alerts_process.env["ANDINA_ACK_DEADLINE_FLASH"] = str(DEADLINE)
    raised = agencies["PE"].event(
        catalog.ALERT_RAISED,
        {"priority": "FLASH", "category": "firearm", "title": "Fusiles", "facts": "Lote robado", "recipients": ["EC"]},
    )
    await alerts_process.start()
    await agencies["PE"].submit("alerts", raised)
    # /health answers before the new process has joined its group: on a loaded machine that takes a while.
    assert len(await inbox("EC", 1, within=60)) == 1

    alerts_process.kill()  # the escalation to EC's alternate is pending in the store
    await asyncio.sleep(DEADLINE + 1)  # it falls due while the service is down
    await alerts_process.start()
    ec = await distinct(inbox, "EC", 3, within=30)
    pe = await distinct(inbox, "PE", 1, within=30)
    await asyncio.sleep(2 * DEADLINE)  # time for any step to fire a second time
    ec_after, pe_after = await distinct(inbox, "EC", 9, within=1), await distinct(inbox, "PE", 9, within=1)

    assert [e.data["step"] for e in ec] == ["primary", "alternate", "coordinator"]
    assert [e.type for e in pe] == [catalog.DELIVERY_FAILED]
    assert len(ec_after) == 3
    assert len(pe_after) == 1
