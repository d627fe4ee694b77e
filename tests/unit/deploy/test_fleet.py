"""The fleet's pure parts: the environment a service gets, memory and metrics read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from andina.deploy.fleet import Fleet, metric_total, resident_kib, settings_environment
from andina.shared.settings import AndinaSettings

STATUS = "Name:\tpython\nVmPeak:\t  300000 kB\nVmRSS:\t   81234 kB\nThreads:\t4\n"
EXPOSITION = """# HELP andina_events_total Events handled
# TYPE andina_events_total counter
andina_events_total{outcome="handled",type="a"} 3.0
andina_events_total{outcome="handled",type="b"} 4.0
andina_events_total{outcome="rejected",type="a"} 1.0
"""


def test_the_environment_carries_the_explicit_settings_but_not_the_address_of_the_endpoint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("USERNAME", "PASSWORD", "SECURITY_PROTOCOL", "SASL_MECHANISM"):  # a SASL stack's test login
        monkeypatch.delenv(f"ANDINA_KAFKA_{name}", raising=False)
    settings = AndinaSettings(
        topic_namespace="tabc", database_prefix="tabc_", keys_dir=Path("/k"), log_json=False, http_port=9999
    )

    env = settings_environment(settings)

    assert env == {
        "ANDINA_TOPIC_NAMESPACE": "tabc",
        "ANDINA_DATABASE_PREFIX": "tabc_",
        "ANDINA_KEYS_DIR": "/k",
        "ANDINA_LOG_JSON": "false",
    }


def test_a_service_of_the_fleet_gets_its_own_port_and_the_settings_of_the_caller(tmp_path: Path) -> None:
    settings = AndinaSettings(kafka_bootstrap_servers="127.0.0.1:19092", topic_namespace="tabc")
    fleet = Fleet(settings, tmp_path)

    alerts = fleet.add("alerts", {"ANDINA_ACK_DEADLINE_FLASH": "3"})
    customs = fleet.add("customs")

    assert alerts.env["ANDINA_HTTP_PORT"] == str(alerts.spec.port) != customs.env["ANDINA_HTTP_PORT"]
    assert alerts.env["ANDINA_KAFKA_BOOTSTRAP_SERVERS"] == "127.0.0.1:19092"
    assert alerts.env["ANDINA_TOPIC_NAMESPACE"] == customs.env["ANDINA_TOPIC_NAMESPACE"] == "tabc"
    assert alerts.env["ANDINA_ACK_DEADLINE_FLASH"] == "3"
    assert "ANDINA_ACK_DEADLINE_FLASH" not in customs.env


def test_resident_memory_is_read_from_the_status_file() -> None:
    assert resident_kib(STATUS) == 81234


def test_an_exited_process_has_no_resident_memory() -> None:
    with pytest.raises(ValueError, match="exited"):
        resident_kib("Name:\tpython\nState:\tZ (zombie)\n")


def test_metric_totals_add_the_samples_with_the_given_labels() -> None:
    assert metric_total(EXPOSITION, "andina_events_total") == 8
    assert metric_total(EXPOSITION, "andina_events_total", {"outcome": "handled"}) == 7
    assert metric_total(EXPOSITION, "andina_events_total", {"type": "a", "outcome": "rejected"}) == 1
    assert metric_total(EXPOSITION, "andina_nothing_total") == 0
