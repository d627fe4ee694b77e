"""Keyed hashes of financial identifiers: how an FIU's system names accounts and parties on the bus.

Identifiers of accounts, parties and transfers leave an FIU only as HMAC-SHA256 under the
network key, written ``<key id>:<64 hex digits>``. Two FIUs holding the same account compute
the same hash, so the finance-trace service can match and trace them without ever seeing
the identifier. The key is shared by the member FIUs (never by the service) and rotatable:
the key id travels with every hash, and during a rotation FIUs send the hash under the
previous key too (``previous_ref``) so that older data keeps matching.

Identifiers are normalised before hashing, so that "0011-0123 456" and "00110123456" give
one hash: Unicode compatibility form, accents dropped, upper case, only letters and digits
kept (leading zeros are significant), and a prefix that names the kind of identifier and its
country, so that an account number never collides with a national id.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass, field

KEY_ID_PATTERN = r"[a-z0-9][a-z0-9-]{0,15}"
KEYED_HASH_PATTERN = rf"^{KEY_ID_PATTERN}:[0-9a-f]{{64}}$"
MIN_SECRET_BYTES = 32


@dataclass(frozen=True)
class NetworkKey:
    """One generation of the network's matching key (``key_id`` is public, ``secret`` never is)."""

    key_id: str
    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not re.fullmatch(KEY_ID_PATTERN, self.key_id):
            raise ValueError(f"key id {self.key_id!r} must match {KEY_ID_PATTERN}")
        if len(self.secret) < MIN_SECRET_BYTES:
            raise ValueError(f"a network key needs at least {MIN_SECRET_BYTES} random bytes")


def compact(text: str) -> str:
    """Upper-case letters and digits only, accents dropped: the comparable core of an identifier."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]", "", plain.upper())


def _normalised(kind: str, country: str, *parts: str) -> str:
    cores = [compact(part) for part in parts]
    if not all(cores):
        raise ValueError(f"an empty {kind} identifier cannot be hashed")
    return "|".join([kind, compact(country), *cores])


def normalise_account(country: str, bank: str, number: str) -> str:
    """An account: its bank's country, the bank's code (BIC8 or national code) and the number."""
    return _normalised("account", country, bank, number)


def normalise_party(country: str, id_type: str, value: str) -> str:
    """A person or company: the issuing country, the kind of id (DNI, CC, RUC, NIT, PASSPORT...) and its value."""
    return _normalised("party", country, id_type, value)


def normalise_transfer(end_to_end_reference: str) -> str:
    """A transfer's end-to-end reference (SWIFT UETR, national clearing id): both ends report it."""
    return _normalised("transfer", "", end_to_end_reference)


def keyed_hash(key: NetworkKey, normalised: str) -> str:
    digest = hmac.new(key.secret, normalised.encode(), hashlib.sha256).hexdigest()
    return f"{key.key_id}:{digest}"


def account_ref(key: NetworkKey, country: str, bank: str, number: str) -> str:
    return keyed_hash(key, normalise_account(country, bank, number))


def party_ref(key: NetworkKey, country: str, id_type: str, value: str) -> str:
    return keyed_hash(key, normalise_party(country, id_type, value))


def transfer_ref(key: NetworkKey, end_to_end_reference: str) -> str:
    return keyed_hash(key, normalise_transfer(end_to_end_reference))


def key_id_of(ref: str) -> str:
    return ref.split(":", 1)[0]
