"""docker-compose.yml as Docker Compose reads it (compose-go, no engine needed): accepted, and what it runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from andina.deploy.compose_config import compose_config
from andina.deploy.processes import StackError
from andina.deploy.settings import StackSettings

SERVICES = ("alerts", "intel-exchange", "customs", "finance-trace")


def model(compose_file: Path) -> dict[str, Any]:
    settings = StackSettings()
    loaded: dict[str, Any] = json.loads(compose_config(settings, compose_file, "json"))
    return loaded


def test_compose_accepts_the_file_and_runs_each_service_after_the_bus_is_secured() -> None:
    project = model(StackSettings().root / "docker-compose.yml")

    services = project["services"]
    assert {"kafka", "mongo", "init", "prometheus", "grafana", *SERVICES} <= set(services)
    for name in SERVICES:
        service = services[name]
        assert service["environment"]["ANDINA_SERVICE"] == name
        assert service["depends_on"]["init"]["condition"] == "service_completed_successfully"
        assert service["depends_on"]["mongo"]["condition"] == "service_healthy"
    assert services["init"]["depends_on"]["kafka"]["condition"] == "service_healthy"


def test_compose_runs_three_brokers_two_instances_of_each_service_and_a_mongodb_replica_set() -> None:
    services = model(StackSettings().root / "docker-compose.yml")["services"]

    brokers = ("kafka", "kafka-2", "kafka-3")
    assert {"mongo", "mongo-2", "mongo-3", "mongo-replica-set", *brokers} <= set(services)
    assert [services[b]["environment"]["NODE_ID"] for b in brokers] == ["1", "2", "3"]
    assert len({next(iter(services[b]["volumes"]))["source"] for b in brokers}) == 3  # a data volume each
    for name in SERVICES:
        first, second = services[name], services[f"{name}-2"]
        assert second["environment"]["ANDINA_SERVICE"] == name  # the same consumer group
        assert second["environment"]["ANDINA_INSTANCE"] == f"{name}-2"
        assert first["ports"][0]["published"] != second["ports"][0]["published"]
        assert "replicaSet=rs0" in second["environment"]["ANDINA_MONGO_URL"]
        assert second["environment"]["ANDINA_KAFKA_BOOTSTRAP_SERVERS"].count(":9092") == 3
        assert second["depends_on"]["mongo-replica-set"]["condition"] == "service_completed_successfully"


def test_a_file_that_names_a_missing_service_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "docker-compose.yml"
    broken.write_text("services:\n  app:\n    image: busybox\n    depends_on: [kafka]\n")

    with pytest.raises(StackError, match="kafka"):
        model(broken)
