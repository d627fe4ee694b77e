"""Findings of the other services become alerts by rule (events built from the contract)."""

from __future__ import annotations

import pytest

from andina.alerts.settings import Settings
from andina.contract.client import AgencyClient
from andina.contract.envelope import Handling, service_source, unsigned_event
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.events.signals import SIGNALS, alert_requested_type
from andina.contract.topics import TopicRegistry
from tests.conftest import Keys
from tests.e2e.alerts.conftest import Reader, running

pytestmark = pytest.mark.integration


def signal(service: str, severity: str, reference: str) -> dict[str, object]:
    return {
        "signal": "screening-hit",
        "severity": severity,
        "category": "wanted-person",
        "summary": "Control fronterizo en Rumichaca coincide con requisitoria de EC",
        "facts": {"record": "EC-2026-000113", "score": "0.97"},
        "country": "EC",
        "recipients": ["CO"],
        "reference": reference,
    }


async def test_a_critical_intelligence_hit_raises_a_flash_alert_and_a_low_one_raises_nothing(
    alerts_settings: Settings,
    admin_agencies: dict[str, AgencyClient],
    inbox: Reader,
    keys: Keys,
    topics: TopicRegistry,
) -> None:
    service = "intel-exchange"
    topic = topics.topic(service, SIGNALS)
    for severity, reference in (("low", "hit/1"), ("critical", "hit/2")):
        attributes = unsigned_event(
            type=alert_requested_type(service),
            source=service_source(service),
            origin="EC",
            data=signal(service, severity, reference),
            handling=Handling.H2,
        )
        # Playing the intel-exchange service: only a service (here admin) may write a signals topic.
        await admin_agencies["EC"].send_raw(topic, b"EC", keys.signers[service].sign(attributes))

    async with running(alerts_settings):
        # Both signals are handled before the FLASH alert's first escalation (1.5 s here).
        to_co = await inbox("CO", 2, within=10)

    delivered = [e for e in to_co if e.type == alerts_catalog.ALERT_DELIVERED]
    assert len(delivered) == 1
    alert = delivered[0].data
    assert (alert["origin"], alert["priority"], alert["category"]) == ("EC", "FLASH", "wanted-person")
    assert "EC-2026-000113" in alert["facts"]
    assert delivered[0].handling is Handling.H2
