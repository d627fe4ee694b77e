"""The Kafka properties are rendered from deploy/kafka/server.properties with our ports, admin login and keystore."""

from __future__ import annotations

from pathlib import Path

from andina.deploy.kafka import Listeners, render_properties
from andina.deploy.kafka_tls import BrokerTls
from andina.deploy.settings import find_repo_root

TEMPLATE = find_repo_root() / "deploy" / "kafka" / "server.properties"
PORTS = Listeners(port=29092, tls_port=29094, controller_port=29093)
TLS = BrokerTls(Path("/state/kafka/tls/ca.pem"), Path("/state/kafka/tls/broker.p12"), "k3ystore")


def _props(text: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def _render(template: str, log_dir: Path, admin_password: str = "pw") -> str:
    return render_properties(template, listeners=PORTS, log_dir=log_dir, admin_password=admin_password, tls=TLS)


def test_listeners_quorum_and_log_dirs_use_the_configured_ports(tmp_path: Path) -> None:
    rendered = _props(_render(TEMPLATE.read_text(), tmp_path / "data"))

    clients = "SASL_PLAINTEXT://127.0.0.1:29092,SASL_SSL://127.0.0.1:29094"
    assert rendered["listeners"] == f"{clients},CONTROLLER://127.0.0.1:29093"
    assert rendered["advertised.listeners"] == clients
    assert rendered["controller.quorum.voters"] == "1@127.0.0.1:29093"
    assert rendered["log.dirs"] == str(tmp_path / "data")


def test_the_rest_of_the_template_is_kept_and_no_default_port_remains(tmp_path: Path) -> None:
    text = _render(TEMPLATE.read_text(), tmp_path)

    rendered = _props(text)
    assert rendered["auto.create.topics.enable"] == "false"
    assert rendered["process.roles"] == "broker,controller"
    assert ":9092" not in text
    assert ":9093" not in text
    assert ":9094" not in text
    assert "(filled in by the launcher)" not in text
    assert list(rendered).count("listeners") == 1


def test_keys_missing_from_the_template_are_appended(tmp_path: Path) -> None:
    rendered = _props(_render("node.id=1\n", tmp_path))

    assert rendered["node.id"] == "1"
    assert rendered["listeners"].endswith(",CONTROLLER://127.0.0.1:29093")
    assert rendered["log.dirs"] == str(tmp_path)


def test_every_client_must_log_in_and_nothing_is_allowed_without_an_acl(tmp_path: Path) -> None:
    rendered = _props(_render(TEMPLATE.read_text(), tmp_path, admin_password="s3"))

    assert set(rendered["listener.security.protocol.map"].split(",")) == {
        "CONTROLLER:SASL_PLAINTEXT",
        "SASL_PLAINTEXT:SASL_PLAINTEXT",
        "SASL_SSL:SASL_SSL",
    }
    assert rendered["sasl.enabled.mechanisms"] == "SCRAM-SHA-512"
    assert rendered["authorizer.class.name"] == "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
    assert rendered["allow.everyone.if.no.acl.found"] == "false"
    assert rendered["super.users"] == "User:admin"


def test_the_broker_logs_in_as_admin_and_the_controller_knows_only_admin(tmp_path: Path) -> None:
    rendered = _props(_render(TEMPLATE.read_text(), tmp_path, admin_password="s3"))

    for listener in ("sasl_plaintext", "sasl_ssl"):
        scram = rendered[f"listener.name.{listener}.scram-sha-512.sasl.jaas.config"]
        assert scram.endswith('required username="admin" password="s3";')
    controller = rendered["listener.name.controller.plain.sasl.jaas.config"]
    assert 'username="admin" password="s3" user_admin="s3";' in controller
    assert controller.count("user_") == 1


def test_the_tls_listener_serves_the_stack_certificate_from_its_keystore(tmp_path: Path) -> None:
    rendered = _props(_render(TEMPLATE.read_text(), tmp_path))

    assert rendered["listener.name.sasl_ssl.ssl.keystore.type"] == "PKCS12"
    assert rendered["listener.name.sasl_ssl.ssl.keystore.location"] == "/state/kafka/tls/broker.p12"
    assert rendered["listener.name.sasl_ssl.ssl.keystore.password"] == "k3ystore"


def test_a_broker_of_three_knows_every_voter_and_replicates_each_write_on_two_at_least(tmp_path: Path) -> None:
    second = Listeners(port=29102, tls_port=29104, controller_port=29103, node=2, voters=(29093, 29103, 29113))

    rendered = _props(
        render_properties(TEMPLATE.read_text(), listeners=second, log_dir=tmp_path, admin_password="pw", tls=TLS)
    )

    assert rendered["node.id"] == "2"
    assert rendered["controller.quorum.voters"] == "1@127.0.0.1:29093,2@127.0.0.1:29103,3@127.0.0.1:29113"
    assert rendered["listeners"].startswith("SASL_PLAINTEXT://127.0.0.1:29102,SASL_SSL://127.0.0.1:29104")
    assert rendered["default.replication.factor"] == rendered["offsets.topic.replication.factor"] == "3"
    assert rendered["min.insync.replicas"] == rendered["transaction.state.log.min.isr"] == "2"
    assert rendered["unclean.leader.election.enable"] == "false"
    assert (rendered["broker.session.timeout.ms"], rendered["broker.heartbeat.interval.ms"]) == ("3000", "500")


def test_a_single_broker_keeps_the_templates_replication(tmp_path: Path) -> None:
    rendered = _props(_render(TEMPLATE.read_text(), tmp_path))

    assert rendered["min.insync.replicas"] == rendered["offsets.topic.replication.factor"] == "1"
    assert "default.replication.factor" not in rendered
    assert "broker.session.timeout.ms" not in rendered
