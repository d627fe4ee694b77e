"""Prometheus scrapes itself, the supervisor and every service instance, each service a job labelled with its name."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from andina.contract.topics import TopicRegistry
from andina.deploy.prometheus import render_config
from andina.deploy.settings import StackSettings, find_repo_root

SERVICES = TopicRegistry.load().services


@pytest.fixture
def default_ports(monkeypatch: pytest.MonkeyPatch) -> StackSettings:
    """The stack's settings as on a machine that overrides none of them."""
    for name in SERVICES:
        monkeypatch.delenv(StackSettings.service_port_env(name), raising=False)
    return StackSettings()


def _parse(text: str) -> dict[str, Any]:
    # The rendered file is a comment line followed by JSON, which is valid YAML.
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    parsed: dict[str, Any] = json.loads(body)
    return parsed


def test_every_service_is_a_job_with_its_target_and_label() -> None:
    ports = {name: [18101 + i, 18111 + i] for i, name in enumerate(SERVICES)}

    config = _parse(render_config(19090, ports, supervisor_port=18100))

    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert set(jobs) == {"prometheus", "supervisor", *SERVICES}
    assert jobs["prometheus"]["static_configs"][0]["targets"] == ["127.0.0.1:19090"]
    assert jobs["supervisor"]["static_configs"][0]["targets"] == ["127.0.0.1:18100"]
    for name, (first, second) in ports.items():
        static = jobs[name]["static_configs"][0]
        assert static["targets"] == [f"127.0.0.1:{first}", f"127.0.0.1:{second}"]  # one instance label each
        assert static["labels"] == {"service": name}


def test_the_default_ports_are_the_services_own(default_ports: StackSettings) -> None:
    assert [default_ports.service_port(name) for name in SERVICES] == [8101, 8102, 8103, 8104]


def test_the_compose_config_scrapes_every_service_by_its_compose_name(default_ports: StackSettings) -> None:
    text = (find_repo_root() / "deploy" / "prometheus" / "prometheus.compose.yml").read_text()

    for name in SERVICES:
        assert re.search(rf"job_name: {re.escape(name)}\n", text)
        assert f'"{name}:{default_ports.service_port(name)}"' in text
        assert f"service: {name}" in text
