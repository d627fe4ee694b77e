"""The ANDINA_KAFKA_* settings become the same login for FastStream and for every aiokafka client."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
from cryptography import x509
from faststream.security import SASLScram256, SASLScram512

from andina.contract.kafka_auth import KafkaAuth, client_options
from andina.deploy.kafka_tls import ensure_broker_tls
from andina.shared.broker import kafka_security
from andina.shared.settings import AndinaSettings


def test_plaintext_logs_in_as_no_one() -> None:
    assert kafka_security(KafkaAuth()) is None
    assert client_options(KafkaAuth()) == {}


def test_a_sasl_user_logs_in_with_scram_on_every_client() -> None:
    auth = KafkaAuth("SASL_PLAINTEXT", "SCRAM-SHA-512", "svc-alerts", "s3cret")

    security = kafka_security(auth)
    options = client_options(auth)

    assert isinstance(security, SASLScram512)
    assert (security.username, security.password, security.use_ssl) == ("svc-alerts", "s3cret", False)
    assert {k: options[k] for k in ("security_protocol", "sasl_mechanism", "sasl_plain_username")} == {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "svc-alerts",
    }


def test_sasl_ssl_and_sha_256_are_honoured() -> None:
    security = kafka_security(KafkaAuth("SASL_SSL", "SCRAM-SHA-256", "agency-pe", "pw"))

    assert isinstance(security, SASLScram256)
    assert security.use_ssl
    assert client_options(KafkaAuth("SASL_SSL", "SCRAM-SHA-256", "agency-pe", "pw"))["security_protocol"] == "SASL_SSL"


def test_on_sasl_ssl_the_broker_must_prove_who_it_is_to_the_given_authority(tmp_path: Path) -> None:
    tls, _ = ensure_broker_tls(tmp_path)

    options = client_options(KafkaAuth("SASL_SSL", "SCRAM-SHA-512", "agency-pe", "pw", str(tls.ca_file)))

    context = options["ssl_context"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    authority = x509.load_pem_x509_certificate(tls.ca_file.read_bytes())
    assert [int(str(ca["serialNumber"]), 16) for ca in context.get_ca_certs()] == [authority.serial_number]  # it alone


def test_an_unreadable_authority_file_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="ANDINA_KAFKA_SSL_CAFILE"):
        kafka_security(KafkaAuth("SASL_SSL", "SCRAM-SHA-512", "agency-pe", "pw", str(tmp_path / "missing.pem")))


def test_sasl_without_a_password_is_refused_before_connecting() -> None:
    with pytest.raises(ValueError, match="ANDINA_KAFKA_PASSWORD"):
        kafka_security(KafkaAuth("SASL_PLAINTEXT", "SCRAM-SHA-512", "agency-pe", None))


def test_settings_read_the_login_from_the_environment_and_hide_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANDINA_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("ANDINA_KAFKA_USERNAME", "svc-customs")
    monkeypatch.setenv("ANDINA_KAFKA_PASSWORD", "hunter2")
    monkeypatch.setenv("ANDINA_KAFKA_SSL_CAFILE", "/etc/andina/ca.pem")

    settings = AndinaSettings()

    assert settings.kafka_auth() == KafkaAuth(
        "SASL_PLAINTEXT", "SCRAM-SHA-512", "svc-customs", "hunter2", "/etc/andina/ca.pem"
    )
    assert KafkaAuth.from_environment() == settings.kafka_auth()
    assert "hunter2" not in repr(settings)
    assert "hunter2" not in repr(settings.kafka_auth())


def test_an_unknown_protocol_is_refused_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANDINA_KAFKA_SECURITY_PROTOCOL", "SSL")

    with pytest.raises(ValueError, match="ANDINA_KAFKA_SECURITY_PROTOCOL 'SSL'"):
        KafkaAuth.from_environment()
