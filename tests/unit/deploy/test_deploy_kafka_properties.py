"""The Kafka properties are rendered from deploy/kafka/server.properties with our ports."""

from __future__ import annotations

from pathlib import Path

from andina.deploy.kafka import render_properties
from andina.deploy.settings import find_repo_root


def _props(text: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def test_listeners_quorum_and_log_dirs_use_the_configured_ports(tmp_path: Path) -> None:
    template = (find_repo_root() / "deploy" / "kafka" / "server.properties").read_text()

    rendered = _props(render_properties(template, port=29092, controller_port=29093, log_dir=tmp_path / "data"))

    assert rendered["listeners"] == "PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093"
    assert rendered["advertised.listeners"] == "PLAINTEXT://127.0.0.1:29092"
    assert rendered["controller.quorum.voters"] == "1@127.0.0.1:29093"
    assert rendered["log.dirs"] == str(tmp_path / "data")


def test_the_rest_of_the_template_is_kept_and_no_default_port_remains(tmp_path: Path) -> None:
    template = (find_repo_root() / "deploy" / "kafka" / "server.properties").read_text()

    text = render_properties(template, port=29092, controller_port=29093, log_dir=tmp_path)

    rendered = _props(text)
    assert rendered["auto.create.topics.enable"] == "false"
    assert rendered["process.roles"] == "broker,controller"
    assert ":9092" not in text
    assert ":9093" not in text
    assert list(rendered).count("listeners") == 1


def test_keys_missing_from_the_template_are_appended(tmp_path: Path) -> None:
    rendered = _props(render_properties("node.id=1\n", port=1, controller_port=2, log_dir=tmp_path))

    assert rendered["node.id"] == "1"
    assert rendered["listeners"] == "PLAINTEXT://127.0.0.1:1,CONTROLLER://127.0.0.1:2"
    assert rendered["log.dirs"] == str(tmp_path)
