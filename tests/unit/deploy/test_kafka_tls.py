"""The local stack's TLS listener: its own authority, a broker certificate for 127.0.0.1, renewed in time."""

from __future__ import annotations

import ipaddress
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from andina.deploy.kafka_tls import (
    BROKER_VALIDITY,
    RENEW_BEFORE,
    broker_certificate,
    certificate_end,
    ensure_broker_tls,
)
from andina.deploy.processes import StackError

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def _authority(folder: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate((folder / "ca.pem").read_bytes())


def test_the_broker_certificate_is_issued_by_the_stack_authority_for_the_loopback_address(tmp_path: Path) -> None:
    assert certificate_end(tmp_path) is None  # none yet
    tls, issued = ensure_broker_tls(tmp_path, NOW)

    cert = broker_certificate(tls, _authority(tmp_path))
    assert issued
    assert cert is not None
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert ipaddress.ip_address("127.0.0.1") in names.get_values_for_type(x509.IPAddress)
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    assert cert.not_valid_after_utc <= NOW + BROKER_VALIDITY
    assert certificate_end(tmp_path) == cert.not_valid_after_utc
    assert tls.ca_file == tmp_path / "ca.pem"


def test_only_the_authority_certificate_is_readable_by_others(tmp_path: Path) -> None:
    tls, _ = ensure_broker_tls(tmp_path, NOW)

    for secret in (tmp_path / "ca.key", tls.keystore, tmp_path / "broker.p12.password"):
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600, secret
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o700


def test_a_second_start_keeps_the_certificate_and_a_close_end_renews_it(tmp_path: Path) -> None:
    tls, _ = ensure_broker_tls(tmp_path, NOW)
    first = broker_certificate(tls, _authority(tmp_path))
    assert first is not None

    again, issued = ensure_broker_tls(tmp_path, NOW + timedelta(days=1))
    assert not issued
    assert again == tls
    assert broker_certificate(tls, _authority(tmp_path)) == first

    near_end = first.not_valid_after_utc - RENEW_BEFORE + timedelta(hours=1)
    _, issued = ensure_broker_tls(tmp_path, near_end)
    renewed = broker_certificate(tls, _authority(tmp_path))
    assert issued
    assert renewed is not None
    assert renewed.not_valid_after_utc > first.not_valid_after_utc


def test_a_keystore_of_another_authority_is_replaced(tmp_path: Path) -> None:
    tls, _ = ensure_broker_tls(tmp_path, NOW)
    (tmp_path / "ca.key").unlink()
    (tmp_path / "ca.pem").unlink()

    _, issued = ensure_broker_tls(tmp_path, NOW)

    assert issued
    assert broker_certificate(tls, _authority(tmp_path)) is not None


def test_an_authority_key_of_another_kind_is_refused_saying_what_to_do(tmp_path: Path) -> None:
    ensure_broker_tls(tmp_path, NOW)
    pem = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (tmp_path / "ca.key").write_bytes(pem)

    with pytest.raises(StackError, match=f"remove {tmp_path}"):
        ensure_broker_tls(tmp_path, NOW)
