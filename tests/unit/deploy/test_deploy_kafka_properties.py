"""The Kafka properties are rendered from deploy/kafka/server.properties with our ports and admin login."""

from __future__ import annotations

from pathlib import Path

from andina.deploy.kafka import render_properties
from andina.deploy.settings import find_repo_root


def _props(text: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def test_listeners_quorum_and_log_dirs_use_the_configured_ports(tmp_path: Path) -> None:
    template = (find_repo_root() / "deploy" / "kafka" / "server.properties").read_text()

    rendered = _props(
        render_properties(template, port=29092, controller_port=29093, log_dir=tmp_path / "data", admin_password="pw")
    )

    assert rendered["listeners"] == "SASL_PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093"
    assert rendered["advertised.listeners"] == "SASL_PLAINTEXT://127.0.0.1:29092"
    assert rendered["controller.quorum.voters"] == "1@127.0.0.1:29093"
    assert rendered["log.dirs"] == str(tmp_path / "data")


def test_the_rest_of_the_template_is_kept_and_no_default_port_remains(tmp_path: Path) -> None:
    template = (find_repo_root() / "deploy" / "kafka" / "server.properties").read_text()

    text = render_properties(template, port=29092, controller_port=29093, log_dir=tmp_path, admin_password="pw")

    rendered = _props(text)
    assert rendered["auto.create.topics.enable"] == "false"
    assert rendered["process.roles"] == "broker,controller"
    assert ":9092" not in text
    assert ":9093" not in text
    assert list(rendered).count("listeners") == 1


def test_keys_missing_from_the_template_are_appended(tmp_path: Path) -> None:
    rendered = _props(render_properties("node.id=1\n", port=1, controller_port=2, log_dir=tmp_path, admin_password="p"))

    assert rendered["node.id"] == "1"
    assert rendered["listeners"] == "SASL_PLAINTEXT://127.0.0.1:1,CONTROLLER://127.0.0.1:2"
    assert rendered["log.dirs"] == str(tmp_path)


def test_every_client_must_log_in_and_nothing_is_allowed_without_an_acl(tmp_path: Path) -> None:
    template = (find_repo_root() / "deploy" / "kafka" / "server.properties").read_text()

    rendered = _props(render_properties(template, port=1, controller_port=2, log_dir=tmp_path, admin_password="s3"))

    assert set(rendered["listener.security.protocol.map"].split(",")) == {
        "CONTROLLER:SASL_PLAINTEXT",
        "SASL_PLAINTEXT:SASL_PLAINTEXT",
    }
    assert rendered["sasl.enabled.mechanisms"] == "SCRAM-SHA-512"
    assert rendered["authorizer.class.name"] == "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
    assert rendered["allow.everyone.if.no.acl.found"] == "false"
    assert rendered["super.users"] == "User:admin"


def test_the_broker_logs_in_as_admin_and_the_controller_knows_only_admin(tmp_path: Path) -> None:
    template = (find_repo_root() / "deploy" / "kafka" / "server.properties").read_text()

    rendered = _props(render_properties(template, port=1, controller_port=2, log_dir=tmp_path, admin_password="s3"))

    scram = rendered["listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config"]
    assert scram.endswith('required username="admin" password="s3";')
    controller = rendered["listener.name.controller.plain.sasl.jaas.config"]
    assert 'username="admin" password="s3" user_admin="s3";' in controller
    assert controller.count("user_") == 1
