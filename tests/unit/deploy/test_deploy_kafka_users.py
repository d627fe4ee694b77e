"""The stack's Kafka users: one per service and per country, random passwords kept in a private file."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from andina.deploy.kafka import prepare
from andina.deploy.kafka_tls import ensure_broker_tls
from andina.deploy.kafka_users import AgencyListener, KafkaUsers, revoked_users, scram_format_argument, stack_users
from andina.deploy.processes import StackError
from andina.deploy.settings import StackSettings, endpoints, stack_users_of
from andina.shared.settings import AndinaSettings


def test_every_service_and_country_has_its_own_user_and_admin_comes_first() -> None:
    users = stack_users(["BO", "PE"], ["alerts", "customs"])

    assert users == ["admin", "svc-alerts", "svc-customs", "agency-bo", "agency-pe"]


def test_passwords_are_random_and_only_the_owner_may_read_the_file(tmp_path: Path) -> None:
    path = tmp_path / "kafka" / "credentials.json"

    users, added = KafkaUsers.ensure(path, "127.0.0.1:1", ["admin", "agency-pe", "agency-co"])

    assert added == ["admin", "agency-pe", "agency-co"]
    assert len(set(users.passwords.values())) == 3
    assert all(len(p) >= 24 for p in users.passwords.values())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert KafkaUsers.load(path) == users


def test_a_second_run_keeps_every_password_and_adds_only_the_new_member(tmp_path: Path) -> None:
    path = tmp_path / "credentials.json"
    first, _ = KafkaUsers.ensure(path, "127.0.0.1:1", ["admin", "agency-pe"])
    written = path.read_text()

    again, none = KafkaUsers.ensure(path, "127.0.0.1:1", ["admin", "agency-pe"])
    unchanged = path.read_text()
    grown, added = KafkaUsers.ensure(path, "127.0.0.1:1", ["admin", "agency-pe", "agency-ve"])

    assert (again, none, unchanged) == (first, [], written)
    assert added == ["agency-ve"]
    assert {u: grown.passwords[u] for u in first.passwords} == first.passwords


def test_only_users_of_the_stacks_kinds_that_left_the_registries_are_revoked() -> None:
    present = ["admin", "svc-alerts", "svc-retired", "agency-pe", "agency-cl", "grafana-reader"]

    revoked = revoked_users(present, stack_users(["PE"], ["alerts"]))

    assert revoked == {"svc-retired", "agency-cl"}


def test_a_revoked_users_password_leaves_the_file_and_a_return_gets_a_new_one(tmp_path: Path) -> None:
    path = tmp_path / "credentials.json"
    first, _ = KafkaUsers.ensure(path, "127.0.0.1:1", ["admin", "agency-pe", "agency-cl"])

    left = first.without(path, ["agency-cl"])
    written = KafkaUsers.load(path)
    back, added = KafkaUsers.ensure(path, "127.0.0.1:1", ["admin", "agency-pe", "agency-cl"])

    assert written == left
    assert left.passwords == {u: first.passwords[u] for u in ("admin", "agency-pe")}
    assert added == ["agency-cl"]
    assert back.passwords["agency-cl"] != first.passwords["agency-cl"]


def test_a_country_logs_in_as_its_own_user_with_scram() -> None:
    users = KafkaUsers("127.0.0.1:1", {"agency-pe": "pw", "admin": "root"})

    auth = users.country("PE")

    assert (auth.security_protocol, auth.sasl_mechanism, auth.username, auth.password) == (
        "SASL_PLAINTEXT",
        "SCRAM-SHA-512",
        "agency-pe",
        "pw",
    )
    assert "pw" not in repr(auth)
    with pytest.raises(KeyError, match="agency-ve"):
        users.country("VE")


def test_the_format_argument_creates_the_user_before_the_broker_starts() -> None:
    assert scram_format_argument("admin", "s3") == "SCRAM-SHA-512=[name=admin,password=s3]"


def test_operator_commands_use_the_stack_users_only_for_the_stacks_own_broker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("ANDINA_KAFKA_BOOTSTRAP_SERVERS", "ANDINA_KAFKA_SECURITY_PROTOCOL", "ANDINA_KAFKA_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    stack = StackSettings(state_dir=tmp_path, kafka_port=39999)
    KafkaUsers.ensure(stack.kafka_credentials, "127.0.0.1:39999", ["admin", "agency-co"])

    own = endpoints(stack, AndinaSettings())
    elsewhere = endpoints(stack, AndinaSettings(kafka_bootstrap_servers="10.0.0.1:9092"))

    assert own.admin_auth().username == "admin"
    users = stack_users_of(stack, "127.0.0.1:39999")
    assert users is not None
    assert own.country_login("CO") == ("127.0.0.1:39999", users.country("CO"))
    assert elsewhere.kafka_users is None
    assert elsewhere.country_login("CO")[1].security_protocol == "PLAINTEXT"


def test_countries_connect_over_the_stacks_tls_listener_once_it_has_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("ANDINA_KAFKA_BOOTSTRAP_SERVERS", "ANDINA_KAFKA_SECURITY_PROTOCOL", "ANDINA_KAFKA_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    stack = StackSettings(state_dir=tmp_path, kafka_port=39999, kafka_tls_port=39994)
    KafkaUsers.ensure(stack.kafka_credentials, "127.0.0.1:39999", ["admin", "agency-co"])
    ensure_broker_tls(stack.kafka_tls_dir)

    ends = endpoints(stack, AndinaSettings())
    bootstrap, auth = ends.country_login("CO")

    assert bootstrap == "127.0.0.1:39994"
    assert (auth.security_protocol, auth.username) == ("SASL_SSL", "agency-co")
    assert auth.ssl_cafile == str(stack.kafka_tls_dir / "ca.pem")
    assert ends.admin_auth().security_protocol == "SASL_PLAINTEXT"  # the operator's commands stay on loopback
    assert endpoints(stack, AndinaSettings(kafka_bootstrap_servers="10.0.0.1:9092")).agency_tls is None


def test_kafka_data_formatted_before_sasl_is_refused_with_what_to_do(tmp_path: Path) -> None:
    settings = StackSettings(state_dir=tmp_path)
    data = tmp_path / "kafka" / "data"
    data.mkdir(parents=True)
    (data / "meta.properties").write_text("node.id=1\n")

    with pytest.raises(StackError, match="andina stack down") as refused:
        prepare(settings)

    assert str(data) in str(refused.value)
    assert not settings.kafka_credentials.exists()


def test_the_file_tells_agencies_the_tls_listener_and_keeps_it_when_users_change(tmp_path: Path) -> None:
    path = tmp_path / "credentials.json"
    tls = AgencyListener("127.0.0.1:9094", str(tmp_path / "tls" / "ca.pem"))
    KafkaUsers.ensure(path, "127.0.0.1:9092", ["admin"], tls)

    grown, _ = KafkaUsers.ensure(path, "127.0.0.1:9092", ["admin", "agency-pe"])  # as `secure_kafka` calls it
    written = json.loads(path.read_text())

    assert written["agencies"] == {
        "bootstrap_servers": "127.0.0.1:9094",
        "security_protocol": "SASL_SSL",
        "ssl_cafile": str(tmp_path / "tls" / "ca.pem"),
    }
    assert (written["bootstrap_servers"], written["security_protocol"]) == ("127.0.0.1:9092", "SASL_PLAINTEXT")
    assert KafkaUsers.load(path) == grown
    assert grown.without(path, ["agency-pe"]).agencies == tls
