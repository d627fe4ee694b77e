"""The local broker's TLS listener: a certificate authority of the stack's own, and the broker's certificate.

Agency systems reach the bus across borders. On SASL_SSL their passwords and events are
encrypted on the wire, and the client checks that it talks to the bus, not to whoever sits
in between. A deployment uses certificates of the network's own PKI; the local stack makes
its own authority once, so that the path clients use in production is the one tested here.
The authority's key never leaves the state folder; clients need only ``ca.pem``.
"""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from andina.deploy.processes import StackError

CA_VALIDITY = timedelta(days=3650)
BROKER_VALIDITY = timedelta(days=397)
RENEW_BEFORE = timedelta(days=30)  # a broker certificate closer than this to its end is issued again
BROKER_HOSTS = ("127.0.0.1", "localhost")
CA_FILE = "ca.pem"  # the authority's certificate, all a client needs


@dataclass(frozen=True, slots=True)
class BrokerTls:
    """What the broker's TLS listener is configured with, and what its clients trust."""

    ca_file: Path  # PEM: clients trust it (ANDINA_KAFKA_SSL_CAFILE)
    keystore: Path  # PKCS #12: the broker's key and certificate chain
    password: str  # the keystore's


def _private(path: Path, data: bytes) -> None:
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_bytes(data)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Red Andina 24/7 (local stack)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _authority(folder: Path, now: datetime) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """The stack's authority: made the first time, then read back."""
    key_file, cert_file = folder / "ca.key", folder / CA_FILE
    if key_file.exists() and cert_file.exists():
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise StackError(f"{key_file} is not the stack's authority key: remove {folder} to make a new one")
        return key, x509.load_pem_x509_certificate(cert_file.read_bytes())
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name("Red Andina local stack CA")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _private(
        key_file,
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert


def _broker_certificate(
    ca_key: ec.EllipticCurvePrivateKey, ca: x509.Certificate, key: ec.EllipticCurvePrivateKey, now: datetime
) -> x509.Certificate:
    names = [x509.IPAddress(ipaddress.ip_address(h)) if h[0].isdigit() else x509.DNSName(h) for h in BROKER_HOSTS]
    return (
        x509.CertificateBuilder()
        .subject_name(_name("Red Andina local broker"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + BROKER_VALIDITY)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )


def broker_certificate(tls: BrokerTls, ca: x509.Certificate) -> x509.Certificate | None:
    """The certificate in the broker's keystore if ``ca`` issued it, else None (none, unreadable, another's)."""
    try:
        _, cert, _ = pkcs12.load_key_and_certificates(tls.keystore.read_bytes(), tls.password.encode())
        if cert is not None:
            cert.verify_directly_issued_by(ca)
    except (OSError, ValueError, TypeError, InvalidSignature):
        return None
    return cert


def _files(folder: Path) -> BrokerTls:
    return BrokerTls(folder / CA_FILE, folder / "broker.p12", (folder / "broker.p12.password").read_text().strip())


def certificate_end(folder: Path) -> datetime | None:
    """When the broker's certificate in ``folder`` ends; None when there is none of the folder's authority."""
    try:
        tls = _files(folder)
        ca = x509.load_pem_x509_certificate(tls.ca_file.read_bytes())
    except (OSError, ValueError):
        return None
    cert = broker_certificate(tls, ca)
    return cert.not_valid_after_utc if cert else None


def ensure_broker_tls(folder: Path, now: datetime | None = None) -> tuple[BrokerTls, bool]:
    """The listener's files, issuing the broker's certificate when missing or about to end; (files, issued now)."""
    now = now or datetime.now(UTC)
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    password_file = folder / "broker.p12.password"
    if not password_file.exists():
        _private(password_file, secrets.token_urlsafe(24).encode())
    tls = _files(folder)
    ca_key, ca = _authority(folder, now)
    current = broker_certificate(tls, ca)
    if current is not None and current.not_valid_after_utc - RENEW_BEFORE > now:
        return tls, False
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _broker_certificate(ca_key, ca, key, now)
    encryption = serialization.BestAvailableEncryption(tls.password.encode())
    _private(tls.keystore, pkcs12.serialize_key_and_certificates(b"broker", key, cert, [ca], encryption))
    return tls, True
