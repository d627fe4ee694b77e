"""The two profiles of the local stack: one of each process, or three brokers and two instances per service."""

from __future__ import annotations

from pathlib import Path

import pytest

from andina.deploy import kafka, services
from andina.deploy.cli import _config
from andina.deploy.lag_view import countries_held
from andina.deploy.settings import StackSettings, endpoints

NAMES = ("alerts", "customs")


def test_the_default_profile_runs_one_broker_and_one_instance_on_the_configured_ports(tmp_path: Path) -> None:
    settings = StackSettings(state_dir=tmp_path, kafka_port=19092, alerts_port=18101, customs_port=18103)

    assert settings.bootstrap_servers == "127.0.0.1:19092"
    assert [b.key for b in kafka.brokers(settings)] == ["kafka"]
    assert [(s.name, s.instance, s.port) for s in services.specs(settings, NAMES)] == [
        ("alerts", 1, 18101),
        ("customs", 1, 18103),
    ]


def test_the_highly_available_profile_shifts_each_further_broker_and_instance_by_the_step(tmp_path: Path) -> None:
    settings = StackSettings(
        state_dir=tmp_path, ha=True, port_step=10, kafka_port=19092, alerts_port=18101, customs_port=18103
    )

    assert settings.bootstrap_servers == "127.0.0.1:19092,127.0.0.1:19102,127.0.0.1:19112"
    assert [b.key for b in kafka.brokers(settings)] == ["kafka", "kafka-2", "kafka-3"]
    assert kafka.component(settings, 3).port == 19112
    specs = services.specs(settings, NAMES)
    assert [(services.component(s).key, s.port) for s in specs] == [
        ("alerts", 18101),
        ("customs", 18103),
        ("alerts-2", 18111),
        ("customs-2", 18113),
    ]


def test_each_instance_names_itself_in_its_kafka_client_id(tmp_path: Path) -> None:
    settings = StackSettings(state_dir=tmp_path, ha=True)
    second = services.specs(settings, NAMES)[2]

    env = services.environment(second, settings, endpoints(settings))

    assert env["ANDINA_INSTANCE"] == "alerts-2"
    assert env["ANDINA_HTTP_PORT"] == str(second.port)
    assert env["ANDINA_KAFKA_BOOTSTRAP_SERVERS"] == settings.bootstrap_servers


def test_the_commands_read_a_state_folder_made_for_three_brokers_in_that_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`stack status` and `stack down` without --ha still see every broker and instance of an HA stack."""
    monkeypatch.setenv("ANDINA_STACK_STATE_DIR", str(tmp_path))
    assert not _config()[0].ha
    (tmp_path / "kafka").mkdir()
    (tmp_path / "kafka" / "brokers").write_text("3\n")

    assert _config()[0].ha


def test_status_names_the_countries_an_instance_holds_and_counts_the_partitions_of_none() -> None:
    country_of = {0: "BO", 1: "CO", 2: "EC", 3: "PE"}

    assert countries_held([2, 0, 9, 12], country_of) == "BO EC +2"
    assert countries_held([1], country_of) == "CO"
    assert countries_held([], country_of) == "none"
