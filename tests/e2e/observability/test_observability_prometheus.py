"""The stack's Prometheus, after the demo scenario: the key series with their labels, and the
recording rules' figures, read through its HTTP API."""

from __future__ import annotations

import math

import httpx
import pytest

from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.topics import TopicRegistry
from tests.e2e.observability.conftest import DemoWindow, Prometheus, Series, total

pytestmark = pytest.mark.integration

SERVICES = TopicRegistry.load().services


def test_every_service_job_is_scraped_and_up(prometheus: Prometheus, demo_window: DemoWindow) -> None:
    up = prometheus.query('up{service!=""}')

    assert {s["metric"]["job"]: float(s["value"][1]) for s in up} == dict.fromkeys(SERVICES, 1.0)
    assert all(s["metric"]["service"] == s["metric"]["job"] for s in up)


def test_admitted_events_are_counted_by_service_type_and_origin(
    prometheus: Prometheus, demo_window: DemoWindow
) -> None:
    received = prometheus.query(
        f'andina_events_received_total{{service="alerts", type="{alerts_catalog.ALERT_RAISED}"}}'
    )

    assert received, "no alert-raised admitted by the alerts service"
    assert {"service", "type", "origin"} <= set(received[0]["metric"])
    assert "PE" in {s["metric"]["origin"] for s in received}


def test_the_demos_alert_is_counted_once_more(prometheus: Prometheus, demo_window: DemoWindow) -> None:
    raised = 'andina_alerts_raised_total{origin="PE", priority="FLASH", category="missing-person"}'

    before = total(prometheus.query(raised, demo_window.started))
    after = total(prometheus.query(raised, demo_window.scraped))

    assert after == before + 1


def test_the_recording_rules_evaluate_without_errors(prometheus: Prometheus, demo_window: DemoWindow) -> None:
    groups = httpx.get(f"{prometheus.url}/api/v1/rules", timeout=10).json()["data"]["groups"]
    rules = [rule for group in groups for rule in group["rules"]]

    assert {g["name"] for g in groups} >= {"andina-bus", "andina-exchanges", "andina-24-7", "andina-operations"}
    assert [(r["name"], r.get("lastError")) for r in rules if r["health"] != "ok"] == []


@pytest.mark.parametrize(
    "record",
    [
        'service:andina_events_received:rate5m{service="alerts"}',
        'service_origin:andina_events_received:rate5m{service="alerts", origin="PE"}',
        'origin_recipient:andina_exchanges:rate5m{kind="alert", origin="PE", recipient="CO"}',
        'origin_priority:andina_alerts_raised:rate5m{origin="PE", priority="FLASH"}',
        'recipient_step:andina_alerts_escalations:rate5m{recipient="EC", step="alternate"}',
        'service_reason:andina_dead_letters:rate5m{service="alerts", reason="malformed-json"}',
    ],
)
def test_the_recorded_rates_show_the_demo(prometheus: Prometheus, demo_window: DemoWindow, record: str) -> None:
    result = prometheus.until(record, lambda r: total(r) > 0)

    assert total(result) > 0, f"{record} recorded nothing"


def test_acknowledgement_times_are_recorded_as_quantiles(prometheus: Prometheus, demo_window: DemoWindow) -> None:
    def defined(result: Series) -> bool:
        return {s["metric"]["quantile"] for s in result if not math.isnan(float(s["value"][1]))} == {
            "0.5",
            "0.9",
            "0.99",
        }

    quantiles = prometheus.until('priority:andina_alerts_acknowledgement_seconds:quantile1h{priority="FLASH"}', defined)

    assert defined(quantiles), quantiles
    assert all(float(s["value"][1]) >= 0 for s in quantiles)
